"""无障碍 / 长者模式 in Chromium (overrides/partials/fs-a11y.html, docs/assets/a11y.js, a11y.css):
each control changes what it says it changes, measured from computed styles; the settings survive
instant navigation and a reload, stay in localStorage and send nothing; 200 % text fits 1280 px
and 320 px; 朗读 says so when the browser has no Chinese voice, and speaks through the browser's
speechSynthesis when it has one. Headless Chromium has no voices: the speaking path runs against
a test double of the *browser's* speechSynthesis API (injected with add_init_script), never of our
code. The government-page conventions (meta tags, footer) are checked in the built HTML."""

from __future__ import annotations

import re

import pytest
from browsing import POLICY_PAGES, set_assist, visit, wait_ready
from test_growth_browser import _contrast
from test_site_a11y import FROM_THE_TOP
from test_site_mobile import no_sideways_scroll
from test_widget_hostile import base_case

import calculators
from calculators import permalink_query
from calculators.engine.contacts import contacts_for

COMPUTED = """() => {
  const p = document.querySelector("article p"), cs = getComputedStyle(p);
  const body = getComputedStyle(document.body);
  return { font: parseFloat(cs.fontSize), line: parseFloat(cs.lineHeight), color: cs.color,
           bg: body.backgroundColor, cursor: getComputedStyle(p).cursor,
           link: getComputedStyle(document.querySelector("article a")).color };
}"""


def toolbar(page):
    bar = page.locator(".fs-a11y")
    if page.locator(".fs-a11y__toggle").get_attribute("aria-expanded") != "true":
        page.locator(".fs-a11y__toggle").click()
    return bar


def test_each_control_changes_what_it_says(calc_page, site_server: str) -> None:
    page = calc_page
    visit(page, site_server, "measures/")
    set_assist(page)
    base = page.evaluate(COMPUTED)
    bar = toolbar(page)
    bar.locator('[data-fs-set="font"][data-value="200"]').click()
    big = page.evaluate(COMPUTED)
    assert big["font"] == pytest.approx(2 * base["font"], rel=0.01), (base, big)
    bar.locator('[data-fs-set="font"][data-value="150"]').click()
    assert page.evaluate(COMPUTED)["font"] == pytest.approx(1.5 * base["font"], rel=0.01)
    bar.locator('[data-fs-set="leading"][data-value="wider"]').click()
    wide = page.evaluate(COMPUTED)
    assert wide["line"] / wide["font"] == pytest.approx(2.5, rel=0.01)
    assert base["line"] / base["font"] < 1.8
    bar.locator('[data-fs-toggle="cursor"]').click()
    assert "cursor-arrow.svg" in page.evaluate(COMPUTED)["cursor"]
    bar.locator('[data-fs-toggle="guide"]').click()
    page.mouse.move(600, 400)
    top = page.locator(".fs-a11y-guide").bounding_box()
    page.mouse.move(600, 500)
    moved = page.locator(".fs-a11y-guide").bounding_box()
    assert top and moved and moved["y"] - top["y"] == pytest.approx(100, abs=1)
    bar.locator('[data-fs-reset]').click()
    assert page.evaluate(COMPUTED) == base
    assert page.locator(".fs-a11y-guide").bounding_box() is None


def test_high_contrast_measured_from_computed_colours(calc_page, site_server: str) -> None:
    """Body text ≥ 7:1; links, every control of the toolbar and the calculator, and the focus
    ring ≥ 3:1 against the page (WCAG 1.4.6, 1.4.11), with a result and its chart on screen."""
    page = calc_page
    form = "rd_support"
    visit(page, site_server, f"calculators/{form}/" + permalink_query(base_case(form).inputs))
    wait_ready(page)
    page.wait_for_selector(".fs-calc__result[data-amount-max]")
    set_assist(page, contrast=True)
    got = page.evaluate(COMPUTED)
    assert _contrast(got["color"], got["bg"]) >= 7, got
    assert _contrast(got["link"], got["bg"]) >= 7, got
    controls = page.evaluate("""() => [...document.querySelectorAll(
        ".fs-a11y button, .fs-calc button, .fs-calc input[type=text], .md-button")]
      .filter((el) => el.offsetParent !== null).map((el) => { const cs = getComputedStyle(el);
        return [el.textContent.trim() || el.name, cs.color, cs.borderTopColor,
                cs.backgroundColor]; })""")
    assert controls
    for name, color, border, bg in controls:
        fill = got["bg"] if bg == "rgba(0, 0, 0, 0)" else bg  # transparent: the page shows
        assert _contrast(color, fill) >= 7, (name, color, fill)
        assert max(_contrast(border, got["bg"]), _contrast(fill, got["bg"])) >= 3, (name, border)
    page.locator(".fs-calc input[type=text]").first.focus()
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert _contrast(ring, got["bg"]) >= 3, ring
    set_assist(page)


def test_settings_survive_navigation_and_reload_and_send_nothing(calc_page, site_server: str):
    page = calc_page
    visit(page, site_server, "")
    set_assist(page)
    page.requests.clear()
    set_assist(page, contrast=True, font="175", leading="wide")
    assert page.requests == [], "the toolbar sent a request"
    stored = page.evaluate("Object.keys(localStorage)")
    assert "fs-a11y" in stored
    settings = page.evaluate("JSON.parse(localStorage.getItem('fs-a11y'))")
    assert {k: settings[k] for k in ("font", "leading", "contrast")} == {
        "font": "175", "leading": "wide", "contrast": True}
    visit(page, site_server, "contacts/")  # instant navigation
    state = ("[document.documentElement.dataset.fsFont, document.documentElement.dataset.fsLeading,"
             " document.documentElement.classList.contains('fs-contrast')]")
    assert page.evaluate(state) == ["175", "wide", True]
    assert page.locator('.fs-a11y [data-fs-set="font"][data-value="175"]').get_attribute(
        "aria-pressed") == "true"
    page.reload()
    assert page.evaluate(state) == ["175", "wide", True]
    set_assist(page)
    assert page.evaluate(state) == [None, None, False]


@pytest.mark.parametrize("width", [1280, 320])
def test_200_percent_text_never_scrolls_sideways(calc_page, site_server: str, width: int) -> None:
    page = calc_page
    page.set_viewport_size({"width": width, "height": 800})
    visit(page, site_server, "")
    set_assist(page, font="200")
    try:
        for path in POLICY_PAGES:
            visit(page, site_server, path)
            no_sideways_scroll(page, f"{path or 'home'} at {width} px, 200 %")
        for form in ("rent_subsidy", "match"):
            query = permalink_query(base_case(form).inputs)
            visit(page, site_server, f"calculators/{form}/" + query)
            wait_ready(page)
            page.wait_for_selector(".fs-calc__result[data-amount-max]")
            no_sideways_scroll(page, f"{form} with a result at {width} px, 200 %")
    finally:
        set_assist(page)


def test_reading_aloud_without_a_chinese_voice_says_so(calc_page, site_server: str) -> None:
    """Real headless Chromium: speechSynthesis exists and has no voice at all."""
    page = calc_page
    visit(page, site_server, "notice/")
    toolbar(page).locator("[data-fs-speak]").click()
    status = page.locator(".fs-a11y__status")
    page.wait_for_function("() => document.querySelector('.fs-a11y__status').textContent"
                           ".includes('没有可用的中文语音')")
    assert status.get_attribute("role") == "status"


# A test double of the browser's speechSynthesis (not of our code): one Chinese voice, and a
# record of what it was asked to say.
SPEECH_DOUBLE = """(() => {
  const spoken = [];
  window.__spoken = spoken;
  const voice = { lang: "zh-CN", name: "test double", default: true, localService: true };
  const synth = {
    getVoices: () => [voice], speak: (u) => { spoken.push({ text: u.text, lang: u.lang,
      voice: u.voice && u.voice.name }); setTimeout(() => u.onend && u.onend(), 0); },
    cancel: () => spoken.push("cancel"), addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();"""


def test_reading_aloud_speaks_the_page_or_the_selection(new_page, site_server: str) -> None:
    page = new_page()
    page.add_init_script(SPEECH_DOUBLE)
    page.goto(site_server + "notice/")
    toolbar(page).locator("[data-fs-speak]").click()
    page.wait_for_function("() => document.querySelector('.fs-a11y__status').textContent"
                           " === '朗读结束。'")
    said = [s for s in page.evaluate("window.__spoken") if s != "cancel"]
    title = calculators.policy()["notice_title"]
    assert said and all(s["lang"] == "zh-CN" and s["voice"] == "test double" for s in said)
    assert title in "".join(s["text"] for s in said)
    page.evaluate("window.__spoken.length = 0")
    page.evaluate("""() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector('article h1'));
        getSelection().removeAllRanges(); getSelection().addRange(r); }""")
    page.locator("[data-fs-speak]").click()
    page.wait_for_function("() => window.__spoken.some((s) => s.text)")
    assert [s["text"] for s in page.evaluate("window.__spoken") if s != "cancel"] == [
        page.locator("article h1").inner_text().strip()]


def test_toolbar_is_the_first_stop_after_the_skip_link(calc_page, site_server: str) -> None:
    page = calc_page
    visit(page, site_server, "notice/")
    page.evaluate(FROM_THE_TOP)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.md-skip')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.fs-a11y__toggle')")
    page.evaluate("document.activeElement.blur()")


# --- the conventions of a government policy page, in the built HTML ---------------------------

META = re.compile(r'<meta name="([A-Z][A-Za-z]+)" content="([^"]*)">')


def test_meta_tags_and_footer_on_every_page(built_site) -> None:
    pol = calculators.policy()
    general = contacts_for("general")
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) >= 15
    for page in pages:
        path, html = str(page.relative_to(built_site)), page.read_text("utf-8")
        tags = dict(META.findall(html))
        assert {"SiteName", "ColumnName", "ColumnType", "ArticleTitle", "PubDate",
                "ContentSource"} <= set(tags), path
        assert "SiteIDCode" not in tags and "SiteDomain" not in tags, path  # unset: no tag
        assert tags["PubDate"] == f"{pol['issued'].isoformat()} 00:00"
        assert tags["ContentSource"] == "、".join(pol["issuers"])
        footer = html[html.index('class="md-copyright fs-footer"'):]
        assert "Made with" not in html, path
        for issuer in pol["issuers"]:
            assert issuer in footer, path
        for c in general:
            assert c.name in footer and all(f'href="tel:{p}"' in footer for p in c.phones), path
        assert "以发文机关公布的正式文件为准" in footer
        assert "网站标识码" not in footer and "备案" not in footer  # none configured, none shown
