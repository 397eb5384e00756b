"""What docs/privacy.md promises, checked in a real browser: once the engine is ready, filling in
and computing makes no network request at all; the figures appear in no request and in no
browser storage; the site sets no cookie; 清空 takes the figures out of the address."""

from __future__ import annotations

from browsing import form_state, press_compute, visit, wait_ready

FIGURE = "98765.4321"  # a figure nobody else would send


def test_figures_stay_in_the_browser(calc_page, site_server: str) -> None:
    page = calc_page
    visit(page, site_server, "calculators/rent_subsidy/")
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    page.requests.clear()
    page.locator('.fs-field[data-key="rent_entry"] input[value="new"]').check()
    page.locator('.fs-field[data-key="rent_area_m2"] input').fill(FIGURE)
    page.locator('.fs-field[data-key="rent_per_m2_day"] input').fill("2")
    press_compute(page)
    assert form_state(page)["amount"] is not None
    page.locator('.fs-field[data-key="rent_per_m2_day"] input').fill("1.5")
    press_compute(page)
    # Chromium fetches the site's own icon again when the address changes (the permalink); that
    # request carries nothing typed. Nothing else is requested.
    made = [u for u in page.requests if not u.endswith("/assets/images/favicon.png")]
    assert made == [], f"computing made requests: {made}"
    assert not [u for u in page.requests if "98765" in u]
    stored = page.evaluate("JSON.stringify([{...localStorage}, {...sessionStorage}])")
    assert FIGURE not in stored and "98765" not in stored, stored
    assert page.context.cookies() == []
    assert FIGURE in page.url  # the permalink: the privacy page says so
    page.get_by_role("button", name="清空", exact=True).click()
    page.wait_for_function("() => !location.search")
    assert FIGURE not in page.url


def test_privacy_page_states_it(built_site) -> None:
    html = (built_site / "privacy" / "index.html").read_text(encoding="utf-8")
    for words in ("不会离开您的浏览器", "不使用 Cookie", "浏览器的历史记录会保存这些地址",
                  "填写和计算不再产生任何网络请求"):
        assert words in html, words
