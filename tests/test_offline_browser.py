"""Offline after one visit (the service worker, sitebuild/offline.py), in real Chromium against
the site served by real nginx: the home page and one calculator visited, then the browser
context's offline switch; every page opens, search finds, and every calculator computes from a
permalink. And a new build served to the same profile: the notice “本站已更新” once, then the new
text."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

from browsing import BOOT_TIMEOUT, FORMS, POLICY_PAGES, cpython_answer, expected_amount, visit
from test_site_search import search

import calculators
from devtools import nginx_server
from sitebuild import offline, precompress
from sitebuild.casedata import load_cases

RESULT = ".fs-calc__result .fs-result"


def test_service_worker_is_served_no_cache_under_the_csp(site_server: str, built_site) -> None:
    with urllib.request.urlopen(site_server + "sw.js") as response:
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        body = response.read().decode("utf-8")
    manifest = json.loads(body.split("const MANIFEST = ", 1)[1].split(";\n", 1)[0])
    # Made from the built site: every page, the search index; the engine by its versioned URLs.
    pages = {p.parent.relative_to(built_site).as_posix() + "/"
             for p in built_site.rglob("index.html")} - {"./"}
    assert pages | {"", "search/search_index.json", "sitemap.xml"} <= set(manifest["precache"])
    assert not [p for p in manifest["precache"] if p.endswith((".br", ".gz", ".map"))]
    assert any(u.endswith("pyodide.asm.wasm") for u in manifest["engine"])
    assert [u for u in manifest["extras"] if "/extras-" in u]


def _first_visit(page, base: str) -> None:
    """The home page, then a calculator: the worker registered, the engine kept."""
    page.goto(base)
    page.wait_for_function("() => document.documentElement.dataset.fsOffline === 'registered'")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(base + "calculators/rent_subsidy/")
    page.wait_for_selector('.fs-calc__status[data-state="ready"]', timeout=BOOT_TIMEOUT)
    page.wait_for_function("() => document.documentElement.dataset.fsKeptEngine === '1'",
                           timeout=BOOT_TIMEOUT)


def test_every_page_search_and_calculator_offline(new_page, site_server: str) -> None:
    page = new_page()
    _first_visit(page, site_server)
    kept = page.evaluate("""async () => (await (await caches.open('fs-engine-files')).keys())
                            .map((r) => new URL(r.url).pathname)""")
    assert any(k.endswith("pyodide.asm.wasm") for k in kept), kept  # no size limit: 9.6 MB
    page.context.set_offline(True)
    assert page.evaluate("navigator.onLine") is False

    pages = [*POLICY_PAGES, *(f"calculators/{f}/" for f in FORMS), "404.html"]
    for path in pages:
        page.goto(site_server + path)
        title = page.locator("article h1").first.text_content(timeout=10_000)
        assert title, path
    assert "/measures/" in search(page, site_server, "租金补贴")  # Material's search worker
    page.goto(site_server + "no-such-page/")  # not in the build: its 404 page, from the cache
    assert page.locator("article h1").text_content(timeout=10_000).startswith("404")

    # Every calculator from a worked case's permalink: the first by loading it (a new worker
    # starts from the cached engine), the rest by instant navigation.
    for n, form in enumerate(FORMS):
        case = load_cases(form)[0]
        href = calculators.calculator_href(form, case.inputs)
        if n == 0:
            page.goto(site_server + href)
        else:
            visit(page, site_server, href)
        page.wait_for_selector(RESULT, timeout=BOOT_TIMEOUT)
        page.wait_for_function("() => document.querySelector('.fs-calc__result').dataset.amountMax")
        result, errors = cpython_answer(form, case.inputs)
        assert not errors
        shown = page.locator(".fs-calc__result").get_attribute("data-amount-max")
        assert shown == expected_amount(form, result), form
    assert not [e for e in page.console_errors if e.startswith("pageerror")], page.console_errors


def test_a_new_build_is_announced_once(new_page, built_site: Path, tmp_path_factory) -> None:
    """The same profile meets a new build: told once, then given the new text."""
    site = tmp_path_factory.mktemp("redeploy") / "site"
    shutil.copytree(built_site, site)
    port = nginx_server.free_port()
    with nginx_server.serve(site, port, tmp_path_factory.mktemp("nginx-redeploy")) as base:
        page = new_page()
        page.goto(base)
        page.wait_for_function("() => document.documentElement.dataset.fsOffline === 'registered'")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        assert page.evaluate("!!navigator.serviceWorker.controller")
        old = page.evaluate("caches.keys()")

        # A new build: the home page's text changed, then what the build does after the pages
        # are written (the worker's list and version, the precompressed twins).
        home = site / "index.html"
        new_text = "本站测试：这是更新后的新文字。"
        html = home.read_text("utf-8")
        assert html.count("</article>") == 1
        home.write_text(html.replace("</article>", f'<p id="fs-new">{new_text}</p></article>'),
                        "utf-8")
        offline.write(site, offline.runtime_from_pages(site))
        precompress.precompress(site)

        page.goto(base + "notice/")
        notice = page.locator(".fs-updated")
        notice.wait_for(timeout=30_000)
        assert "本站已更新" in notice.text_content()
        assert notice.get_attribute("role") == "status"
        new = page.evaluate("caches.keys()")
        assert [k for k in new if k.startswith("fs-site-")] != [k for k in old if
                                                               k.startswith("fs-site-")]
        assert len([k for k in new if k.startswith("fs-site-")]) == 1  # the old one deleted

        for _ in range(2):  # the new text, and no second notice
            page.goto(base)
            assert page.locator("#fs-new").text_content() == new_text
            page.wait_for_load_state("networkidle")
            assert page.locator(".fs-updated").count() == 0
        # Offline now, the cache has the new build's text too.
        page.context.set_offline(True)
        page.goto(base)
        assert page.locator("#fs-new").text_content() == new_text
