"""Reader-facing behaviour: the validity notice, instant navigation, dark mode, print layout."""

from __future__ import annotations

import datetime as dt

import pytest

BEIJING = dt.timezone(dt.timedelta(hours=8))


def _at(page, day: str, hour: int = 12) -> None:
    """Freeze the page's clock at ``day`` (YYYY-MM-DD), ``hour`` o'clock Beijing time."""
    y, m, d = map(int, day.split("-"))
    page.clock.set_fixed_time(dt.datetime(y, m, d, hour, tzinfo=BEIJING))


def _validity(page) -> tuple[str, str]:
    box = page.locator("[data-fs-validity]")
    return box.get_attribute("data-state"), box.locator("[data-fs-validity-status]").inner_text()


def test_static_fallback_names_the_period(site_html) -> None:
    html = site_html["index.md"]
    assert '[&#34;2025-04-28&#34;, &#34;in_force&#34;' in html  # the steps, by date
    assert '[&#34;2026-04-28&#34;, &#34;ended&#34;' in html
    assert "本措施自2025年4月28日起实施，有效期至2026年4月27日（含）" in html


@pytest.mark.parametrize(
    ("day", "hour", "state", "words"),
    [
        ("2025-04-27", 23, "before", "将于2025年4月28日起实施"),
        ("2025-04-28", 0, "in_force", "试行期至2026年4月27日（含）"),
        ("2026-04-27", 23, "in_force", "在试行期内"),
        ("2026-04-28", 0, "ended", "试行期已于2026年4月27日届满"),
        ("2026-11-26", 12, "ended", "请以主管部门的最新通知为准"),
    ],
)
def test_validity_notice_follows_the_readers_date(page, site_server, day, hour, state, words):
    _at(page, day, hour)
    page.goto(site_server)
    got_state, text = _validity(page)
    assert got_state == state and words in text, text
    banner = page.locator("[data-fs-announce]").inner_text()
    assert ("届满" in banner) == (state == "ended")
    assert not page.console_errors


@pytest.mark.parametrize(("day", "hour", "label"), [
    ("2025-04-27", 23, "尚未施行"), ("2025-04-28", 0, "试行中"), ("2026-04-27", 23, "试行中"),
    ("2026-04-28", 0, "试行期满"),
])
def test_document_status_follows_the_readers_date(page, site_server, day, hour, label):
    """The information block's status (试行中 / 试行期满 …) is the step for the reader's
    Beijing date, on the main pages and on the version's own address alike."""
    _at(page, day, hour)
    for path in ("measures/", "versions/2025-14/contacts/"):
        page.goto(site_server + path)
        assert page.locator("[data-fs-status]").inner_text() == label, path
    assert not page.console_errors


def test_beijing_date_not_utc(page, site_server) -> None:
    # 2026-04-28 01:00 in Beijing is still 04-27 in UTC: the trial year is over in Beijing.
    page.clock.set_fixed_time(dt.datetime(2026, 4, 27, 17, 0, tzinfo=dt.UTC))
    page.goto(site_server)
    assert _validity(page)[0] == "ended"


def test_instant_navigation_reruns_the_page_scripts(page, site_server) -> None:
    _at(page, "2026-11-26")
    page.goto(site_server + "contacts/")
    page.evaluate("window.__stay = 1")
    page.locator("a.md-nav__link[href$='/']", has_text="首页").first.click()
    page.wait_for_selector("[data-fs-validity][data-state='ended']")
    assert page.evaluate("window.__stay") == 1, "instant navigation did a full reload"
    page.locator("article a[href$='contacts/']").first.click()
    page.wait_for_selector("[data-fs-filter]:not([hidden])")
    page.fill("[data-fs-filter-input]", "张迪")
    # 张迪: row 5 of table 一 and 第七条 in the by-clause table.
    assert "共找到 2 组" in page.inner_text("[data-fs-filter-status]")
    assert page.evaluate("window.__stay") == 1
    assert not page.console_errors


def test_dark_mode_toggle(page, site_server) -> None:
    page.goto(site_server + "measures/")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}


def test_toc_and_back_to_top(page, site_server) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_server + "measures/")
    toc = page.eval_on_selector_all(
        ".md-sidebar--secondary .md-nav__link", "els => els.map(e => e.getAttribute('href'))"
    )
    anchors = {href.rsplit("#", 1)[-1] for href in toc}
    assert {"art1-1", "art3-2", "general"} <= anchors
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -200)  # Material shows the button when scrolling back up
    page.wait_for_selector(".md-top:not([hidden])")


def test_print_layout_hides_site_chrome(page, site_server) -> None:
    page.goto(site_server + "measures/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("#art2").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
