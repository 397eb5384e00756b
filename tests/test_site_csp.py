"""The Content-Security-Policy in the browser (nginx's header and the pages' <meta>): every page and
every calculator works without a single violation, and the browser itself refuses a request to
another origin, from the page and from the calculators' worker. The privacy promise (nothing
typed leaves the browser) is then enforced by the browser, not only tested."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import BOOT_TIMEOUT, FORMS, visit

from calculators import permalink_query
from sitebuild.casedata import load_cases

# Recorded in every document from its first script on.
RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
RESULT = ".fs-calc__result[data-amount-max]"


def site_pages(built_site: Path) -> list[str]:
    """Every page of the built site, as a path relative to its root."""
    paths = []
    for page in sorted(built_site.rglob("index.html")):
        rel = page.parent.relative_to(built_site).as_posix()
        paths.append("" if rel == "." else rel + "/")
    return paths


@pytest.fixture
def csp_page(new_page):
    """A fresh page recording CSP violations (page and workers) and console errors."""
    page = new_page()
    page.add_init_script(RECORD)
    page.worker_errors = []
    page.on("worker", lambda worker: worker.on(
        "console", lambda msg: msg.type == "error" and page.worker_errors.append(msg.text)))
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.worker_errors


def test_every_page_has_no_violation(csp_page, site_server: str, built_site: Path) -> None:
    pages = site_pages(built_site)
    assert len(pages) >= 10, pages
    for path in [*pages, "404.html"]:
        # A calculator page's engine is checked below, with an answer: here only the page loads.
        calculator = path.startswith("calculators/") and path != "calculators/"
        csp_page.goto(site_server + path, wait_until="load" if calculator else "networkidle")
        assert violations(csp_page) == [], path
        assert csp_page.console_errors == [], path
    # Instant navigation runs the next pages' inline scripts under the first page's policy.
    csp_page.goto(site_server)
    for path in ("contacts/", "calculators/", "notice/"):
        visit(csp_page, site_server, path)
        assert csp_page.evaluate("performance.getEntriesByType('navigation').length") == 1
    csp_page.wait_for_load_state("networkidle")
    assert violations(csp_page) == []
    assert csp_page.console_errors == []


def first_case(form: str):
    return next(c for c in load_cases(form) if "error_fields" not in c.expected)


@pytest.mark.parametrize("form", FORMS)
def test_every_calculator_answers_without_violation(csp_page, site_server: str, form: str) -> None:
    csp_page.goto(site_server + f"calculators/{form}/" + permalink_query(first_case(form).inputs))
    csp_page.wait_for_selector(RESULT, timeout=BOOT_TIMEOUT)
    result = csp_page.locator(".fs-calc__result")
    assert result.inner_text().strip()
    # The result bar's widths are set (through the CSSOM: allowed without 'unsafe-inline').
    fills = csp_page.evaluate(
        "[...document.querySelectorAll('.fs-bar__fill')].map((el) => el.style.width)")
    assert all(width.endswith("%") for width in fills), fills
    csp_page.wait_for_load_state("networkidle")
    assert violations(csp_page) == [], form
    assert csp_page.console_errors == [], form


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Another origin, which would answer anyone (CORS *): it only records what reaches it."""

    def do_GET(self) -> None:
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def other_origin() -> Iterator[http.server.HTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)


FETCH = """async (url) => {
  try { const r = await fetch(url); return `fetched ${r.status} ${await r.text()}`; }
  catch (e) { return `refused: ${e.name}`; }
}"""


def test_the_browser_refuses_other_origins_from_page_and_worker(
    csp_page, site_server: str, other_origin, built_site: Path
) -> None:
    url = f"http://127.0.0.1:{other_origin.server_port}/leak"
    # The other origin does answer the browser where no policy forbids it (a control).
    control = csp_page.context.new_page()
    control.goto(f"http://127.0.0.1:{other_origin.server_port}/")
    assert control.evaluate(FETCH, url) == "fetched 200 ok"
    assert "/leak" in other_origin.seen
    control.close()
    other_origin.seen.clear()

    form = "rent_subsidy"
    csp_page.goto(site_server + f"calculators/{form}/" + permalink_query(first_case(form).inputs))
    csp_page.wait_for_selector(RESULT, timeout=BOOT_TIMEOUT)
    assert csp_page.evaluate(FETCH, url + "?from=page") == "refused: TypeError"
    # …refused by the policy: the page hears of its violation.
    csp_page.wait_for_function(
        "(url) => window.__csp.some((v) => v.startsWith(`connect-src ${url}`))", arg=url)
    workers = [w for w in csp_page.workers if "/assets/calc/worker.mjs" in w.url]
    assert len(workers) == 1, [w.url for w in csp_page.workers]
    assert workers[0].evaluate(FETCH, url + "?from=worker") == "refused: TypeError"
    assert workers[0].evaluate("typeof self.fetch") == "function"
    # Nothing reached it: the browser refused both, not the network or CORS (which would have
    # let the request through and hidden the answer).
    assert other_origin.seen == []
