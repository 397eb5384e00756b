"""Broken conditions, in a real browser: the runtime files missing, blocked or stalled, the worker
hanging or crashing, JavaScript turned off. The person is always told, in Chinese, and offered the
rule text and the contacts; what they typed stays.

Nothing in the shipped code is a test hook. Playwright's routing does the damage: it aborts or
stalls the runtime files, serves the page with short time limits (the documented
data-time-limits attribute of .fs-calc), or serves worker.mjs with a test double in front of it.
"""

from __future__ import annotations

import json
import re

from browsing import BOOT_TIMEOUT, form_state, press_compute, wait_ready
from test_widget_browser import fill, first_case

import calculators

CALC = "calculators/rent_subsidy/"
LIMITS_MS = {"load": 3000, "call": 2000}

# In front of the real worker: a calculation whose request contains one of these numbers hangs,
# or crashes the worker (an uncaught error). (A worker that dies silently, e.g. killed for memory,
# looks like a hang from the page: "97531" closes it, for trying by hand.)
MISBEHAVING_WORKER = """\
// Test double (tests/test_widget_failures.py), served only by the test's page.route.
self.addEventListener("message", (event) => {
  const request = event.data.type === "call" ? event.data.request : "";
  if (request.includes("13579")) { event.stopImmediatePropagation(); for (;;) {} }
  if (request.includes("24680")) {
    event.stopImmediatePropagation();
    setTimeout(() => { throw new Error("simulated crash"); });
  }
  if (request.includes("97531")) { event.stopImmediatePropagation(); self.close(); }
});
"""


def with_time_limits(page, base: str, limits: dict) -> None:
    """Serve the calculator page with short time limits, so no test waits 10 s."""
    def handle(route):
        response = route.fetch()
        attr = json.dumps(limits).replace('"', "&quot;")
        body = response.text().replace('<div class="fs-calc" ',
                                       f'<div class="fs-calc" data-time-limits="{attr}" ', 1)
        assert "data-time-limits" in body
        route.fulfill(response=response, body=body)

    page.route(re.compile(re.escape(base + CALC) + r"(\?.*)?$"), handle)


def status(page) -> tuple[str, str]:
    el = page.locator(".fs-calc__status")
    return el.get_attribute("data-state"), el.inner_text()


def assert_failed_state_helps(page, base: str) -> None:
    page.wait_for_selector('.fs-calc__status[data-state="failed"]', timeout=BOOT_TIMEOUT)
    _, text = status(page)
    assert text.startswith("计算器暂时无法使用。"), text
    assert "政策原文" in text and "政策咨询联系人" in text, text
    links = page.eval_on_selector_all(".fs-calc__status a", "els => els.map(a => a.href)")
    assert base + "measures/" in links and base + "contacts/" in links, links
    assert page.locator(".fs-calc__retry").is_visible()


def fill_case(page) -> dict:
    case = first_case("rent_subsidy")
    for key, value in case.inputs.items():
        fill(page, key, value)
    return case.inputs


def test_runtime_blocked_says_so_then_retry_works(new_page, site_server: str) -> None:
    page = new_page()
    page.context.route("**/assets/pyodide/**", lambda route: route.abort("blockedbyclient"))
    page.goto(site_server + CALC)
    inputs = fill_case(page)
    assert_failed_state_helps(page, site_server)
    typed = form_state(page)["values"]
    press_compute(page)
    state = form_state(page)
    assert state["formError"] and re.search(r"[\u4e00-\u9fff]", state["formError"])
    assert state["values"] == typed, "the form keeps what was typed"
    # The files come back (the network recovers): 重试 starts the engine, and it answers.
    page.context.unroute("**/assets/pyodide/**")
    page.locator(".fs-calc__retry").click()
    # The button goes away with the new status; keyboard focus stays on the status line.
    assert page.evaluate("document.activeElement.classList.contains('fs-calc__status')")
    wait_ready(page)
    press_compute(page)
    assert form_state(page)["amount"] == calculators.evaluate("rent_subsidy", inputs)["amount_max"]


def test_worker_script_missing(new_page, site_server: str) -> None:
    page = new_page()
    page.context.route("**/assets/calc/worker.mjs*", lambda route: route.fulfill(status=404))
    page.goto(site_server + CALC)
    assert_failed_state_helps(page, site_server)
    assert "未能下载或无法运行" in status(page)[1]


def test_runtime_that_never_arrives_times_out(new_page, site_server: str) -> None:
    page = new_page()
    with_time_limits(page, site_server, LIMITS_MS)
    page.context.route("**/pyodide.asm.wasm", lambda route: None)  # never answered: stalled
    page.goto(site_server + CALC)
    assert_failed_state_helps(page, site_server)
    assert "计算引擎在限定时间内未能加载完成" in status(page)[1]


def test_hung_or_crashed_worker_is_restarted_and_the_person_told(new_page, site_server):
    page = new_page()
    with_time_limits(page, site_server, {"call": LIMITS_MS["call"]})

    def misbehaving(route):
        response = route.fetch()
        route.fulfill(response=response, body=MISBEHAVING_WORKER + response.text())

    page.context.route("**/assets/calc/worker.mjs*", misbehaving)
    page.goto(site_server + CALC)
    inputs = fill_case(page)
    wait_ready(page)
    expected = calculators.evaluate("rent_subsidy", inputs)["amount_max"]
    area = page.locator('.fs-field[data-key="rent_area_m2"] input')
    good = area.input_value()
    for trigger, words in [("13579", "计算超过限定时间仍未完成，已停止；计算引擎已重新启动"),
                           ("24680", "计算引擎出错，已自动重新启动，请再试一次")]:
        page.wait_for_function("() => window.fsCalcEngine.image === 'stored'",
                               timeout=BOOT_TIMEOUT)
        first_worker = page.evaluate_handle("window.fsCalcEngine.worker")
        area.fill(trigger)
        press_compute(page)
        state = form_state(page)
        assert words in state["formError"], (trigger, state["formError"])
        assert state["amount"] is None, "no stale result beside the message"
        assert state["values"]["rent_area_m2"] == trigger, "the form keeps what was typed"
        wait_ready(page)  # a fresh worker
        assert page.evaluate("w => window.fsCalcEngine.worker !== w", first_worker)
        # started afresh, not from the start-up image stored meanwhile (test_widget_image.py)
        assert page.evaluate("window.fsCalcEngine.startedFrom") == "fresh"
        area.fill(good)
        press_compute(page)
        assert form_state(page)["amount"] == expected, trigger
    # The page itself never froze: it answered throughout, and no worker's loop reached it.
    assert page.evaluate("1 + 1") == 2


def test_without_javascript(new_page, site_server: str) -> None:
    """The policy and the contacts read without JavaScript; a calculator says it needs it."""
    page = new_page(java_script_enabled=False)
    page.goto(site_server + "measures/")
    assert page.locator("#art2").is_visible()
    assert "房屋租金补贴" in page.locator("article").inner_text()
    page.goto(site_server + "contacts/")
    text = page.locator("article").inner_text()
    assert "81312975" in text, "the contact directory is readable"
    page.goto(site_server + CALC)
    message = page.locator(".fs-calc__status")
    assert message.is_visible()
    assert "本计算器需要在浏览器中启用 JavaScript" in message.inner_text()
    links = page.eval_on_selector_all(".fs-calc__status a", "els => els.map(a => a.href)")
    assert links == [site_server + "measures/", site_server + "contacts/"]
    assert not page.locator(".fs-calc__form").is_visible(), "a form that cannot work is hidden"
    assert page.locator(".fs-clause, blockquote").first.is_visible(), "the rule is quoted"
    assert not [u for u in page.requests if "/assets/pyodide/" in u]
