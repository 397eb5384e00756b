"""Calculator markers: forms rendered from the calculators' own input descriptions.

``<!-- fs:calculator <measure_id> -->``  one measure's form (beside its rule)
``<!-- fs:match -->``                    the 政策匹配 form over every measure
``<!-- fs:overview -->``                 一图读懂: one card per measure
``<!-- fs:examples <measure_id> -->``    the measure's worked cases (tests/cases), as 示例
``<!-- fs:clause <clause_id> -->``        the clause's text, quoted from docs/measures.md

Nothing about an input is written here: labels, units, choices, defaults, help and show_if all come
from ``calculators.describe()``. The runtime config (URLs of the compiled Pyodide files) is set by
the hook once per build through ``set_runtime``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import sitedata
from casedata import load_cases
from markers import Context, MarkerError, add_filter, marker, render

import calculators

ROOT = Path(__file__).resolve().parent.parent
MEASURES_PAGE = ROOT / "docs" / "measures.md"
# Inputs every measure accepts; they go in a 更多选项 disclosure, not in the main form.
COMMON = ("other_policy_amount", "as_of")

_runtime: dict | None = None


def wan(amount: str) -> str:
    """A yuan amount as 万元 for display: "365000.00" → "36.5"."""
    return f"{Decimal(amount) / 10_000:f}".rstrip("0").rstrip(".")


def clause_label(clause: str) -> str:
    """"art3.1" → "第三条第1项" (from the parameters file's [clauses] table)."""
    return calculators.clauses()[clause].label


add_filter("wan", wan)
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


def _form(ctx: Context, measure: str, description: dict, **extra: object) -> str:
    if _runtime is None:
        raise MarkerError("the Pyodide runtime was not compiled (the hook sets it in on_config)")
    inputs = description["inputs"]
    return render(
        "calculator.html",
        measure=measure,
        title=description["title"],
        cap=description.get("cap", ""),
        main=[f for f in inputs if f["key"] not in COMMON],
        more=[f for f in inputs if f["key"] in COMMON],
        prefix=f"fs-{measure}",
        root=_root(ctx),
        measures_url=ctx.url("measures/"),
        contacts_url=ctx.url("contacts/"),
        runtime=_runtime,
        policy=sitedata.policy(),
        clauses={c.id: [c.label, c.anchor] for c in calculators.clauses().values()},
        **extra,
    )


@marker("calculator")
def _calculator(args: list[str], ctx: Context) -> str:
    measure = _measure_id(args)
    return _form(ctx, measure, calculators.describe(measure), titles=())


@marker("match")
def _match(args: list[str], ctx: Context) -> str:
    if args:
        raise MarkerError("fs:match takes no arguments")
    titles = [calculators.describe(m) for m in calculators.MEASURES]
    profile = calculators.describe_profile()
    return _form(ctx, "match", {"title": "政策匹配", "cap": "", **profile}, titles=titles)


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
        query = {k: ",".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool)
                 else str(v) for k, v in case.inputs.items()}
        rows.append({
            "name": case.name,
            "eligible": expected.get("eligible"),
            "amount": expected["amount_max"],
            "link": "?" + urlencode(query),
        })
    if not rows:
        raise MarkerError(f"no worked cases with amounts in tests/cases/{measure}.toml")
    return render("examples.html", rows=rows)


@cache
def _clause_texts() -> dict[str, str]:
    """Each anchored clause of docs/measures.md: its paragraphs, up to the next heading or marker.

    The policy text is typed once, on the measures page; calculator pages quote it from there.
    """
    texts: dict[str, list[str]] = {}
    current: str | None = None
    for block in re.split(r"\n\s*\n", MEASURES_PAGE.read_text("utf-8")):
        block = block.strip()
        heading = re.match(r"#+ .*\{#(?P<id>[\w-]+)\}\s*$", block)
        attr = re.search(r"\n\{:\s*#(?P<id>[\w-]+)[^}]*\}\s*$", block)
        if heading:
            current = heading["id"]
            texts.setdefault(current, [])
        elif attr:  # a paragraph with its own anchor (第五条's two paragraphs)
            texts.setdefault(attr["id"], []).append(block[: attr.start()].strip())
            current = None
        elif re.fullmatch(r"\[[^\]]*\]\([^)]*\)\{[^}]*\}", block):
            continue  # the page's own 测算 button, not policy text (it showed as raw Markdown)
        elif block.startswith(("<", "#", "{")) or current is None:
            current = None if block.startswith("#") else current
        else:
            texts[current].append(block)
    return {k: "\n\n".join(v) for k, v in texts.items() if v}


@marker("clause")
def _clause(args: list[str], ctx: Context) -> str:
    if len(args) != 1:
        raise MarkerError("expected one clause id, e.g. <!-- fs:clause art2 -->")
    anchor = sitedata.anchor(args[0])
    text = _clause_texts().get(anchor)
    if text is None:
        raise MarkerError(f"docs/measures.md has no clause text anchored #{anchor}")
    return render("clause.html", clause=args[0], paragraphs=text.split("\n\n"),
                  link=ctx.url(f"measures/#{anchor}"))
