"""Parity: the Python the browser runs gives exactly CPython's answers.

Every worked case, 500 generated 政策匹配 profiles and 500 generated single-measure requests (each
also as typed into the form, and as a link opened in it) go
through `calculators.adapters.bridge.handle` twice: here on CPython, and in the Pyodide runtime
exactly as the built site ships it (its worker.mjs boots its own compiled archives, under
Node). The JSON answers must be identical, byte for byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from calculators.adapters import bridge
from sitebuild.profile_requests import generated_requests  # also profiled for the trimmed wasm
from sitebuild.pyodide_runtime import trace_requests

ROOT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).with_name("pyodide_run.mjs")

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
