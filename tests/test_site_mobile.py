"""A 375 × 667 phone: no page scrolls sideways, calculator forms and results included (a wide
result table scrolls inside its own wrapper), and the controls are big enough to use.

A failing test leaves full-page screenshots in test-artifacts/ (conftest).
"""

from __future__ import annotations

from browsing import FORMS, POLICY_PAGES, visit, wait_ready
from test_widget_hostile import base_case

from calculators import permalink_query

PHONE = {"width": 375, "height": 667}
MIN_TARGET_PX = 24  # WCAG 2.2 target size (minimum)

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("article *")].filter((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) return false;
    // Inside a box that scrolls sideways by itself (a table wrapper): fine.
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return false;
    }
    return true;
  });
  return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
           wide: wide.slice(0, 5).map((el) => el.tagName + "." + el.className) };
}"""

SMALL_CONTROLS = """(min) => {
  const width = document.documentElement.clientWidth;
  const controls = [...document.querySelectorAll(
    ".fs-calc input[type=text], .fs-calc button, .fs-calc summary, .fs-field__choices label")];
  return controls.filter((el) => el.offsetParent !== null).flatMap((el) => {
    const r = el.getBoundingClientRect();
    const bad = r.height < min || r.width < min || r.left < 0 || r.right > width;
    return bad ? [`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 12)}" ` +
                  `${Math.round(r.width)}×${Math.round(r.height)} at ${Math.round(r.left)}`] : [];
  });
}"""


def no_sideways_scroll(page, where: str) -> None:
    got = page.evaluate(OVERFLOW)
    assert got["scroll"] <= got["inner"], f"{where}: page scrolls sideways {got}"
    assert not got["wide"], f"{where}: wider than the screen: {got['wide']}"


def test_every_page_fits_a_phone(calc_page, site_server: str) -> None:
    page = calc_page
    page.set_viewport_size(PHONE)
    for path in [*POLICY_PAGES, "measures/#art2"]:
        visit(page, site_server, path)
        no_sideways_scroll(page, path or "home")
    for form in FORMS:
        visit(page, site_server, f"calculators/{form}/" + permalink_query(base_case(form).inputs))
        wait_ready(page)
        page.wait_for_selector(".fs-calc__result[data-amount-max]")
        page.evaluate("document.querySelector('.fs-calc__more')?.setAttribute('open', '')")
        no_sideways_scroll(page, f"{form} with its result")
        small = page.evaluate(SMALL_CONTROLS, MIN_TARGET_PX)
        assert not small, f"{form}: controls too small or off screen: {small}"
    # 政策匹配's result table is wider than a phone: it scrolls inside its wrapper.
    table = page.locator("table.fs-match")
    assert table.evaluate("t => t.getBoundingClientRect().width") > 0
    assert table.evaluate("t => getComputedStyle(t.closest('.md-typeset__scrollwrap'))"
                          ".overflowX") in ("auto", "scroll")


def test_errors_and_long_input_fit_a_phone(calc_page, site_server: str) -> None:
    page = calc_page
    page.set_viewport_size(PHONE)
    long = "<img src=x onerror=alert(1)>" + "9" * 200
    visit(page, site_server, f"calculators/growth_award/?revenue_last_year={long}&x{'y' * 80}=1")
    wait_ready(page)
    page.wait_for_selector(".fs-field--invalid")
    no_sideways_scroll(page, "growth_award with errors and a long value")
