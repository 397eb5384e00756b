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


# Each row of 政策匹配's result on a phone: one block as wide as the article, and no verdict,
# amount or label broken across lines (an inline box that wraps has more than one line box).
MATCH_ROWS = """() => {
  const article = document.querySelector(".fs-result").getBoundingClientRect();
  return [...document.querySelectorAll("table.fs-match tbody tr")].map((tr) => {
    const words = [...tr.querySelectorAll(".fs-status span, .fs-num span, .fs-clause, .fs-nowrap")];
    const r = tr.getBoundingClientRect();
    return {
      measure: tr.dataset.measure,
      display: getComputedStyle(tr).display,
      wide: r.width >= article.width * 0.9, width: [r.width, article.width],
      header: getComputedStyle(document.querySelector("table.fs-match thead")).display,
      broken: words.filter((el) => el.getClientRects().length !== 1).map((el) => el.textContent),
      words: words.length,
      text: tr.innerText,
    };
  });
}"""


def test_match_result_reads_as_blocks_on_a_phone(calc_page, site_server: str) -> None:
    page = calc_page
    page.set_viewport_size(PHONE)
    # A profile with measures of every status: eligible, ineligible, needs input.
    query = permalink_query({"revenue_last_year": 60_000_000, "industry": "software_it",
                             "qualifications": ["high_tech"], "rent_entry": "new",
                             "rent_area_m2": 1000, "rent_per_m2_day": 3,
                             "project_completed_last_year": False,
                             "fixed_asset_investment": 40_000_000, "as_of": "2025-06-01"})
    visit(page, site_server, "calculators/match/" + query)
    wait_ready(page)
    page.wait_for_selector(".fs-calc__result[data-amount-max]")
    rows = page.evaluate(MATCH_ROWS)
    statuses = set(page.eval_on_selector_all("table.fs-match tbody tr",
                                             "trs => trs.map((tr) => tr.dataset.status)"))
    assert statuses == {"eligible", "ineligible", "needs_input"}, statuses
    assert len(rows) == 7
    for row in rows:
        assert row["display"] == "block" and row["wide"], row["width"]
        assert row["header"] == "none", row
        assert row["words"] >= 3, row  # verdict, amount, clause label (and missing labels)
        assert row["broken"] == [], f"{row['measure']}: wraps inside {row['broken']}"
    no_sideways_scroll(page, "match result")


def test_errors_and_long_input_fit_a_phone(calc_page, site_server: str) -> None:
    page = calc_page
    page.set_viewport_size(PHONE)
    long = "<img src=x onerror=alert(1)>" + "9" * 200
    visit(page, site_server, f"calculators/growth_award/?revenue_last_year={long}&x{'y' * 80}=1")
    wait_ready(page)
    page.wait_for_selector(".fs-field--invalid")
    no_sideways_scroll(page, "growth_award with errors and a long value")
