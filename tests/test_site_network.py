"""No third-party requests: nothing in the built site loads from another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Absolute URLs that do occur in Material's bundled JavaScript, and why none is loaded here.
# A host not listed makes the test fail, so an upgrade that adds one is looked at.
JS_HOSTS_NOT_LOADED = {
    "unpkg.com": "polyfill only if ResizeObserver is missing; Mermaid only on pages with a "
    "diagram (test_no_conditional_loaders_are_triggered checks both do not apply)",
    "api.github.com": "repository facts, only with repo_url (not set)",
    # Licence headers, comments, documentation links and XML/SVG namespaces:
    "www.w3.org": "namespace", "www.sitemaps.org": "namespace", "github.com": "comment",
    "rxjs.dev": "comment", "bit.ly": "comment", "t.ly": "comment", "lunrjs.com": "comment",
    "snowball.tartarus.org": "comment", "tartarus.org": "comment", "code.google.com": "comment",
    "www.mozilla.org": "licence", "developer.mozilla.org": "comment", "chasen.org": "comment",
    "docs.python.org": "comment", "en.wikipedia.org": "comment", "msdn.microsoft.com": "comment",
    "narwhaljs.org": "comment", "people.mozilla.org": "comment", "underscorejs.org": "comment",
    "wiki.commonjs.org": "comment", "wiki.ecmascript.org": "comment", "clipboardjs.com": "comment",
    "benediktmeurer.de": "comment", "squidfunk.github.io": "comment", "www.npmjs.com": "comment",
    "fontawesome.com": "licence comment inside inlined SVG",
}

LOADING_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "background"}
LOADING_LINK_RELS = {
    "stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
    "apple-touch-icon", "preconnect", "dns-prefetch", "alternate stylesheet",
}


def _is_external(url: str) -> bool:
    url = url.strip()
    if url.startswith(("data:", "blob:", "#", "tel:", "mailto:")):
        return False
    return url.startswith("//") or bool(urlparse(url).scheme)


class _Loads(HTMLParser):
    """Collect every URL a browser would fetch while rendering an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for key in LOADING_ATTRS & a.keys():
            self.urls += [u.split()[0] for u in a[key].split(",") if u.strip()]
        if tag == "link" and a.get("rel", "").lower() in LOADING_LINK_RELS:
            self.urls.append(a.get("href", ""))
        if "style" in a:
            self.urls += _css_urls(a["style"])
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if self._style:
            self.urls += _css_urls(data)


def _css_urls(css: str) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    urls += re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return urls


def _files(site: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in suffixes)


def test_html_loads_nothing_from_other_hosts(built_site: Path) -> None:
    bad = []
    for f in _files(built_site, ".html"):
        parser = _Loads()
        parser.feed(f.read_text(encoding="utf-8"))
        bad += [f"{f.relative_to(built_site)}: {u}" for u in parser.urls if _is_external(u)]
    assert not bad, "\n".join(bad)


def test_css_loads_nothing_from_other_hosts(built_site: Path) -> None:
    bad = []
    for f in _files(built_site, ".css"):
        bad += [
            f"{f.relative_to(built_site)}: {u}"
            for u in _css_urls(f.read_text(encoding="utf-8"))
            if _is_external(u)
        ]
    assert not bad, "\n".join(bad)


def test_javascript_mentions_only_known_hosts(built_site: Path) -> None:
    found: dict[str, set[str]] = {}
    for f in _files(built_site, ".js"):
        for host in re.findall(r"https?://([A-Za-z0-9.-]+)", f.read_text(encoding="utf-8")):
            found.setdefault(host, set()).add(f.relative_to(built_site).as_posix())
    unknown = {h: sorted(fs) for h, fs in found.items() if h not in JS_HOSTS_NOT_LOADED}
    assert not unknown, f"new absolute URLs in the site's JavaScript: {unknown}"
    ours = [f for f in _files(built_site / "assets", ".js") if "javascripts" not in f.parts]
    for f in ours:
        assert "://" not in f.read_text(encoding="utf-8"), f"{f}: site scripts use no URLs"


def test_no_conditional_loaders_are_triggered(built_site: Path) -> None:
    for f in _files(built_site, ".html"):
        html = f.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in html, f"{f}: Mermaid would load from unpkg.com"
    root = Path(__file__).resolve().parent.parent
    assert "repo_url" not in (root / "mkdocs.yml").read_text(encoding="utf-8")


LOCAL = ("http://127.0.0.1:", "data:", "blob:")
PAGES = ["", "notice/", "measures/", "contacts/", "rules/", "measures/#art2"]


@pytest.mark.parametrize("path", PAGES)
def test_page_requests_only_localhost(page, site_server, path) -> None:
    page.goto(site_server + path, wait_until="networkidle")
    outside = [u for u in page.requests if not u.startswith(LOCAL)]
    assert not outside, outside
    assert not page.console_errors


def test_interactions_request_only_localhost(page, site_server) -> None:
    """Search, the palette toggle and instant navigation stay on this host too."""
    page.goto(site_server, wait_until="networkidle")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill("补贴")
    page.locator(".md-search__input").press("End")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Escape")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.locator("article a[href$='contacts/']").first.click()  # instant navigation
    page.wait_for_url("**/contacts/")
    page.wait_for_load_state("networkidle")
    outside = [u for u in page.requests if not u.startswith(LOCAL)]
    assert not outside, outside
    assert not page.console_errors
