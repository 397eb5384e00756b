"""What the build makes from the registry (`calculators.MEASURES`) rather than from files in docs/.

* each measure's calculator page, `calculators/<id>.md` (templates/measure_page.md), and its nav
  entry at the end of the nav section that holds the calculators' index page;
* the markers that name no measure: ``<!-- fs:calculator-link <clause> -->`` (the button under a
  clause of the measures page, for each measure of that clause), ``<!-- fs:measure-count -->``
  (七), ``<!-- fs:param <clause> <name> -->`` (a parameter's current value, as the text writes it);
* the open data: ``data/measures.json``, ``data/parameters.json``, ``data/contacts.json``, and
  the schema of every request and answer, ``data/schema.json``.

Plain Python: the hook (scripts/hooks.py) hands these to MkDocs.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path, PurePosixPath
from posixpath import relpath

from jinja2 import Environment, FileSystemLoader, StrictUndefined

import calculators
from calculators.engine import contacts as _contacts
from calculators.engine import versions as _versions
from calculators.engine.money import pct, plain_number, wan

from .markers import TEMPLATES, Context, MarkerError, marker

CALCULATORS_INDEX = "calculators/index.md"  # the measures' nav entries go into its nav section
OPEN_DATA = ("measures", "parameters", "contacts", "versions", "schema")

_md = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, undefined=StrictUndefined,
                  keep_trailing_newline=True)


def page_uri(measure_id: str) -> str:
    """The source path of a measure's page (the build makes it; docs/ has no such file)."""
    return f"calculators/{measure_id}.md"


def today() -> dt.date:
    """The build's date (Beijing), as the version pages use it."""
    return calculators.today()


def measure_page(measure_id: str) -> str:
    """A measure's calculator page as Markdown: its title, intro, clause, form and 示例."""
    d = calculators.describe(measure_id, today())
    return _md.get_template("measure_page.md").render(
        id=measure_id,
        title=d["title"],
        clause=d["clause"],
        intro=d["intro"],
        description=f"{d['clause_label']}《{d['title']}》支持金额测算：{d['intro']}",
    )


def measure_pages() -> dict[str, str]:
    """Every measure's page: {source path: Markdown}."""
    return {page_uri(m): measure_page(m) for m in calculators.MEASURES}


def add_to_nav(nav: list) -> None:
    """Append one entry per measure to the section of mkdocs.yml's `nav` (as loaded) that holds
    the calculators' index page. Raises ValueError if no section does."""
    entries = [{m.short_title: page_uri(m.id)} for m in calculators.MEASURES.values()]

    def append(items: list) -> bool:
        for entry in items:
            for sub in entry.values() if isinstance(entry, dict) else ():
                if not isinstance(sub, list):
                    continue
                if any(isinstance(e, dict) and CALCULATORS_INDEX in e.values() for e in sub):
                    sub.extend(e for e in entries if e not in sub)
                    return True
                if append(sub):
                    return True
        return False

    if not append(nav):
        raise ValueError(f"mkdocs.yml: no nav section holds {CALCULATORS_INDEX}")


# --- markers ------------------------------------------------------------------------------------


def _rel(ctx: Context, target: str) -> str:
    """A Markdown link target from the page's source file to another source file."""
    return relpath(target, str(PurePosixPath(ctx.page_src).parent) or ".")


@marker("calculator-link")
def _calculator_link(args: list[str], ctx: Context) -> str:
    """The button to each calculator of a clause or of an article's parts (``art5`` covers
    ``art5.1``); nothing if it has none, so every clause of the measures page can carry one."""
    if len(args) != 1 or not any(c == args[0] or c.startswith(args[0] + ".")
                                 for c in calculators.clauses()):
        raise MarkerError("expected one clause or article of parameters.toml, e.g. "
                          "<!-- fs:calculator-link art2 -->")
    if ctx.version:  # a version's own pages: the calculators compute under any version by as_of
        return ""
    return " ".join(
        f"[{m.action} →]({_rel(ctx, page_uri(m.id))}){{ .md-button .fs-calc-link }}"
        for m in calculators.MEASURES.values()
        if m.clause == args[0] or m.clause.startswith(args[0] + ".")
    )


_DIGITS = "零一二三四五六七八九"


def chinese_count(n: int) -> str:
    """7 → 七, 10 → 十, 12 → 十二, 21 → 二十一 (0–99: enough for a count of measures)."""
    if not 0 <= n < 100:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@marker("measure-count")
def _measure_count(args: list[str], ctx: Context) -> str:
    """How many measures have a calculator, in Chinese (七)."""
    if args:
        raise MarkerError("takes no arguments")
    return chinese_count(len(calculators.MEASURES))


def find_param(clause: str, name: str) -> str:
    """The key of the one parameter of `clause` whose key ends with `name` (pages address a
    parameter by the clause that states it, not by the module that reads it)."""
    found = [key for key, p in calculators.parameters().items()
             if p.clause == clause and (key == name or key.endswith("." + name))]
    if len(found) != 1:
        raise MarkerError(f"{len(found)} parameters of clause {clause} end with {name!r}: "
                          f"{', '.join(found) or 'none'}")
    return found[0]


def param_text(key: str, as_of: dt.date | None = None) -> str:
    """A parameter's value as the policy writes it: 4%, 1000 万元, 2 元/平方米·天, 3 年."""
    p = calculators.parameters()[key]
    value = p.at(as_of or today()).value
    if p.unit == "比例":
        return pct(value)
    if p.unit == "元":
        return wan(value)
    return f"{plain_number(value)} {p.unit}"


@marker("param")
def _param(args: list[str], ctx: Context) -> str:
    """``fs:param CLAUSE NAME``: the value in force today of the parameter of CLAUSE whose key
    ends with NAME, e.g. ``<!-- fs:param art3.1 min_intensity -->`` → 4%."""
    if len(args) != 2:
        raise MarkerError("expected a clause and a parameter name, e.g. "
                          "<!-- fs:param art3.1 min_intensity -->")
    return param_text(find_param(*args))


# --- open data ----------------------------------------------------------------------------------


def _plain(value: object) -> object:
    """TOML values as JSON: dates as ISO text, everything else as it is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def open_data() -> dict[str, object]:
    """The policy for other platforms (a district 政策计算器, aggregators): {name: JSON data}.

    * measures: the registry, each measure with its input descriptions (as the forms use them)
      and its page, plus the 政策匹配 profile;
    * parameters: the policy metadata, the clauses, and every parameter with its dated values;
    * contacts: the current version's contact directory (附件2) as its contacts.toml holds it;
    * versions: every version (metadata, window, status by date, its pages, the parameter values
      it changes and those in force at its start, its contact directory).
    """
    policy = _plain(dict(calculators.policy(today())))
    as_of = today()
    measures = [
        {**calculators.describe(m, as_of), "page": page_uri(m).removesuffix(".md") + "/"}
        for m in calculators.MEASURES
    ]
    return {
        "measures": {"policy": policy, "as_of": as_of.isoformat(), "measures": measures,
                     "profile": calculators.describe_profile()},
        "parameters": {
            "policy": policy,
            "clauses": {
                c.id: {"label": c.label, "title": c.title, "anchor": c.anchor,
                       **({"also_relevant": c.also_relevant} if c.also_relevant else {})}
                for c in calculators.clauses().values()
            },
            "parameters": {
                p.key: {"clause": p.clause, "label": p.label, "unit": p.unit,
                        "values": [{"since": h.since.isoformat(), "value": _number(h.value)}
                                   for h in p.history]}
                for p in calculators.parameters().values()
            },
        },
        "contacts": _plain(_contacts.directory(_versions.version_at(today()).id)),
        "versions": versions_data(),
    }


def versions_data() -> dict[str, object]:
    """data/versions.json: the policy as its dated sequence of versions."""
    out = []
    for v in _versions.versions():
        params = calculators.parameters()
        out.append({
            **_plain(v.policy()),
            "status": _versions.status_steps(v),
            "pages": {page: f"versions/{v.id}/{page}/" for page in _versions.PAGES},
            "changes": {k: _number(params[k].at(v.start).value) for k in v.parameters},
            "parameters": {k: _number(p.at(v.start).value) for k, p in params.items()},
            "contacts": _plain(_contacts.directory(v.id)),
        })
    return {"current": _versions.version_at(today()).id, "versions": out}


SCHEMA = Path(calculators.__file__).parent / "data" / "schema.json"


def open_data_files() -> dict[str, str]:
    """The open data as files of the site: {"data/<name>.json": JSON text}, and the contract of
    every request and answer (`data/schema.json`, published as written in calculators/data)."""
    files = {
        f"data/{name}.json": json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        for name, data in open_data().items()
    }
    files["data/schema.json"] = SCHEMA.read_text("utf-8")
    assert files.keys() == {f"data/{name}.json" for name in OPEN_DATA}
    return files
