"""What the trimmed runtime is profiled on (精简运行时的剖析请求): every request the build and the
tests send to the engine, in one place.

The trimmed wasm keeps only the functions that ran while these were answered (sitebuild.wasm_trim),
so they must reach every code path a reader can: the worked cases through every bridge op (the
compile step's `trace_requests`), the generated requests of the parity test, the hostile text the
browser test types into every field of every form, a link with every field wrong, and malformed
requests. The tests import their inputs from here (tests/test_widget_parity.py,
tests/test_widget_hostile.py), so a new hostile input is profiled as soon as a test uses it.
Whatever still escapes costs a reader time, never a wrong answer: the worker falls back to the
full wasm (docs/assets/calc/worker.mjs).
"""

from __future__ import annotations

import json
import random

import calculators

from .casedata import load_cases


def forms() -> list[str]:
    """Every form: each measure's, then 政策匹配's. A function, not a constant: the registry reads
    the data files, and importing the build must not (a broken file is reported by the data
    check, in one line, not by an import's traceback)."""
    return [*calculators.MEASURES, "match"]

# --- the parity test's generated requests (tests/test_widget_parity.py) --------------------------
# What people type, good and bad, for each input type.
GEN_MONEY = ["0", "1", "999.99", "20000000", "20000000.01", "1,000", "１２３４５", "3000万",
             "1.5亿", "30000000", "100000000", "-5", "abc", "", "1e400", "NaN", "12.345",
             "5000万元"]
GEN_NUMBER = ["0", "0.5", "1", "1.99", "2", "2.01", "3", "1000", "1，000.5", "-1", "x", "", "366"]
GEN_INTEGER = ["1", "2", "3", "4", "365", "366", "367", "0", "1.5", "", "x"]
GEN_DATES = ["2025-04-27", "2025-04-28", "2025-10-01", "2026-04-27", "2026-04-28", "2026-13-01",
             "x"]
GEN_BOOLS = [True, False, "是", "否", "true", "maybe"]
GENERATED = 500  # the parity test's count


def _value(field: dict, rng: random.Random) -> object:
    kind = field["type"]
    if kind == "money":
        return rng.choice(GEN_MONEY) if rng.random() < 0.6 else str(rng.randrange(0, 200_000_000))
    if kind == "number":
        return rng.choice(GEN_NUMBER)
    if kind == "integer":
        return rng.choice(GEN_INTEGER)
    if kind == "date":
        return rng.choice(GEN_DATES)
    if kind == "bool":
        return rng.choice(GEN_BOOLS)
    values = [c["value"] for c in field["choices"]]
    if kind == "enum":
        return rng.choice([*values, "bogus"]) if rng.random() < 0.95 else 7
    return rng.sample(values, rng.randrange(0, len(values) + 1))  # enum_list


def generated_requests(n: int, seed: int = 20250428) -> list[dict]:
    """`n` match profiles and `n` single-measure requests, from the input descriptions."""
    rng = random.Random(seed)
    profile_fields = calculators.describe_profile()["inputs"]
    out: list[dict] = []
    for _ in range(n):
        profile = {f["key"]: _value(f, rng) for f in profile_fields if rng.random() < 0.7}
        profile["as_of"] = rng.choice(GEN_DATES[:5])
        out.append({"op": "match", "profile": profile})
        measure = rng.choice(list(calculators.MEASURES))
        fields = calculators.describe(measure)["inputs"]
        inputs = {f["key"]: _value(f, rng) for f in fields if f["required"] or rng.random() < 0.6}
        if rng.random() < 0.05:
            inputs["typo_key"] = "1"
        out.append({"op": "evaluate", "measure": measure, "inputs": inputs})
        # The same values as typed into the form (money then counts in 万元), and as a link.
        typed = {k: v if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v)
                 for k, v in inputs.items()}
        out.append({"op": "form", "measure": measure, "typed": typed, "compute": True})
        out.append({"op": "open", "measure": measure, "query": calculators.permalink_query(typed)})
    return out


# --- the browser's hostile input (tests/test_widget_hostile.py) ----------------------------------
XSS = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload="window.__xss=1;alert(2)">'
# Typed into every text field of every form. The first five are the same number written five
# ways, so they must give the same answer.
SAME_NUMBER = ["1234", "１２３４", "1,234", "1，234", " 12 34 "]
# How people write numbers, right and wrong (issue 10's table among them): in a 万元 field ".5"
# is 0.5 万元; "1,0", "12,34", "1_000" and "5." are no numbers.
WRITTEN = [".5", "5.", "1,000", "1,0", "12,34", "1_000", "３０００万", "3000万", "0.3亿", "5000元",
           "+12", "１２．５", "1e5", "1E-3", "1e-400", "9" * 80, "0." + "0" * 76 + "1", "1 000 000"]
TYPED = [
    *SAME_NUMBER,
    *WRITTEN,
    "",
    "   ",
    "-5",
    "1e400",
    "NaN",
    "Infinity",
    "12345678901234567890",  # 20 digits
    "0.000000000000000000001",
    "二十",
    "12万",
    "0.5亿",
    XSS,
    "<script>alert(1)</script>",
    SVG,
    "9" * 3000,  # a pasted wall of digits
]
DATES = ["2025-02-30", "2025/05/01", "２０２５－０５－０１", "2025-5-1"]
MONEY = ["1234万", "0.1234亿", "１２３４万元"]  # in a 万元 field, the same as 1234
BAD_NUMBERS = [XSS, "1e400", "NaN", "-1", "9" * 25, SVG, "<script>alert(1)</script>"]
MALFORMED = ["not json", "[]", '{"op": "evaluate"}', '{"op": 1}', "{", '"x"', "null"]
TEXT_KINDS = ("money", "number", "integer", "date")


def _base_typed(form: str) -> dict:
    """A worked case's values as the form shows them, to spoil one field of."""
    case = next(c for c in load_cases(form))
    return calculators.open_link(form, calculators.permalink_query(case.inputs))["typed"]


def hostile_requests() -> list[dict]:
    """Every hostile text typed into every text field of every form (computed, as the page asks
    on 计算), and a link with every field wrong."""
    out: list[dict] = []
    for form in forms():
        fields = (calculators.describe_profile() if form == "match"
                  else calculators.describe(form))["inputs"]
        base = _base_typed(form)
        for f in fields:
            if f["type"] not in TEXT_KINDS:
                continue
            values = [*TYPED, *(DATES if f["type"] == "date" else []),
                      *(MONEY if f["type"] == "money" else [])]
            out += [{"op": "form", "measure": form, "typed": {**base, f["key"]: v},
                     "compute": True} for v in values]
        wrong = {f["key"]: BAD_NUMBERS[i % len(BAD_NUMBERS)] for i, f in enumerate(fields)}
        wrong["<svg/onload=alert(3)>"] = "1"
        query = "?" + "&".join(f"{k}={v}" for k, v in wrong.items())
        out.append({"op": "open", "measure": form, "query": query})
    return out


def profile_requests(trace: list[str]) -> list[str]:
    """The requests the runtime is profiled on, as JSON texts: the compile step's `trace`
    (worked cases, every op, error requests), then the generated, hostile and malformed ones."""
    more = [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
            for r in generated_requests(GENERATED) + hostile_requests()]
    return [*trace, *more, *MALFORMED]
