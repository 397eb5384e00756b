"""Calculator markers: forms rendered from the calculators' own input descriptions.

``<!-- fs:calculator <measure_id> -->``  one measure's form (beside its rule)
``<!-- fs:match -->``                    the 政策匹配 form over every measure
``<!-- fs:overview -->``                 一图读懂: one card per measure
``<!-- fs:examples <measure_id> -->``    the measure's worked cases (tests/cases), as 示例
``<!-- fs:clause <clause_id> -->``        the clause's text, from the current version's measures.md

Nothing about an input is written here: labels, units, choices, defaults, help and show_if all come
from ``calculators.describe()``. The runtime config (URLs of the compiled Pyodide files) is set by
the hook once per build through ``set_runtime``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import calculators

from . import sitedata
from .casedata import load_cases
from .markers import Context, MarkerError, add_filter, marker, render

ROOT = Path(__file__).resolve().parents[2]

_runtime: dict | None = None


def clause_label(clause: str) -> str:
    """"art3.1" → "第三条第1项" (from the parameters file's [clauses] table)."""
    return calculators.clauses()[clause].label


add_filter("wan_amount", calculators.wan_amount)  # "365000.00" → "36.5 万元", as results say it
add_filter("clause_label", clause_label)


def set_runtime(runtime: dict) -> None:
    """The compiled runtime's site-root-relative URLs (see pyodide_runtime.install)."""
    global _runtime
    _runtime = runtime


def _measure_id(args: list[str]) -> str:
    if len(args) != 1 or args[0] not in calculators.MEASURES:
        known = ", ".join(calculators.MEASURES)
        raise MarkerError(f"expected one measure id ({known}), got {args!r}")
    return args[0]


def _root(ctx: Context) -> str:
    depth = ctx.page_url.rstrip("/").count("/") + 1 if ctx.page_url.strip("/") else 0
    return "../" * depth or "./"


def _form(ctx: Context, measure: str, description: dict, groups: list[dict] | None = None,
          **extra: object) -> str:
    """A form: `groups` of main fields ({"title", "clause", "fields"}; one untitled group by
    default), then the advanced fields in a 更多选项 disclosure."""
    if _runtime is None:
        raise MarkerError("the Pyodide runtime was not compiled (the hook sets it in on_config)")
    inputs = description["inputs"]
    main = [f for f in inputs if not f.get("advanced")]
    return render(
        "calculator.html",
        measure=measure,
        title=description["title"],
        cap=description.get("cap", ""),
        groups=groups or [{"title": "", "clause": "", "fields": main}],
        more=[f for f in inputs if f.get("advanced")],
        prefix=f"fs-{measure}",
        root=_root(ctx),
        measures_url=ctx.url("measures/"),
        contacts_url=ctx.url("contacts/"),
        runtime=_runtime,
        hidden=calculators.form(measure, {})["hidden"],  # show_if, for the empty form
        **extra,
    )


@marker("calculator")
def _calculator(args: list[str], ctx: Context) -> str:
    measure = _measure_id(args)
    return _form(ctx, measure, calculators.describe(measure))


@marker("match")
def _match(args: list[str], ctx: Context) -> str:
    if args:
        raise MarkerError("fs:match takes no arguments")
    profile = calculators.describe_profile()
    main = [f for f in profile["inputs"] if not f.get("advanced")]
    # Inputs several measures share first, then each measure's own, in the order of the text.
    shared = [f for f in main if len(f["measures"]) > 1]
    groups = [{"title": "企业基本情况", "clause": "", "fields": shared}]
    for m in profile["measures"]:
        own = [f for f in main if f["measures"] == [m["measure"]]]
        groups.append({"title": m["title"], "clause": m["clause"], "fields": own})
    return _form(ctx, "match", {"title": "政策匹配", "cap": "", **profile}, groups=groups)


@marker("overview")
def _overview(args: list[str], ctx: Context) -> str:
    if args:
        raise MarkerError("fs:overview takes no arguments")
    cards = []
    for measure in calculators.MEASURES:
        d = calculators.describe(measure)
        cards.append({
            **d,
            "anchor": ctx.url(f"measures/#{sitedata.anchor(d['clause'])}"),
            "calculator": ctx.url(f"calculators/{measure}/"),
            "directions": sitedata.directions(d["clause"]),
        })
    return render("overview.html", cards=cards, match_url=ctx.url("calculators/match/"))


@marker("examples")
def _examples(args: list[str], ctx: Context) -> str:
    measure = _measure_id(args)
    rows = []
    for case in load_cases(measure):
        expected = case.expected
        if "amount_max" not in expected:
            continue  # invalid-input cases are tests, not examples
        rows.append({
            "name": case.name,
            "eligible": expected.get("eligible"),
            "amount": expected["amount_max"],
            "link": calculators.permalink_query(case.inputs),
        })
    if not rows:
        raise MarkerError(f"no worked cases with amounts in tests/cases/{measure}.toml")
    return render("examples.html", rows=rows)


@cache
def clause_texts(path: Path) -> dict[str, str]:
    """Each anchored clause of a version's measures page (its Markdown file at `path`): its
    paragraphs, up to the next heading or marker.

    The policy text is typed once, on the measures page; calculator pages quote it from the
    current version's, and the revision record compares two versions' with it.
    """
    texts: dict[str, list[str]] = {}
    current: str | None = None
    for block in re.split(r"\n\s*\n", path.read_text("utf-8")):
        block = block.strip()
        heading = re.match(r"#+ .*\{#(?P<id>[\w-]+)\}\s*$", block)
        attr = re.search(r"\n\{:\s*#(?P<id>[\w-]+)[^}]*\}\s*$", block)
        if heading:
            current = heading["id"]
            texts.setdefault(current, [])
        elif attr:  # a paragraph with its own anchor (第五条's two paragraphs)
            texts.setdefault(attr["id"], []).append(block[: attr.start()].strip())
            current = None
        elif block.startswith(("<", "#", "{", "[", "!")) or current is None:  # markup, links
            current = None if block.startswith("#") else current
        else:
            texts[current].append(block)
    return {k: "\n\n".join(v) for k, v in texts.items() if v}


@marker("clause")
def _clause(args: list[str], ctx: Context) -> str:
    if len(args) != 1:
        raise MarkerError("expected one clause id, e.g. <!-- fs:clause art2 -->")
    anchor = sitedata.anchor(args[0])
    path = sitedata.text_path(sitedata.version(ctx.version), "measures")
    text = clause_texts(path).get(anchor)
    if text is None:
        raise MarkerError(f"{path.relative_to(ROOT)} has no clause text anchored #{anchor}")
    return render("clause.html", clause=args[0], paragraphs=text.split("\n\n"),
                  link=ctx.doc_url("measures") + f"#{anchor}")
