"""房山区促进高精尖产业发展扶持措施（试行）的计算器 — Articles 1–5 as code.

    from calculators import evaluate, match, describe, InputError, MEASURES

    evaluate("rent_subsidy", {"rent_entry": "new", "qualifications": ["high_tech"],
                              "rent_area_m2": 1000, "rent_per_m2_day": 3, "as_of": "2025-06-01"})

* `evaluate(measure_id, inputs)` — one measure; `match(profile)` — every measure at once (政策匹配).
* `describe(measure_id)` / `describe_profile()` — the inputs as JSON-serialisable data.
* `MEASURES` — the registry: every measure module (`MEASURE = Measure(...)`), by id, in the
  policy's order.
* `form(measure_id | "match", typed, compute)` / `open_link(…, query)` — the browser form's
  side: what people typed in, everything the page shows out (see `views.form`).
* `InputError` — a ValueError whose `.errors` is {field: 中文说明}, every bad field at once.
* `versions()` / `version_at(day)` — the policy's versions, oldest first, and the one in force on
  a day (else the nearest earlier, else the first); `policy(day=None)` its metadata (文号, title,
  issuers, dates, validity), `directory(vid=None)` its contact directory (附件2), both for the
  version in force today by default; `clauses()`, `parameters()` (every dated value).

Standard library only; amounts and rates come from `data/parameters.toml`, each version's
metadata, text and contacts from `data/versions/<id>/` (read once). See
`calculators/rules/<measure>.py` for each article's rules.

Layers (each may import only those after it): `adapters` (bridge, CLI) → `views` (form reading,
wording, result and chart views) → `rules` (one module per measure) → `engine` (parameters, money,
dates, inputs, the measure contract, registry, evaluate/match). See ARCHITECTURE.md.
"""

from __future__ import annotations

from .engine.contacts import directory
from .engine.dates import today
from .engine.evaluate import describe, evaluate
from .engine.inputs import InputError
from .engine.links import calculator_href, permalink_query
from .engine.match import describe_profile, match
from .engine.measure import Kind, Measure
from .engine.params import clauses, parameters, policy
from .engine.registry import MEASURES
from .engine.versions import version_at, versions
from .views.form import form, money_hint, open_link, wan_amount

__all__ = [
    "MEASURES",
    "InputError",
    "Kind",
    "Measure",
    "calculator_href",
    "clauses",
    "describe",
    "describe_profile",
    "directory",
    "evaluate",
    "form",
    "match",
    "money_hint",
    "open_link",
    "parameters",
    "permalink_query",
    "policy",
    "today",
    "version_at",
    "versions",
    "wan_amount",
]
