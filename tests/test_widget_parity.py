"""Parity: the Python the browser runs gives exactly CPython's answers.

Every worked case, 500 generated 政策匹配 profiles and 500 generated single-measure requests (each
also as typed into the form, and as a link opened in it) go
through `calculators.adapters.bridge.handle` twice: here on CPython, and in the Pyodide runtime
exactly as the built site ships it (its worker.mjs boots its own compiled archives, under
Node). The JSON answers must be identical, byte for byte.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

import calculators
from calculators.adapters import bridge
from sitebuild.pyodide_runtime import trace_requests

ROOT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).with_name("pyodide_run.mjs")

# What people type, good and bad, for each input type.
MONEY = ["0", "1", "999.99", "20000000", "20000000.01", "1,000", "１２３４５", "3000万", "1.5亿",
         "30000000", "100000000", "-5", "abc", "", "1e400", "NaN", "12.345", "5000万元"]
NUMBER = ["0", "0.5", "1", "1.99", "2", "2.01", "3", "1000", "1，000.5", "-1", "x", "", "366"]
INTEGER = ["1", "2", "3", "4", "365", "366", "367", "0", "1.5", "", "x"]
DATES = ["2025-04-27", "2025-04-28", "2025-10-01", "2026-04-27", "2026-04-28", "2026-13-01", "x"]
BOOLS = [True, False, "是", "否", "true", "maybe"]


def _value(field: dict, rng: random.Random) -> object:
    kind = field["type"]
    if kind == "money":
        return rng.choice(MONEY) if rng.random() < 0.6 else str(rng.randrange(0, 200_000_000))
    if kind == "number":
        return rng.choice(NUMBER)
    if kind == "integer":
        return rng.choice(INTEGER)
    if kind == "date":
        return rng.choice(DATES)
    if kind == "bool":
        return rng.choice(BOOLS)
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
        profile["as_of"] = rng.choice(DATES[:5])
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


def run_in_pyodide(site: Path, requests: list[str], tmp_path: Path,
                   start: str = "fresh") -> list[str]:
    """Answers from the site's own worker code and files under Node; start="image": from a
    runtime restored from a memory snapshot, as the browser starts on later visits."""
    node = shutil.which("node")
    assert node, "Node.js is required for the parity tests"
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(requests, ensure_ascii=False), "utf-8")
    proc = subprocess.run([node, str(RUNNER), str(site), str(path), start],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_generated_requests_cover_every_outcome() -> None:
    """The generator must reach eligible, ineligible and input-error answers, or parity proves
    little."""
    answers = [json.loads(bridge.handle(json.dumps(r))) for r in generated_requests(300)]
    results = [a["result"] for a in answers if a["ok"] and "eligible" in a["result"]]
    assert any(r["eligible"] for r in results)
    assert any(not r["eligible"] for r in results)
    assert sum(not a["ok"] for a in answers) > 20
    statuses = {x["status"] for a in answers if a["ok"] and "results" in a["result"]
                for x in a["result"]["results"]}
    assert statuses == {"eligible", "ineligible", "needs_input"}


@pytest.mark.parametrize("start", ["fresh", "image"])
def test_pyodide_answers_equal_cpython(built_site: Path, tmp_path: Path, start: str) -> None:
    cases = [json.loads(r) for r in trace_requests()]  # every worked case, and error requests
    requests = [json.dumps(r, ensure_ascii=False) for r in cases + generated_requests(500)]
    ops = [json.loads(r)["op"] for r in requests]
    assert ops.count("match") >= 500 and ops.count("form") >= 500 and ops.count("open") >= 500
    expected = [bridge.handle(r) for r in requests]
    actual = run_in_pyodide(built_site, requests, tmp_path, start)
    assert len(actual) == len(expected)
    mismatches = [(r, e, a) for r, e, a in zip(requests, expected, actual, strict=True) if e != a]
    assert not mismatches, f"{len(mismatches)} differ; first:\n" + "\n".join(mismatches[0])


@pytest.mark.parametrize("request_text", ["not json", "[]", '{"op": "evaluate"}', '{"op": 1}'])
def test_bridge_answers_malformed_requests(request_text: str) -> None:
    answer = json.loads(bridge.handle(request_text))
    assert answer["ok"] is False and answer["errors"]
