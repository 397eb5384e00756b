"""Shared fixtures for the site tests (and the calculator widget tests of later issues).

``built_site``   session: ``mkdocs build --strict`` once into a temp dir → Path
``site_server``  session: the built site served by nginx with scripts/nginx.conf on
                 http://127.0.0.1:<free port>/ → base URL (ends in /)
``browser``      session: headless Chromium via Playwright (CHROMIUM_PATH or /usr/bin/chromium)
``page``         function: a fresh context + page recording ``page.requests`` (every URL
                 requested) and ``page.console_errors`` (console errors and page errors)
``new_page``     function: ``new_page(**context_options)`` → such a page in a context of your own
                 (viewport, color_scheme, java_script_enabled …)
A browser test that fails leaves a full-page screenshot of each of its pages in test-artifacts/.
Every answer the suite produces is checked against the published schema (tests/contract.py):
the public functions and the bridge are wrapped here, before any test module imports them, and
every bridge exchange of a browser page is recorded and checked when its test ends.
``source_text``  session: the source document as received (../shared/source/…)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import contract
import pytest

from devtools import chromium, nginx_server

contract.install()

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored; screenshots of failed browser tests
SOURCE = ROOT.parent / "shared" / "source" / "000_c522c781aaa29b67.txt"
MKDOCS = Path(sys.executable).with_name("mkdocs")


@pytest.fixture(scope="session")
def source_text() -> str:
    """The source document (notice, Attachment 1, Attachment 2) as received."""
    if not SOURCE.is_file():
        pytest.fail(f"source document not found at {SOURCE} (shared/ must sit beside the repo)")
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def _site_port() -> int:
    """A free 127.0.0.1 port, known before the build: Material's instant navigation only follows
    links listed in sitemap.xml, and it re-bases the sitemap's scheme and host but not its port,
    so the site is built with SITE_URL on the port it will be served from."""
    return nginx_server.free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, _site_port: int) -> Path:
    """Build the site once with ``mkdocs build --strict``; fail with MkDocs' output if it fails."""
    out = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": f"http://127.0.0.1:{_site_port}/",
    }
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}",
            pytrace=False,
        )
    return out


@pytest.fixture(scope="session")
def site_server(built_site: Path, _site_port: int,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve ``built_site`` with real nginx and the repository's scripts/nginx.conf, as production
    does (Brotli/gzip twins, caching headers, the Content-Security-Policy); yields the base URL
    (ends in /). A missing nginx is a failure, never a skip."""
    try:
        with nginx_server.serve(built_site, _site_port, tmp_path_factory.mktemp("nginx")) as url:
            yield url
    except nginx_server.NginxError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium. A missing browser is a failure, never a skip."""
    from playwright.sync_api import sync_playwright

    path = chromium.executable()
    if not Path(path).is_file():
        pytest.fail(f"Chromium not found at {path}: install it or set CHROMIUM_PATH", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=chromium.ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Remember each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser, request: pytest.FixtureRequest):
    """``new_page(**context_options)``: a page in a fresh context that records its traffic.

    ``page.requests``: every URL the page requested, in order (the worker's too).
    ``page.console_errors``: console messages of type error, and uncaught page errors.
    If the test fails, each page's screenshot goes to test-artifacts/<test name>-<n>.png.
    """
    contexts = []
    exchanges: list[tuple[str, str]] = []

    def make(**options):
        context = browser.new_context(**{"locale": "zh-CN", "timezone_id": "Asia/Shanghai",
                                         **options})
        contract.record_in(context, exchanges)
        contexts.append(context)
        pg = context.new_page()
        pg.requests = []
        pg.console_errors = []
        pg.on("request", lambda req: pg.requests.append(req.url))
        pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
        pg.on("pageerror", lambda err: pg.console_errors.append(f"pageerror: {err}"))
        return pg

    try:
        yield make
    finally:
        _screenshot_if_failed(request, [pg for c in contexts for pg in c.pages])
        for context in contexts:
            context.close()
    contract.check_browser(exchanges)


@pytest.fixture
def page(new_page):
    """A fresh browser context and page that records requests and console errors."""
    return new_page()


# --- reading the built pages --------------------------------------------------------------------

# The policy pages, by source file → built HTML path.
PAGES = {
    "index.md": "index.html",
    "notice.md": "notice/index.html",
    "measures.md": "measures/index.html",
    "contacts.md": "contacts/index.html",
    "rules.md": "rules/index.html",
}


def article_text(html: str) -> str:
    """The visible text of a page's main article (no scripts, styles or permalink signs)."""

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.depth = 0  # >0 inside <article>
            self.skip = 0  # >0 inside script/style/headerlink
            self.parts: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            cls = dict(attrs).get("class") or ""
            if tag == "article":
                self.depth += 1
            elif self.depth and (tag in ("script", "style") or "headerlink" in cls):
                self.skip += 1

        def handle_endtag(self, tag: str) -> None:
            if tag == "article" and self.depth:
                self.depth -= 1
            elif self.skip and tag in ("script", "style", "a"):
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if self.depth and not self.skip:
                self.parts.append(data)

    parser = Parser()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture(scope="session")
def site_html(built_site: Path) -> dict[str, str]:
    """The built HTML of each policy page, keyed by its Markdown source name."""
    return {src: (built_site / out).read_text(encoding="utf-8") for src, out in PAGES.items()}


# --- one warm calculator page for many checks ---------------------------------------------------


def _screenshot_if_failed(request: pytest.FixtureRequest, pages) -> None:
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])[:120]
    for n, pg in enumerate(pages, 1):
        try:
            pg.screenshot(path=ARTIFACTS / f"{name}-{n}.png", full_page=True, timeout=10_000)
        except Exception as exc:  # a hung page: say so, keep the test's own error
            print(f"screenshot {name}-{n} failed: {exc}")


@pytest.fixture(scope="session")
def _warm_page(browser, site_server: str):
    """One page for the whole session, moved between pages by instant navigation, so that one
    Pyodide start serves every test that only reads and fills forms (tests/browsing.py)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.exchanges = []  # every bridge exchange, checked against the schema after each test
    contract.record_in(context, pg.exchanges)
    pg.requests, pg.console_errors, pg.dialogs = [], [], []
    pg.on("request", lambda req: pg.requests.append(req.url))
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("pageerror", lambda err: pg.console_errors.append(f"pageerror: {err}"))

    def on_dialog(dialog) -> None:  # a script that runs alert() is a failure, recorded
        pg.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def calc_page(_warm_page, request: pytest.FixtureRequest):
    """The warm page, reset for one test: desktop size, light scheme, empty records
    (``requests``, ``console_errors``, ``dialogs``: alert/confirm/prompt messages)."""
    pg = _warm_page
    pg.set_viewport_size({"width": 1280, "height": 720})
    pg.emulate_media(color_scheme="light")
    pg.requests.clear()
    pg.console_errors.clear()
    pg.dialogs.clear()
    yield pg
    _screenshot_if_failed(request, [pg])
    exchanges, pg.exchanges[:] = list(pg.exchanges), []
    contract.check_browser(exchanges)
