"""下一步与金额曲线 in Chromium: chart.mjs, imported from the built site, draws exactly the points
CPython computed; a growth path's link opens its calculator with the change filled in and the
page computes what the step promised; axe finds nothing serious in light or dark mode."""

from __future__ import annotations

import json

from browsing import ANSWER_TIMEOUT, BOOT_TIMEOUT, visit
from test_site_a11y import axe_violations, set_scheme

from calculators import evaluate, match, permalink_query

RD_CASE = {"qualifications": ["specialized_sme"], "revenue_last_year": "1000000000",
           "rd_last_year": "35000000", "rd_year_before": "10000000", "as_of": "2025-06-01"}
PROFILE = {"industry": "advanced_manufacturing", "revenue_last_year": "60000000",
           "qualifications": ["high_tech"], "rent_entry": "new", "rent_area_m2": 1000,
           "rent_per_m2_day": 3, "honor": "specialized_sme", "honor_event": "first_recognition",
           "project_completed_last_year": True, "fixed_asset_investment": "25000000",
           "as_of": "2025-06-01"}

# Render what CPython computed with the module the site serves, under the calculator's result.
RENDER = """async ([url, kind, data]) => {
    const chart = await import(url);
    const node = kind === "path" ? chart.renderGrowthPath(data) : chart.renderGrowth(data);
    node.dataset.test = "growth";
    document.querySelector(".fs-calc").after(node);
}"""

READ_SVG = """() => [...document.querySelectorAll('[data-test=growth] figure')].map((f) => ({
    id: f.querySelector('figcaption').id,
    caption: f.querySelector('figcaption').textContent,
    label: f.querySelector('svg').getAttribute('aria-label'),
    lines: [...f.querySelectorAll('polyline')].map((p) => p.getAttribute('points')),
    circles: [...f.querySelectorAll('circle')].map((c) =>
        [c.getAttribute('class'), c.getAttribute('cx'), c.getAttribute('cy')]),
    rows: [...f.querySelectorAll('tbody tr')].map((r) =>
        [...r.children].map((c) => c.textContent)),
    styled: f.querySelectorAll('[style]').length,
}))"""


def _wait_result(page) -> None:
    page.wait_for_selector(".fs-calc__result[data-amount-max]", timeout=BOOT_TIMEOUT)


def test_chart_draws_pythons_points_and_passes_axe(calc_page, site_server: str) -> None:
    page = calc_page
    visit(page, site_server, "calculators/rd_support/" + permalink_query(RD_CASE))
    _wait_result(page)
    result = evaluate("rd_support", RD_CASE)
    assert result["curves"] and result["next_steps"]["steps"]
    page.evaluate(RENDER, [site_server + "assets/calc/chart.mjs", "result",
                           json.loads(json.dumps(result))])
    shown = page.evaluate(READ_SVG)
    want = []
    for c in result["curves"]:
        els = c["svg"]["elements"]
        want.append({
            "id": c["id"],
            "caption": c["caption"],
            "label": c["svg"]["label"],
            "lines": [e["attrs"]["points"] for e in els if e["tag"] == "polyline"],
            "circles": [[e["attrs"]["class"], e["attrs"]["cx"], e["attrs"]["cy"]]
                        for e in els if e["tag"] == "circle"],
            "rows": c["table"]["rows"],
            "styled": 0,
        })
    assert shown == want
    # the one worded step, as Python wrote it
    texts = page.locator("[data-test=growth] .fs-steps__text").all_inner_texts()
    assert texts == [s["text"] for s in result["next_steps"]["steps"]]
    assert "最高 900 万元" in texts[0]
    found = {}
    for scheme in ("default", "slate"):
        set_scheme(page, scheme)
        if bad := axe_violations(page):
            found[scheme] = bad
    set_scheme(page, "default")
    assert not found, found


def test_growth_path_links_compute_what_they_promise(calc_page, site_server: str) -> None:
    page = calc_page
    path = match(PROFILE)["growth_path"]
    assert [s["measure"] for s in path["steps"]] == [
        "upgrade_support", "sme_honor_award", "rent_subsidy", "growth_award"]
    for i, step in enumerate(path["steps"]):
        visit(page, site_server, "calculators/match/")
        page.evaluate(RENDER, [site_server + "assets/calc/chart.mjs", "path", path])
        items = page.locator("[data-test=growth] .fs-steps__item")
        assert items.count() == len(path["steps"])
        if i == 0:
            assert axe_violations(page) == []
        link = items.nth(i).locator("a")
        assert link.get_attribute("href") == step["href"]
        page.evaluate("document.querySelector('article').dataset.stale = '1'")
        link.click()  # Material's instant navigation swaps the article: wait for the new one
        page.wait_for_function(
            "(m) => location.pathname.endsWith(`/calculators/${m}/`)", arg=step["measure"],
            timeout=ANSWER_TIMEOUT)
        fresh = "article:not([data-stale]) .fs-calc__result[data-amount-max]"
        page.wait_for_selector(fresh, timeout=BOOT_TIMEOUT)
        shown = page.get_attribute(fresh, "data-amount-max")
        assert shown == step["amount_max"], step["text"]
