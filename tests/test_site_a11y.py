"""Accessibility in a real browser: axe-core (wcag2a, wcag2aa, wcag21aa, wcag22aa, best-practice;
every impact) on every page, with results, errors, a chart and a growth path on screen, in each
mode: light, dark, 高对比度 and 200 % text (the toolbar's, docs/assets/a11y.js); labels; a calculator
filled and submitted with the keyboard alone, its result announced.

axe-core is a pinned devDependency (package.json); it is loaded from node_modules, and a missing
copy fails the tests (run `npm ci`), it never skips them.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from browsing import (
    AXE,
    FORMS,
    POLICY_PAGES,
    form_state,
    press_compute,
    set_assist,
    visit,
    wait_ready,
)
from test_widget_browser import first_case
from test_widget_hostile import base_case

import calculators
from calculators import permalink_query
from sitebuild.casedata import load_cases

# 政策匹配 with a growth path on screen (test_growth_browser checks the path itself).
GROWTH = next(c for c in load_cases("match") if c.expected.get("growth_path"))

TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
MODES = ["light", "dark", "contrast", "text200"]


def axe_violations(page) -> list[str]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (axe-core is a devDependency)")
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated by the test driver, not added as a <script>: the site's Content-Security-
        # Policy refuses inline scripts it does not know (tests/test_site_csp.py).
        page.evaluate(AXE.read_text("utf-8") + "\n;undefined")
    # Colours settle first: after instant navigation from a scrolled page, Material's header fades
    # the site title back in (a CSS transition), and axe measured it half transparent.
    page.wait_for_function("() => document.getAnimations().every((a) =>"
                           " !(a instanceof CSSTransition) || a.playState !== 'running')")
    found = page.evaluate(
        # Material's tooltips are transient overlays in the page's own colours; axe caught them
        # mid-fade (half transparent) after instant navigation, so they are left out.
        """async (tags) => (await axe.run({ exclude: [[".md-tooltip"]] },
              { resultTypes: ["violations"], runOnly: { type: "tag", values: tags } })).violations
            .map((v) => ({ id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }))""",
        TAGS,
    )
    return [f"{v['impact']} {v['id']} ×{v['count']}: {v['help']} at {v['nodes']}" for v in found]


def set_scheme(page, scheme: str) -> None:
    """Light ("default") or dark ("slate"), through Material's own toggle in the header."""
    for _ in range(2):
        if page.get_attribute("body", "data-md-color-scheme") == scheme:
            return
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert page.get_attribute("body", "data-md-color-scheme") == scheme
    # The pointer rests on the focused toggle: its tooltip fades in. Move away, blur, and let it
    # fade out, so that axe does not measure it half transparent.
    page.mouse.move(1279, 719)  # the bottom-right corner: no link, no tooltip
    page.evaluate("document.activeElement?.blur()")  # a focused toggle shows its tooltip too
    page.wait_for_function("() => [...document.querySelectorAll('.md-tooltip')]"
                           ".every((t) => getComputedStyle(t).opacity === '0')")


def page_states(page, base: str):
    """Every page, each calculator with an answer shown (a result, with its chart where the
    measure has curves; 政策匹配 with a growth path), and one with errors. (A calculator whose
    engine failed to load is in test_widget_failures.)"""
    for path in POLICY_PAGES:
        visit(page, base, path)
        yield path
    for form in FORMS:
        case = GROWTH if form == "match" else base_case(form)
        visit(page, base, f"calculators/{form}/" + permalink_query(case.inputs))
        wait_ready(page)
        page.wait_for_selector(".fs-calc__result[data-amount-max]")
        yield f"calculators/{form}/ with a result"
    visit(page, base, "calculators/rent_subsidy/?rent_area_m2=abc&as_of=2025-02-30")
    page.wait_for_function("() => document.querySelector('.fs-field--invalid')")
    yield "calculators/rent_subsidy/ with errors"


def set_mode(page, mode: str) -> None:
    """One of MODES, set as a reader sets it: Material's scheme toggle, the toolbar's buttons."""
    set_scheme(page, "slate" if mode == "dark" else "default")
    set_assist(page, contrast=mode == "contrast", font="200" if mode == "text200" else "100")


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_violation(calc_page, site_server: str, mode: str) -> None:
    page = calc_page
    found = {}
    page.mouse.move(1279, 719)
    for state in page_states(page, site_server):
        set_mode(page, mode)
        if state.endswith("with a result"):
            assert page.locator(".fs-calc__result h2").count(), state  # headings in order
        if bad := axe_violations(page):
            found[state] = bad
    set_mode(page, "light")  # the page is shared: leave it as found
    print(f"axe {mode}: " + "; ".join(f"{k}: {len(v)} rules" for k, v in found.items()))
    assert not found, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in found.items())


def test_axe_on_the_404_page(calc_page, site_server: str) -> None:
    calc_page.goto(site_server + "404.html")  # what a host serves for a missing page
    assert axe_violations(calc_page) == []


def test_every_input_has_a_label(built_site) -> None:
    """In the built HTML of every page: each control of our forms has a <label> (for= or around
    it), and each group of radios or checkboxes sits in a <fieldset> with a <legend>. (Material's
    own controls are named by aria-label; axe's label rule checks those.)"""

    class Controls(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.labelled_for: set[str] = set()
            self.controls: list[tuple[str, str, bool, int]] = []  # (id, type, in label, fieldset)
            self.label = 0
            self.fieldsets: list[bool] = []  # has a legend
            self.legend_ok: list[bool] = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "label":
                self.label += 1
                if a.get("for"):
                    self.labelled_for.add(a["for"])
            elif tag == "fieldset":
                self.fieldsets.append(False)
            elif tag == "legend" and self.fieldsets:
                self.fieldsets[-1] = True
            elif tag in ("input", "select", "textarea") and (
                    (a.get("id") or a.get("name") or "").startswith("fs-")):  # ours
                self.controls.append((a.get("id") or "", a.get("type") or tag, self.label > 0,
                                      len(self.fieldsets)))
                if a.get("type") in ("radio", "checkbox") and a.get("name", "").startswith("fs-"):
                    self.legend_ok.append(bool(self.fieldsets) and self.fieldsets[-1])

        def handle_endtag(self, tag):
            if tag == "label":
                self.label -= 1
            elif tag == "fieldset":
                self.fieldsets.pop()

    missing = []
    for html in sorted(built_site.rglob("*.html")):
        parser = Controls()
        parser.feed(html.read_text(encoding="utf-8"))
        for cid, kind, wrapped, _ in parser.controls:
            if not wrapped and cid not in parser.labelled_for:
                missing.append(f"{html.relative_to(built_site)}: {kind} #{cid}")
        if not all(parser.legend_ok):
            missing.append(f"{html.relative_to(built_site)}: choices outside a legended fieldset")
    assert not missing, "\n".join(missing)


def test_keyboard_only_fill_submit_and_hear_the_result(calc_page, site_server: str) -> None:
    """Tab, arrow keys, Space and typing only; Enter on 计算. The answer is announced in a
    polite live region that exists before it is filled."""
    page = calc_page
    visit(page, site_server, "calculators/rent_subsidy/")
    page.locator("form.fs-calc__form").evaluate("f => f.reset()")
    case = first_case("rent_subsidy")
    want = {k: v for k, v in case.inputs.items() if k != "as_of"}
    page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)")
    page.locator(".fs-quote__source a").focus()  # the link just above the form
    done: set[str] = set()
    for _ in range(200):  # Tab through the page, doing what each stop asks
        page.keyboard.press("Tab")
        el = page.evaluate("""() => {
            const e = document.activeElement, f = e.closest(".fs-field");
            return { key: f?.dataset.key ?? null, type: e.type ?? e.tagName, value: e.value,
                     checked: e.checked ?? null, text: e.textContent.trim() }; }""")
        key = el["key"]
        if el["type"] == "submit" and el["text"] == "计算":
            break
        if key not in want:
            continue
        value = want[key]
        if el["type"] == "radio":  # one Tab stop per group; the arrow keys choose
            target = str(value).lower() if isinstance(value, bool) else str(value)
            for _ in range(10):
                if page.evaluate("document.activeElement.value") == target:
                    break
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Space")
            done.add(key)
        elif el["type"] == "checkbox":
            if (el["value"] in value) != el["checked"]:
                page.keyboard.press("Space")
            done.add(key)
        elif el["type"] == "text":
            page.keyboard.type(str(value))
            done.add(key)
    else:
        pytest.fail("Tab never reached 计算")
    assert done == set(want), f"not reached by Tab: {set(want) - done}"
    assert page.locator(".fs-calc__announce").get_attribute("aria-live") == "polite"
    page.keyboard.press("Enter")
    page.wait_for_selector(".fs-calc__result[data-amount-max]")
    expected = calculators.evaluate("rent_subsidy", want)
    state = form_state(page)
    assert state["amount"] == expected["amount_max"]
    wan = f"{int(expected['amount_max'].split('.')[0]) / 10_000:g}"
    assert state["announced"] == (
        f"计算完成：符合条件，最高可获支持 {wan} 万元。计算过程见下方。"), state["announced"]


def test_error_moves_focus_to_the_first_invalid_field(calc_page, site_server: str) -> None:
    page = calc_page
    visit(page, site_server, "calculators/growth_award/")
    page.locator("form.fs-calc__form").evaluate("f => f.reset()")
    wait_ready(page)
    # Two errors; the engine's answer lists them alphabetically, the form top to bottom.
    page.locator('.fs-field[data-key="revenue_last_year"] input').fill("abc")
    press_compute(page)
    state = form_state(page)
    assert list(state["errors"]) == ["industry", "revenue_last_year"]
    assert state["focused"] == "industry"
    assert state["formError"] == "有 2 项需要更正：所属行业、上年度营业收入。"
    described = page.evaluate(
        "document.activeElement.closest('[aria-describedby]').getAttribute('aria-describedby')")
    assert "fs-growth_award-industry-err" in described
