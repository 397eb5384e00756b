"""Accessibility in a real browser: axe-core (wcag2a, wcag2aa, wcag21aa, wcag22aa, best-practice;
every impact) on every page, with results, errors, a chart and a growth path on screen, in each
mode: light, dark, 高对比度 and 200 % text (the toolbar's, docs/assets/a11y.js); labels; each
calculator filled, computed, copied, printed and followed with the keyboard alone.

axe-core is a pinned devDependency (package.json); it is loaded from node_modules, and a missing
copy fails the tests (run `npm ci`), it never skips them.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from browsing import (
    AXE,
    FORMS,
    POLICY_PAGES,
    expected_amount,
    form_state,
    press_compute,
    set_assist,
    visit,
    wait_ready,
)
from test_widget_hostile import base_case

import calculators
from calculators import permalink_query
from calculators.views.form import fields_of, hidden_keys
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
                          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") +
                            (v.id === "target-size" ? " " + n.failureSummary : "")) }))""",
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


# Any mouse or pointer press on the page is recorded: the keyboard tests must cause none.
NO_MOUSE = """() => { window.__mouse = [];
  for (const t of ["mousedown", "pointerdown", "mouseup"])
    document.addEventListener(t, (e) => window.__mouse.push(t), true); }"""

FOCUSED = """() => {
    const e = document.activeElement, f = e.closest(".fs-field");
    return { key: f?.dataset.key ?? null, type: e.type ?? e.tagName, value: e.value,
             checked: e.checked ?? null, text: e.textContent.trim() }; }"""


HIDDEN = """() => [...document.querySelectorAll(".fs-calc .fs-field")]
    .filter((f) => f.hidden).map((f) => f.dataset.key).sort()"""

# Focus navigation starts at the top of the page: focus a stand-in first in <body>, remove it.
FROM_THE_TOP = """() => { window.scrollTo(0, 0); const b = document.createElement("button");
    document.body.prepend(b); b.focus(); b.remove(); }"""


def tab_through_and_fill(page, form: str, typed: dict) -> None:
    """From the top of the page, Tab through it doing what each stop asks, up to 计算: `typed`
    is what a person types (Python's own reading of a permalink, open_link). After each change
    the Tab waits for the fields that apply (show_if) to be Python's for what is filled so far."""
    fields = fields_of(form)
    done: dict[str, object] = {}
    for _ in range(300):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        key = el["key"]
        if el["type"] == "submit" and el["text"] == "计算":
            break
        if el["type"] == "SUMMARY" and page.evaluate(
                "(keys) => !document.activeElement.parentElement.open && keys.some((k) =>"
                " document.activeElement.parentElement.querySelector(`[data-key='${k}']`))",
                list(typed)):
            page.keyboard.press("Enter")  # 更多选项: open it when a wanted field is inside
            continue
        if key not in typed or key in done:
            continue
        value = typed[key]
        if el["type"] == "radio":  # one Tab stop per group; the arrow keys choose
            for _ in range(10):
                if page.evaluate("document.activeElement.value") == value:
                    break
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Space")
        elif el["type"] == "checkbox":  # each box is a Tab stop
            if (el["value"] in value) != el["checked"]:
                page.keyboard.press("Space")
            if el["value"] != page.evaluate("""(k) => [...document.querySelectorAll(
                    `.fs-field[data-key='${k}'] input`)].at(-1).value""", key):
                continue  # the group's last box: then it is done
        elif el["type"] == "text":
            page.keyboard.type(value)
        done[key] = value
        want_hidden = sorted(hidden_keys(fields, done))
        page.wait_for_function(f"() => JSON.stringify(({HIDDEN})()) === "
                               f"{json.dumps(json.dumps(want_hidden))}")
    else:
        pytest.fail("Tab never reached 计算")
    needed = set(typed) - set(hidden_keys(fields, typed))
    assert needed <= set(done), f"not reached by Tab: {needed - set(done)}"


def tab_to(page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


@pytest.mark.parametrize("form", FORMS)
def test_keyboard_only_from_the_first_tab_to_a_printed_result(calc_page, site_server: str,
                                                              form: str) -> None:
    """Tab, arrow keys, Space and typing only, from the top of the page; Enter on 计算 puts the
    answer in a polite live region and focus on the result's heading; then 复制链接 and 打印 by
    keyboard, and a next step followed. No mouse or pointer event at all."""
    page = calc_page
    visit(page, site_server, f"calculators/{form}/")
    page.locator("form.fs-calc__form").evaluate("f => f.reset()")
    wait_ready(page)
    case = base_case(form)
    typed = calculators.open_link(form, permalink_query(case.inputs))["typed"]
    # window.print is replaced by a double of the browser's API (printing cannot be watched).
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate(NO_MOUSE)
    page.evaluate(FROM_THE_TOP)
    tab_through_and_fill(page, form, typed)
    assert page.locator(".fs-calc__announce").get_attribute("aria-live") == "polite"
    page.keyboard.press("Enter")
    page.wait_for_selector(".fs-calc__result[data-amount-max]")
    shown = form_state(page)
    view = calculators.form(form, typed, compute=True)["view"]
    assert shown["amount"] == view["amount_max"] == expected_amount(
        form, calculators.match(case.inputs) if form == "match"
        else calculators.evaluate(form, case.inputs))
    assert shown["announced"] == view["announce"]
    assert page.evaluate("document.activeElement.matches('.fs-calc__result h2')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Shift+Tab")  # back into the form's buttons: 清空, then 打印
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "打印"
    page.keyboard.press("Enter")  # 打印 first adds the QR code of the link (on first use)
    page.wait_for_function("() => window.__printed === 1")
    assert page.evaluate("window.__printed") == 1
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "复制链接"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.fs-calc__copy').textContent"
                           " === '链接已复制'")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    steps = page.locator(".fs-calc__result .fs-steps__item a")
    if steps.count():
        tab_to(page, ".fs-calc__result .fs-steps__item a")
        href = page.evaluate("document.activeElement.href")
        page.keyboard.press("Enter")
        page.wait_for_function("(h) => location.href.startsWith(h.split('?')[0])", arg=href)
        page.wait_for_selector("article .fs-calc__result[data-amount-max]")
    assert page.evaluate("window.__mouse ?? []") == []


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
