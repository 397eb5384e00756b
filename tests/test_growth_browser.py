"""下一步与金额曲线 in Chromium, on the built site, through the form: each measure's first worked
case with next steps (the issue's examples) shows Python's steps, notes and figures; each chart's
points, ends, caption and table are Python's; 政策匹配's growth path links compute what they
promise; axe finds nothing serious in light or dark mode; the chart prints and reads in dark mode.
The measures and the cases come from the registry and tests/cases/ (no measure is named here)."""

from __future__ import annotations

import pytest
from browsing import ANSWER_TIMEOUT, BOOT_TIMEOUT, visit
from test_site_a11y import axe_violations, set_scheme

from calculators import MEASURES, evaluate, match, permalink_query
from calculators.views.chart import svg
from sitebuild.casedata import Case, load_cases

# The first worked case of each measure that states next steps: the five examples.
EXAMPLES = [c for m in MEASURES
            if (c := next((c for c in load_cases(m) if c.expected.get("next_steps")), None))]
PATHS = [c for c in load_cases("match") if c.expected.get("growth_path")]
FRESH = ".fs-calc__result[data-amount-max]"

READ = """() => {
  const result = document.querySelector('.fs-calc__result');
  return {
    amount: result.dataset.amountMax,
    steps: [...result.querySelectorAll('.fs-steps__item')].map((li) => ({
      text: li.querySelector('.fs-steps__text').textContent,
      title: li.querySelector('.fs-steps__title')?.textContent ?? null,
      href: li.querySelector('a').href,
    })),
    notes: [...result.querySelectorAll('.fs-steps__notes li')].map((li) => li.textContent),
    charts: [...result.querySelectorAll('figure.fs-chart')].map((f) => ({
      id: f.querySelector('figcaption').id,
      caption: f.querySelector('figcaption').textContent,
      label: f.querySelector('svg').getAttribute('aria-label'),
      described: f.querySelector('svg').getAttribute('aria-describedby'),
      ns: f.querySelector('svg').namespaceURI,
      lines: [...f.querySelectorAll('polyline')].map((p) => p.getAttribute('points')),
      circles: [...f.querySelectorAll('circle')].map((c) =>
        [c.getAttribute('class'), c.getAttribute('cx'), c.getAttribute('cy')]),
      notes: [...f.querySelectorAll('text.fs-chart__note')].map((t) => t.textContent),
      rows: [...f.querySelectorAll('tbody tr')]
        .map((r) => [...r.children].map((c) => c.textContent)),
      drawn: f.querySelector('polyline').getBoundingClientRect().width > 0,
    })),
    // the bar's width is set through CSSOM (allowed by a strict CSP); steps and charts need none
    styled: result.querySelectorAll('.fs-steps [style], figure [style]').length,
  };
}"""


def _open(page, base: str, target: str, inputs: dict) -> dict:
    visit(page, base, f"calculators/{target}/" + permalink_query(inputs))
    page.wait_for_selector(FRESH, timeout=BOOT_TIMEOUT)
    return page.evaluate(READ)


def _charts(result: dict) -> list[dict]:
    """What the page must draw for each of Python's curves."""
    out = []
    for c in result["curves"]:
        els = svg(c)["elements"]
        out.append({
            "id": c["id"], "caption": c["caption"], "label": svg(c)["label"],
            "described": c["id"],
            "ns": "http://www.w3.org/2000/svg",
            "lines": [e["attrs"]["points"] for e in els if e["tag"] == "polyline"],
            "circles": [[e["attrs"]["class"], e["attrs"]["cx"], e["attrs"]["cy"]]
                        for e in els if e["tag"] == "circle"],
            "notes": [e["text"] for e in els if e["attrs"]["class"] == "fs-chart__note"],
            "rows": c["table"]["rows"], "drawn": True,
        })
    return out


@pytest.mark.parametrize("case", EXAMPLES, ids=[c.target for c in EXAMPLES])
def test_example_shows_pythons_steps_and_charts(calc_page, site_server: str, case: Case) -> None:
    page = calc_page
    shown = _open(page, site_server, case.target, case.inputs)
    r = evaluate(case.target, case.inputs)
    assert shown["amount"] == r["amount_max"] == case.expected["amount_max"]
    # the steps as Python worded them, and as the case states them by hand (the figures named)
    assert [s["text"] for s in shown["steps"]] == [s["text"] for s in r["next_steps"]["steps"]]
    assert [s["text"] for s in shown["steps"]] == [s["text"] for s in case.expected["next_steps"]]
    for got, step in zip(shown["steps"], r["next_steps"]["steps"], strict=True):
        assert step["amount_text"] in got["text"]
        assert got["href"] == site_server + step["href"]
    assert shown["notes"] == r["next_steps"]["notes"] == case.expected.get("step_notes", [])
    # a chart for each curve, drawn from Python's points; no style attribute (strict CSP)
    assert shown["charts"] == _charts(r)
    assert shown["styled"] == 0
    if MEASURES[case.target].curves:
        assert shown["charts"], "a measure with curves draws a chart on its result"


@pytest.mark.parametrize("case", PATHS, ids=[c.id for c in PATHS])
def test_growth_path_links_compute_what_they_promise(calc_page, site_server: str,
                                                     case: Case) -> None:
    page = calc_page
    path = match(case.inputs)["growth_path"]
    assert [s["measure"] for s in path["steps"]] == [s[0] for s in case.expected["growth_path"]]
    for i, step in enumerate(path["steps"]):
        shown = _open(page, site_server, "match", case.inputs)
        assert [(s["title"], s["text"], s["href"]) for s in shown["steps"]] == [
            (s["title"], s["text"], site_server + s["href"]) for s in path["steps"]]
        if i == 0:
            found = {}
            for scheme in ("default", "slate"):
                set_scheme(page, scheme)
                if bad := axe_violations(page):
                    found[scheme] = bad
            set_scheme(page, "default")
            assert not found, found
        page.evaluate("document.querySelector('article').dataset.stale = '1'")
        page.locator(".fs-steps__item a").nth(i).click()  # Material's instant navigation
        page.wait_for_function(
            "(m) => location.pathname.endsWith(`/calculators/${m}/`)", arg=step["measure"],
            timeout=ANSWER_TIMEOUT)
        fresh = "article:not([data-stale]) " + FRESH
        page.wait_for_selector(fresh, timeout=BOOT_TIMEOUT)
        assert page.get_attribute(fresh, "data-amount-max") == step["amount_max"], step["text"]


def _luminance(rgb: str) -> float:
    """Relative luminance (WCAG) of a computed "rgb(r, g, b)" colour."""
    parts = [float(v) / 255 for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in parts]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


COLOURS = """() => {
  const bg = getComputedStyle(document.body).backgroundColor;
  const f = document.querySelector('.fs-calc__result figure.fs-chart');
  return { bg, line: getComputedStyle(f.querySelector('.fs-chart__line')).stroke,
           tick: getComputedStyle(f.querySelector('.fs-chart__tick')).fill,
           you: getComputedStyle(f.querySelector('.fs-chart__you')).fill };
}"""


def test_charts_pass_axe_read_in_dark_mode_and_print(calc_page, site_server: str) -> None:
    page = calc_page
    curved = [c for c in EXAMPLES if MEASURES[c.target].curves]
    found = {}
    for case in curved:
        _open(page, site_server, case.target, case.inputs)
        for scheme in ("default", "slate"):
            set_scheme(page, scheme)
            if bad := axe_violations(page):
                found[f"{case.target} {scheme}"] = bad
            colours = page.evaluate(COLOURS)
            # the line, the labels and the reader's point stand out from the page in both schemes
            for part in ("line", "tick", "you"):
                assert _contrast(colours[part], colours["bg"]) >= 3, (case.target, scheme, colours)
        set_scheme(page, "default")
    assert not found, found
    # print: the chart, its table and the next steps are in the record; the links are not
    page.emulate_media(media="print")
    try:
        printed = page.evaluate("""() => {
          const r = document.querySelector('.fs-calc__result');
          const seen = (el) => !!el && el.getBoundingClientRect().height > 0;
          return { chart: seen(r.querySelector('figure.fs-chart svg')),
                   table: seen(r.querySelector('.fs-chart__table table')),
                   steps: seen(r.querySelector('.fs-steps__item')),
                   link: seen(r.querySelector('.fs-steps__link')),
                   line: getComputedStyle(r.querySelector('.fs-chart__line')).stroke };
        }""")
    finally:
        page.emulate_media(media="screen")
    assert printed == {"chart": True, "table": True, "steps": True, "link": False,
                       "line": "rgb(0, 0, 0)"}
