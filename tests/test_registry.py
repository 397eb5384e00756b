"""The registry (`calculators.MEASURES`): what it finds, what the build makes from it, and the
open data the build publishes from it.

The slow test here adds a throwaway measure to a copy of the repository exactly as the README's
“Adding a measure” says (its module, its parameters, a contact and two worked cases, nothing
else), builds, checks that every place derived from the registry shows it, then deletes it the
same way and checks the build keeps no trace of it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import calculators
from calculators.engine.contacts import directory
from sitebuild import pages

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")


def test_every_measure_module_is_in_the_registry() -> None:
    """MEASURES: exactly the modules of calculators/rules/ that define MEASURE, in the policy's
    order."""
    modules = sorted(p.stem for p in (ROOT / "calculators" / "rules").glob("[!_]*.py"))
    defining = {m for m in modules if re.search(r"^MEASURE = Measure\(", (
        ROOT / "calculators" / "rules" / f"{m}.py").read_text("utf-8"), re.M)}
    assert set(calculators.MEASURES) == defining
    order = list(calculators.clauses())
    assert [order.index(m.clause) for m in calculators.MEASURES.values()] == sorted(
        order.index(m.clause) for m in calculators.MEASURES.values())


@pytest.mark.parametrize("measure", list(calculators.MEASURES))
def test_each_entry_has_what_its_page_needs(measure: str) -> None:
    d = calculators.describe(measure)
    assert d["short_title"] and d["action"].startswith("测算")
    assert d["intro"].endswith("。") and d["summary"].endswith("。")
    page = pages.measure_page(measure)
    assert f"<!-- fs:calculator {measure} -->" in page
    assert f"<!-- fs:clause {d['clause']} -->" in page
    assert d["intro"] in page


def test_no_page_under_docs_names_a_measure() -> None:
    """Pages, nav and build code take the measures from the registry (issue 11)."""
    ids = re.compile("|".join(rf"\b{m}\b" for m in calculators.MEASURES))
    files = [ROOT / "mkdocs.yml", ROOT / "scripts" / "hooks.py",
             *(ROOT / "docs").rglob("*"), *(ROOT / "overrides").rglob("*"),
             *(ROOT / "scripts" / "sitebuild").rglob("*")]
    naming = [str(f.relative_to(ROOT)) for f in files
              if f.is_file() and ids.search(f.read_text("utf-8", errors="replace"))]
    assert naming == []


def test_no_test_file_but_a_measures_own_lists_measures() -> None:
    """A measure's own tests (tests/test_<id>.py) are where it is named; a test that covers every
    measure takes them from MEASURES, and a generic one picks its measure by a property (issue 11:
    no other test file names three or more ids)."""
    ids = re.compile("|".join(rf"\b{m}\b" for m in calculators.MEASURES))
    own = {f"test_{m}.py" for m in calculators.MEASURES}
    named = {f.name: set(ids.findall(f.read_text("utf-8"))) for f in (ROOT / "tests").glob("*.py")}
    assert any(named.values())  # the scan sees ids where they are named
    listing = {name: sorted(found) for name, found in named.items()
               if name not in own and len(found) >= 3}
    assert listing == {}


def _json(site: Path, name: str) -> dict:
    return json.loads((site / "data" / f"{name}.json").read_text("utf-8"))


def test_open_data_equals_what_the_calculators_read(built_site: Path) -> None:
    params = _json(built_site, "parameters")
    assert params["policy"]["doc_number"] == calculators.policy()["doc_number"]
    assert params["clauses"].keys() == calculators.clauses().keys()
    for cid, c in calculators.clauses().items():
        assert params["clauses"][cid]["label"] == c.label
        assert params["clauses"][cid].get("also_relevant", "") == c.also_relevant
    assert params["parameters"].keys() == calculators.parameters().keys()
    for key, p in calculators.parameters().items():
        published = params["parameters"][key]
        assert (published["clause"], published["unit"]) == (p.clause, p.unit)
        assert [(h["since"], Decimal(str(h["value"]))) for h in published["values"]] == [
            (h.since.isoformat(), h.value) for h in p.history]

    measures = _json(built_site, "measures")
    as_of = dt.date.fromisoformat(measures["as_of"])
    assert [m["measure"] for m in measures["measures"]] == list(calculators.MEASURES)
    for m in measures["measures"]:
        assert {k: v for k, v in m.items() if k != "page"} == calculators.describe(
            m["measure"], as_of)
        assert (built_site / m["page"] / "index.html").is_file()
    assert measures["profile"] == calculators.describe_profile()

    contacts = _json(built_site, "contacts")
    current = calculators.policy()["id"]
    assert contacts == json.loads(json.dumps(directory(current), default=str, ensure_ascii=False))
    every = {c["name"] for d in contacts["departments"] for c in d["contacts"]}
    for measure in calculators.MEASURES.values():  # each result's contacts are in the file
        assert {c.name for c in calculators.engine.contacts.contacts_for(measure.clause)} <= every


def test_open_data_is_linked_from_a_page(built_site: Path) -> None:
    html = (built_site / "rules" / "index.html").read_text("utf-8")
    for name in pages.OPEN_DATA:
        assert f'href="../data/{name}.json"' in html


# --- adding and removing a measure -------------------------------------------------------------

MODULE = '''"""第六条 应用场景支持 — a throwaway measure (added and removed by tests)."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.inputs import Field, FieldType
from ..engine.measure import Kind, Measure, Trace, Verdict
from ..engine.money import wan
from ..engine.params import ParamView

CLAUSE = "art6"


@dataclass(frozen=True)
class Inputs:
    scene_trial_opened: bool


FIELDS = (
    Field("scene_trial_opened", "已开放应用场景", FieldType.BOOL, CLAUSE,
          "第六条：企业开放了应用场景。"),
)


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    if not x.scene_trial_opened:
        t.reason(CLAUSE, "未开放应用场景，不符合。")
        return Verdict.no()
    t.reason(CLAUSE, f"开放应用场景，最高 {wan(p['scene_trial.ceiling'])}。")
    return Verdict(True, p["scene_trial.ceiling"])


MEASURE = Measure(
    id="scene_trial",
    clause=CLAUSE,
    title="场景试点奖励",
    kind=Kind.GRANT,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    cap=lambda p: p["scene_trial.ceiling"],
    summary=lambda p: f"开放应用场景的企业，最高 {wan(p['scene_trial.ceiling'])}。",
    short_title="场景试点奖励",
    intro=lambda p: "开放应用场景的企业的试点奖励。",
    action="测算试点奖励",
)
'''

PARAMETERS = '''
[scene_trial.ceiling]
clause = "art6"
label = "场景试点奖励上限"
unit = "元"
values = [
    { since = 2025-04-28, value = 1_230_000 },
]
'''

CONTACT = '''
[[departments]]
seq = 99
directions = [
    { clause = "art6", text = "第六条 场景试点奖励" },
]
contacts = [
    { unit = "场景试点科", name = "试点联系人", phones = ["81399999"] },
]
'''

CASES = '''[[cases]]
name = "开放应用场景，最高 123 万元"
inputs = { scene_trial_opened = true, as_of = "2025-06-01" }
expected = { eligible = true, amount_max = "1230000.00", in_force = true }

[[cases]]
name = "未开放应用场景，不符合"
inputs = { scene_trial_opened = false, as_of = "2025-06-01" }
expected = { eligible = false, amount_max = "0.00", in_force = true }
'''

# What a copy's Python sees: its own calculators and build package before the installed ones.
CPYTHON_ANSWERS = """
import json, sys
from calculators.adapters import bridge
from sitebuild.pyodide_runtime import compile_runtime, trace_requests
requests = trace_requests()
compiled = json.loads((compile_runtime().out_dir / "manifest.json").read_text())  # the build's
json.dump({"requests": requests, "answers": [bridge.handle(r) for r in requests],
           "replayed": compiled["requests"]}, sys.stdout)
"""


def _copy_repo(dest: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")  # the pinned Pyodide


def _env(repo: Path) -> dict[str, str]:
    # The copy's own packages, not this checkout's (installed in editable mode). The build's
    # caches are shared: the compile step's key hashes its inputs, the gzip cache the content.
    cache = os.environ.get("FS_CACHE_DIR") or str(ROOT / ".cache")
    return {**os.environ, "PYTHONPATH": f"{repo}{os.pathsep}{repo / 'scripts'}",
            "FS_CACHE_DIR": cache, "NO_MKDOCS_2_WARNING": "1"}


def _build(repo: Path) -> Path:
    site = repo / "site"
    proc = subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(site)], cwd=repo,
                          env=_env(repo), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return site


def _texts(site: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(site.rglob("*"))
                     if p.suffix in {".html", ".json", ".xml"} and p.is_file())


def _answers(repo: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CPYTHON_ANSWERS], cwd=repo, env=_env(repo),
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(proc.stdout)


def test_adding_and_removing_a_measure(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _copy_repo(repo)
    module = repo / "calculators" / "rules" / "scene_trial.py"
    cases = repo / "tests" / "cases" / "scene_trial.toml"
    parameters = repo / "calculators" / "data" / "parameters.toml"
    contacts = repo / "calculators" / "data" / "versions" / "2025-14" / "contacts.toml"
    before = {p: p.read_text("utf-8") for p in (parameters, contacts)}

    # Add it: its module, its parameters, a contact for its clause, two worked cases.
    module.write_text(MODULE, "utf-8")
    parameters.write_text(before[parameters] + PARAMETERS, "utf-8")
    contacts.write_text(before[contacts] + CONTACT, "utf-8")
    cases.write_text(CASES, "utf-8")
    site = _build(repo)

    page = (site / "calculators" / "scene_trial" / "index.html").read_text("utf-8")
    assert "<h1" in page and "场景试点奖励 · 测算" in page  # its page
    assert 'data-measure="scene_trial"' in page or "fs-scene_trial" in page  # its form
    assert "开放应用场景，最高 123 万元" in page  # its worked cases, as 示例
    home = (site / "index.html").read_text("utf-8")
    nav = r'href="calculators/scene_trial/" class="md-nav__link">\s*(<[^>]*>\s*)*场景试点奖励'
    assert re.search(nav, home)  # its nav entry
    overview = (site / "calculators" / "index.html").read_text("utf-8")
    assert 'data-measure="scene_trial"' in overview and "试点联系人" in overview  # 一图读懂 card
    assert "八项有金额的支持措施" in overview  # the count follows the registry
    match = (site / "calculators" / "match" / "index.html").read_text("utf-8")
    assert "场景试点奖励" in match and "scene_trial_opened" in match  # 政策匹配 row
    measures = (site / "measures" / "index.html").read_text("utf-8")
    assert 'href="../calculators/scene_trial/"' in measures  # the button under 第六条
    published = json.loads((site / "data" / "measures.json").read_text("utf-8"))
    assert "scene_trial" in [m["measure"] for m in published["measures"]]

    # The compile step replayed its cases inside Pyodide …
    cpython = _answers(repo)
    ours = [r for r in cpython["requests"] if '"measure": "scene_trial"' in r]
    assert sum('"op": "evaluate"' in r for r in ours) == 2  # its two worked cases
    for op in ("form", "open"):  # … also as typed into the form, and as opened from a link
        assert any(f'"op": "{op}"' in r for r in ours), op
    assert cpython["replayed"] == len(cpython["requests"])  # (cached by its inputs' hash)
    # … and the shipped runtime answers them as CPython does (the parity run).
    from test_widget_parity import run_in_pyodide

    actual = run_in_pyodide(site, cpython["requests"], tmp_path)
    assert actual == cpython["answers"]
    assert any('"measure": "scene_trial"' in a and "试点联系人" in a for a in actual)

    # Remove it the same way: the build keeps no trace of it.
    module.unlink()
    cases.unlink()
    for path, text in before.items():
        path.write_text(text, "utf-8")
    shutil.rmtree(site)
    site = _build(repo)
    text = _texts(site)
    assert "scene_trial" not in text and "场景试点" not in text and "试点联系人" not in text
    assert "七项有金额的支持措施" in (site / "calculators" / "index.html").read_text("utf-8")
    for archive in (site / "assets" / "calc").glob("app-*.zip"):
        assert not any("scene_trial" in n for n in zipfile.ZipFile(archive).namelist())
