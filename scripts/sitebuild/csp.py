"""The site's Content-Security-Policy, computed from the built pages.

One policy for the whole site: scripts only from the site itself, plus the SHA-256 of each inline
script any page has (Material's small start-up scripts, which differ with a page's depth, and our
engine start in overrides/main.html), plus 'wasm-unsafe-eval' for Pyodide; styles likewise (the
one inline <style> is the no-JavaScript rule); requests only to the site itself. One policy
rather than one per page, because Material's instant navigation runs the next page's inline
scripts under the first page's policy.

``apply(site_dir)`` (the hook's ``on_post_build``, before the precompressed twins are written)
puts it in every page as ``<meta http-equiv="Content-Security-Policy">`` (first in ``<head>``,
before any script), for hosts that cannot set headers, and writes ``csp.nginx.conf`` beside the
pages: the same policy as a header, which scripts/nginx.conf includes (a header also covers the Web
Workers, which a page's ``<meta>`` does not, and can add ``frame-ancestors``, which a ``<meta>``
cannot).

Runnable on its own: ``python -m sitebuild.csp SITE_DIR``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

# Executable inline scripts: no src, and a JavaScript type (or none). JSON data blocks such as
# Material's __config are not run, so not checked.
SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
STYLE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style>", re.S | re.I)
TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
JS_TYPES = {"", "text/javascript", "module", "application/javascript"}
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?')
CHARSET = '<meta charset="utf-8">'
SNIPPET = "csp.nginx.conf"

DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),  # + the hashes; compiling wasm needs the keyword
    # + the hashes of the inline <style>s (the no-JavaScript rule in overrides/main.html); no style
    # attribute (view.mjs sets the result bar's widths through the CSSOM, which CSP allows).
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),  # Material's icons are SVG data: URLs in its stylesheet
    ("connect-src", "'self'"),  # fetch and the worker's downloads: this site only
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),  # no form is ever submitted: the widget answers in the page
)


class CSPError(RuntimeError):
    """A page cannot carry the policy."""


def inline_scripts(html: str) -> list[str]:
    """The bodies of the page's inline scripts that a browser runs."""
    out = []
    for m in SCRIPT.finditer(html):
        attrs = m["attrs"] or ""
        if re.search(r"\ssrc\s*=", attrs, re.I):
            continue
        kind = TYPE.search(attrs)
        if (kind[1].lower() if kind else "") in JS_TYPES:
            out.append(m["body"])
    return out


def source_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_styles(html: str) -> list[str]:
    """The bodies of the page's <style> elements (in <noscript> too: Material's instant navigation
    parses the next page without scripting, where they are elements)."""
    return [m["body"] for m in STYLE.finditer(html)]


def policy(scripts: set[str], styles: set[str] = frozenset()) -> str:
    extra = {"script-src": sorted(scripts), "style-src": sorted(styles)}
    return "; ".join(
        f"{name} {value}{''.join(' ' + h for h in extra.get(name, ()))}"
        for name, value in DIRECTIVES
    )


def header_policy(meta_policy: str) -> str:
    """The header adds what a <meta> cannot carry: no framing by other sites."""
    return f"{meta_policy}; frame-ancestors 'none'"


def nginx_snippet(header: str) -> str:
    """The policy for scripts/nginx.conf, which sends it with pages and scripts."""
    return f'set $site_csp "{header}";\n'


def apply(site_dir: Path) -> str:
    """Put the policy into every page and write the nginx snippet; returns the policy."""
    pages = sorted(site_dir.rglob("*.html"))
    texts = {page: META.sub("", page.read_text("utf-8")) for page in pages}
    scripts = {source_hash(s) for text in texts.values() for s in inline_scripts(text)}
    styles = {source_hash(s) for text in texts.values() for s in inline_styles(text)}
    meta_policy = policy(scripts, styles)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{meta_policy}">'
    for page, text in texts.items():
        if text.count(CHARSET) < 1:
            raise CSPError(f"{page}: no {CHARSET} to put the policy after")
        new = text.replace(CHARSET, f"{CHARSET}\n    {meta}", 1)
        if new != page.read_text("utf-8"):
            page.write_text(new, "utf-8")
    snippet = nginx_snippet(header_policy(meta_policy))
    target = site_dir / SNIPPET
    if not target.is_file() or target.read_text("utf-8") != snippet:
        target.write_text(snippet, "utf-8")
    return meta_policy


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m sitebuild.csp SITE_DIR")
    print(apply(Path(sys.argv[1])))
