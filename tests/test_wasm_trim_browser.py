"""The trimmed runtime in Chromium (sitebuild/wasm_trim.py, worker.mjs's trimmed-runtime block).

A normal visit runs the trimmed wasm and never fetches the full one, from both start-up paths
(fresh, and from the stored image): Chromium's V8 may call at start-up what Node's did not, and
then this test fails, not a reader. A request that runs code outside the profile (the bridge's
`runtime-check` op: cmath, which no calculator imports) traps in the trimmed wasm: the worker
starts again on the full wasm from its own path, replays the request, and the reader gets
CPython's answer, with nothing alarming on the page and no console error; the browser remembers,
and its next visit starts on the full wasm at once.
"""

from __future__ import annotations

import json
import re

import pytest
from test_serve_ready import runtime_of
from test_widget_browser import TIMEOUT, first_case, shown_result
from test_widget_image import ENGINE, STORED

import calculators
from calculators import permalink_query
from calculators.adapters import bridge
from sitebuild import wasm_trim

MEASURE = "rent_subsidy"
WASM = "() => window.fsCalcEngine.wasm"
CHECK = '{"op": "runtime-check"}'
CALL = "(r) => window.fsCalcEngine.call(JSON.parse(r))"
STATUS = "() => [document.querySelector('.fs-calc__status').dataset.state, " \
         "document.querySelector('.fs-calc__status').innerText]"
NOTES = """async () => (await (await caches.open("fs-calc-engine")).keys())
  .map((r) => r.url).filter((u) => u.includes("fs-engine-full"))"""


def wasm_requests(page) -> tuple[list[str], list[str]]:
    """(trimmed, full) wasm URLs the page and its worker requested."""
    wasm = [u for u in page.requests if u.endswith("pyodide.asm.wasm")]
    trimmed = [u for u in wasm if re.search(r"/trimmed-[0-9a-f]{10}/pyodide\.asm\.wasm$", u)]
    return trimmed, [u for u in wasm if u not in trimmed]


def visit_case(page, base: str, case) -> dict:
    page.goto(f"{base}calculators/{MEASURE}/{permalink_query(case.inputs)}")
    return shown_result(page)


def test_a_normal_visit_runs_the_trimmed_wasm_from_both_start_up_paths(page, site_server):
    case = first_case(MEASURE)
    expected = calculators.evaluate(MEASURE, case.inputs)["amount_max"]
    assert visit_case(page, site_server, case)["amount_max"] == expected
    assert page.evaluate(WASM) == "trimmed"
    page.wait_for_function(STORED, timeout=TIMEOUT)
    page.reload()
    assert shown_result(page)["amount_max"] == expected
    assert page.evaluate(ENGINE)[0] == "image" and page.evaluate(WASM) == "trimmed"
    trimmed, full = wasm_requests(page)
    assert trimmed and not full, (trimmed, full)
    assert not page.console_errors, page.console_errors


def test_a_trap_restarts_on_the_full_wasm_replays_and_is_remembered(page, site_server):
    case = first_case(MEASURE)
    visit_case(page, site_server, case)
    before = page.evaluate(STATUS)
    assert before[0] == "ready" and page.evaluate(WASM) == "trimmed"
    assert not wasm_requests(page)[1]

    answer = page.evaluate(CALL, CHECK)
    assert answer == json.loads(bridge.handle(CHECK))  # CPython's answer, after the replay
    assert page.evaluate(WASM) == "full"
    full = wasm_requests(page)[1]
    assert len(full) == 1 and "/trimmed-" not in full[0], full
    assert page.evaluate(STATUS) == before  # the page says nothing of it
    assert page.locator(".fs-calc__result").count() == 1
    assert not page.console_errors, page.console_errors  # Pyodide's trap report is held
    # The restarted engine keeps computing, here another worked case, as CPython does.
    other = json.dumps({"op": "evaluate", "measure": MEASURE,
                        "inputs": first_case(MEASURE, eligible=False).inputs}, default=str)
    assert page.evaluate(CALL, other) == json.loads(bridge.handle(other))
    # Remembered for this browser: the next start is on the full wasm, without a trap first.
    assert page.evaluate(NOTES), "no note of the fallback in Cache Storage"
    page.reload()
    shown_result(page)
    assert page.evaluate(WASM) == "full"
    assert not page.console_errors, page.console_errors


def exported_function(wasm: bytes, name: str) -> int:
    """The function index of an export (the trimmed wasm keeps every export)."""
    sec = next(s for s in wasm_trim.sections(wasm) if s.id == 7)
    count, at = wasm_trim._leb(wasm, sec.body)
    for _ in range(count):
        size, at = wasm_trim._leb(wasm, at)
        export, at = wasm[at:at + size].decode(), at + size
        kind, (index, at) = wasm[at], wasm_trim._leb(wasm, at + 1)
        if kind == 0 and export == name:
            return index
    raise AssertionError(f"no exported function {name}")


# Functions every fresh start runs, stubbed in turn: PyObject_Vectorcall, all through; and
# PyDict_Watch, near the end of Python's own start-up (emscripten's callMain), whose trap Pyodide
# swallows: loadPyodide returns a runtime that still answers, with an interpreter half set up
# (found by stubbing, one at a time, the last functions the start-up compiles). Only the
# unhandled rejection tells; the worker must not use that runtime.
@pytest.mark.parametrize("victim_name", ["PyObject_Vectorcall", "PyDict_Watch"])
def test_a_trap_at_start_up_ends_on_the_full_wasm_with_the_answer(page, site_server, built_site,
                                                                   victim_name):
    """What the fallback is for: Chromium's V8 calling at start-up what the Node profile never
    saw. Here the site's trimmed wasm, served with one more function stubbed, one that every
    start runs."""
    runtime = runtime_of(built_site)
    trimmed = (built_site / runtime["indexURL"] / "pyodide.asm.wasm").read_bytes()
    first = wasm_trim.imported_functions(trimmed)
    kept = {first + i for i, (s, e) in enumerate(wasm_trim.bodies(trimmed))
            if trimmed[s:e] != wasm_trim.STUB}
    victim = exported_function(trimmed, victim_name)
    assert victim in kept
    broken = wasm_trim.trim(trimmed, kept - {victim}).wasm
    page.context.route(re.compile(r".*/trimmed-[0-9a-f]{10}/pyodide\.asm\.wasm$"),
               lambda route: route.fulfill(body=broken, content_type="application/wasm"))
    case = first_case(MEASURE)
    shown = visit_case(page, site_server, case)
    assert shown["amount_max"] == calculators.evaluate(MEASURE, case.inputs)["amount_max"]
    assert page.evaluate(WASM) == "full"
    assert page.evaluate(STATUS)[0] == "ready"
    assert len(wasm_requests(page)[1]) == 1
    assert not page.console_errors, page.console_errors
