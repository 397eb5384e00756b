"""The built site as production serves it: Debian's nginx with scripts/nginx.conf (the one file the
README shows). MIME types, precompressed Brotli/gzip by Accept-Encoding, Vary, caching, 304s, and
the Content-Security-Policy header."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest
from test_serve_ready import runtime_of

from sitebuild import csp


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET without any decoding: status, headers (lower-case names), raw body."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, \
                response.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@pytest.fixture(scope="module")
def files(built_site: Path) -> dict[str, str]:
    """Site-relative paths of the files a calculator page loads, by role."""
    runtime = runtime_of(built_site)
    bundle = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js"))
    return {
        "wasm": runtime["indexURL"] + "pyodide.asm.wasm",
        "asm": runtime["indexURL"] + "pyodide.asm.mjs",
        "stdlib": runtime["stdLibURL"],
        "app": runtime["appURL"],
        "worker": runtime["workerURL"],
        "bundle": bundle.relative_to(built_site).as_posix(),
        "page": "calculators/rent_subsidy/",
        "form": "assets/calc/form.mjs",
        "search": "search/search_index.json",
    }


@pytest.mark.parametrize(("role", "mime"), [
    ("wasm", "application/wasm"),
    ("asm", "text/javascript"),
    ("worker", "text/javascript"),
    ("stdlib", "application/zip"),
    ("app", "application/zip"),
    ("bundle", "text/javascript"),
    ("form", "text/javascript"),
    ("page", "text/html"),
    ("search", "application/json"),
])
def test_mime_types(site_server: str, files: dict[str, str], role: str, mime: str) -> None:
    status, headers, _ = fetch(site_server + files[role])
    assert status == 200
    assert headers["content-type"].split(";")[0] == mime
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("role", ["wasm", "asm", "stdlib", "app", "page", "bundle", "search"])
def test_brotli_then_gzip_then_identity(site_server: str, built_site: Path,
                                        files: dict[str, str], role: str) -> None:
    path = files[role].split("?")[0]
    original = (built_site / path / ("index.html" if path.endswith("/") else "")).read_bytes()
    url = site_server + files[role]
    for accept, encoding, decode in [
        ("gzip, deflate, br, zstd", "br", brotli.decompress),  # what Chromium sends
        ("br", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("identity", None, bytes),
    ]:
        status, headers, body = fetch(url, **{"Accept-Encoding": accept})
        assert status == 200, accept
        assert headers.get("content-encoding") == encoding, accept
        assert headers["vary"] == "Accept-Encoding", accept
        assert decode(body) == original, accept
    status, headers, body = fetch(url)  # no Accept-Encoding at all
    assert "content-encoding" not in headers and body == original


@pytest.mark.parametrize("role", ["wasm", "asm", "stdlib", "app", "worker", "bundle"])
def test_versioned_paths_are_immutable(site_server: str, files: dict[str, str], role: str) -> None:
    _, headers, _ = fetch(site_server + files[role], **{"Accept-Encoding": "br"})
    assert headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("role", ["page", "form", "search"])
def test_pages_are_revalidated_with_a_304(site_server: str, files: dict[str, str],
                                          role: str) -> None:
    url = site_server + files[role]
    status, headers, _ = fetch(url, **{"Accept-Encoding": "br"})
    assert status == 200 and headers["cache-control"] == "no-cache"
    etag, modified = headers["etag"], headers["last-modified"]
    for condition in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        status, headers, body = fetch(url, **{"Accept-Encoding": "br"}, **condition)
        assert status == 304, condition
        assert body == b""
    # The worker without its ?v=<hash> is not a versioned URL.
    _, headers, _ = fetch(site_server + "assets/calc/worker.mjs")
    assert headers["cache-control"] == "no-cache"


def test_csp_header_is_the_pages_policy_and_covers_every_inline_script(
    site_server: str, built_site: Path, files: dict[str, str]
) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    policies = set()
    for page in pages:
        html = page.read_text("utf-8")
        head = html[: html.index("</head>")]
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', head)
        assert meta, page
        # Before any script: a <meta> policy applies only to what comes after it.
        assert head.index(meta[0]) < head.find("<script") or "<script" not in head, page
        policies.add(meta[1])
        for script in csp.inline_scripts(html):
            assert csp.source_hash(script) in meta[1], (page, script[:80])
        for style in csp.inline_styles(html):
            assert csp.source_hash(style) in meta[1], (page, style[:80])
        assert not re.search(r"<[a-z][^>]*\sstyle=", html), page  # no style attribute
    assert len(policies) == 1  # one policy for the whole site (instant navigation)
    policy = policies.pop()
    for role in ("page", "worker", "form"):
        _, headers, _ = fetch(site_server + files[role])
        assert headers["content-security-policy"] == csp.header_policy(policy), role
    for role in ("wasm", "stdlib", "search"):  # not a document or a script: no policy sent
        _, headers, _ = fetch(site_server + files[role])
        assert "content-security-policy" not in headers, role
    _, headers, _ = fetch(site_server + "no/such/page/")
    assert headers["content-security-policy"] == csp.header_policy(policy)
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["object-src"] == directives["base-uri"] == directives["form-action"] \
        == "'none'"
    script_src = directives["script-src"].split()
    assert script_src[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert all(s.startswith("'sha256-") for s in script_src[2:]) and len(script_src) > 2
    assert directives["style-src"].split()[0] == "'self'"
    assert all(s.startswith("'sha256-") for s in directives["style-src"].split()[1:])
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy


def test_the_policy_snippet_is_not_served(site_server: str, built_site: Path) -> None:
    assert (built_site / csp.SNIPPET).is_file()
    status, _, _ = fetch(site_server + csp.SNIPPET)
    assert status == 404
