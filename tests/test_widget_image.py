"""The engine's start-up image: a memory snapshot kept in the reader's browser (worker.mjs).

The first visit starts Pyodide as usual and stores the image; a later visit starts from it. What
must hold: the later visit really uses it and answers as CPython does; a damaged image is refused
and replaced, never used; an image from another release is deleted; and the image holds nothing
anyone typed (it is taken before the first request runs).
"""

from __future__ import annotations

from test_widget_browser import TIMEOUT, first_case, shown_result

import calculators
from calculators import permalink_query

MEASURE = "rent_subsidy"
IMAGES = "fs-calc-engine"

ENGINE = "() => [window.fsCalcEngine.startedFrom, window.fsCalcEngine.image ?? null]"
STORED = "() => window.fsCalcEngine.image === 'stored'"
ENTRIES = """async (name) => {
  const cache = await caches.open(name);
  const out = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    out.push({ url: request.url, size: Number(response.headers.get("x-fs-size")),
               bytes: (await response.arrayBuffer()).byteLength });
  }
  return out;
}"""


def open_permalink(page, base: str, case) -> dict:
    page.goto(f"{base}calculators/{MEASURE}/{permalink_query(case.inputs)}")
    return shown_result(page)


def expected(case) -> str:
    return calculators.evaluate(MEASURE, case.inputs)["amount_max"]


def test_second_visit_starts_from_the_stored_image(page, site_server: str) -> None:
    case = first_case(MEASURE)
    first = open_permalink(page, site_server, case)
    assert first["amount_max"] == expected(case)
    assert page.evaluate(ENGINE)[0] == "fresh"
    page.wait_for_function(STORED, timeout=TIMEOUT)
    [entry] = page.evaluate(ENTRIES, IMAGES)
    assert entry["size"] > 10_000_000  # the runtime's whole memory
    assert entry["bytes"] < entry["size"]  # stored without its zero pages

    page.reload()
    again = shown_result(page)
    assert page.evaluate(ENGINE) == ["image", None]  # started from it, stored nothing new
    assert again["amount_max"] == expected(case)
    assert again["eligible"] is True

    other = first_case(MEASURE, eligible=False)  # and it keeps computing, here: ineligible
    after = open_permalink(page, site_server, other)
    assert page.evaluate(ENGINE)[0] == "image"
    assert after["eligible"] is False
    assert after["amount_max"] == expected(other)
    assert not page.console_errors, page.console_errors


DAMAGE = """async (name) => {
  const cache = await caches.open(name);
  const [request] = await cache.keys();
  const response = await cache.match(request);
  const bytes = new Uint8Array(await response.arrayBuffer());
  bytes[bytes.length >> 1] ^= 0xff;  // one flipped byte in the middle
  await cache.put(request, new Response(bytes, { headers: response.headers }));
}"""


def test_damaged_image_is_refused_and_replaced(page, site_server: str) -> None:
    case = first_case(MEASURE)
    open_permalink(page, site_server, case)
    page.wait_for_function(STORED, timeout=TIMEOUT)
    page.evaluate(DAMAGE, IMAGES)

    page.reload()
    result = shown_result(page)
    assert page.evaluate(ENGINE)[0] == "fresh"  # not from the damaged image
    assert result["amount_max"] == expected(case)
    page.wait_for_function(STORED, timeout=TIMEOUT)  # a good one replaces it
    assert len(page.evaluate(ENTRIES, IMAGES)) == 1

    page.reload()
    shown_result(page)
    assert page.evaluate(ENGINE)[0] == "image"
    assert not page.console_errors, page.console_errors


def test_image_of_another_release_is_deleted(page, site_server: str) -> None:
    page.goto(site_server)
    stale = f"{site_server}fs-engine-image?release-before"
    page.evaluate("""async ([name, url]) => {
      const cache = await caches.open(name);
      await cache.put(url, new Response(new Uint8Array(64), { headers: { "x-fs-size": "64" } }));
    }""", [IMAGES, stale])
    open_permalink(page, site_server, first_case(MEASURE))
    assert page.evaluate(ENGINE)[0] == "fresh"
    page.wait_for_function(STORED, timeout=TIMEOUT)
    urls = [e["url"] for e in page.evaluate(ENTRIES, IMAGES)]
    assert len(urls) == 1 and urls[0] != stale


TYPED = "98765.43"  # figures no worked case and no parameter contains


def test_image_holds_nothing_typed(page, site_server: str) -> None:
    """A permalink's request waits in the worker while the engine starts and is answered first
    thing after: were the image taken after it, the figures would be in the runtime's memory."""
    case = first_case(MEASURE)
    assert "rent_area_m2" in case.inputs
    inputs = {**case.inputs, "rent_area_m2": TYPED}
    page.goto(f"{site_server}calculators/{MEASURE}/{permalink_query(inputs)}")
    shown_result(page)
    page.wait_for_function(STORED, timeout=TIMEOUT)
    found = page.evaluate("""async ([name, typed]) => {
      const cache = await caches.open(name);
      const [request] = await cache.keys();
      const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
      const text = new TextDecoder("latin1").decode(bytes);
      const wide = typed.split("").join("\\u0000");  // UCS-2 strings in memory
      return [text.includes(typed), text.includes(wide)];
    }""", [IMAGES, TYPED])
    assert found == [False, False]
