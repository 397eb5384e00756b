"""A maintainer's broken data file fails the build with one line naming the file and the key.

Each case breaks one file of a copy of the repository (as tests/test_registry.py copies it) one
way, runs the build's data check (the hook's first step in on_config, `sitebuild.datacheck`) in a
fresh Python, and checks it fails with exactly one line that names the file and the key, and no
traceback. Two of them run the real `mkdocs build --strict`, which fails in on_config, before the
compile step, in a few seconds.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_registry import MKDOCS, ROOT, _copy_repo, _env

import calculators
from sitebuild.casedata import load_cases

V1 = "calculators/data/versions/2025-14"
PARAMS = "calculators/data/parameters.toml"
CONTACTS = f"{V1}/contacts.toml"
VERSION = f"{V1}/version.toml"
SECOND_PATH = "calculators/data/versions/2026-99/version.toml"

CHECK = """
import sys
from sitebuild import datacheck
try:
    datacheck.check()
except datacheck.DataFault as e:
    print(e)
    sys.exit(1)
"""

# A second version, for the cases that need one (its text is the first version's).
SECOND = """doc_number = "房经信局文〔2026〕99号"
title = "试验修订"
notice_title = "关于试验修订的通知"
issuers = ["北京市房山区经济和信息化局"]
issued = 2026-01-01
start = {start}
end = 2027-12-31
[parameters]
{parameters}
"""


def _sub(old: str, new: str, count: int = 1):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return edit


def _in_table(key: str, pattern: str, new: str):
    """Edit the first match of `pattern` inside parameters.toml's table [key] only."""
    def edit(text: str) -> str:
        start = text.index(f"[{key}]\n")
        end = text.find("\n[", start + 1)
        end = len(text) if end < 0 else end
        section, n = re.subn(pattern, new, text[start:end], count=1)
        assert n == 1, (key, pattern)
        return text[:start] + section + text[end:]
    return edit


# The parameters and measures broken below are picked by a property (issue 11: a test names a
# measure only in its own file): the first amount in 元, the first rate, and so on.
_PARAMS = list(calculators.parameters().values())
MONEY = next(p.key for p in _PARAMS if p.unit == "元")
RATE = next(p.key for p in _PARAMS if p.unit == "比例")
OTHER = next(p.key for p in _PARAMS if p.key not in (MONEY, RATE) and p.unit == "元")
FIRST = r"\{ since = \d{4}-\d\d-\d\d, value = [\d_.]+ \}"


def _lonely_direction() -> tuple[str, str, str]:
    """(measure id, its clause, its direction's line) for a measure whose clause has exactly one
    direction of its own in the contacts file, and no direction for its whole article."""
    text = (ROOT / CONTACTS).read_text("utf-8")
    for m in calculators.MEASURES.values():
        own = re.findall(rf'^ *\{{ clause = "{re.escape(m.clause)}".*$\n', text, re.M)
        article = f'clause = "{m.clause.split(".")[0]}"'
        if len(own) == 1 and "." in m.clause and article not in text:
            return m.id, m.clause, own[0]
    raise AssertionError("no measure with a single direction")


LONELY, LONELY_CLAUSE, LONELY_LINE = _lonely_direction()
CASED = next(m for m in calculators.MEASURES if (ROOT / f"tests/cases/{m}.toml").is_file())
CASE_KEY = next(k for k in load_cases(CASED)[0].inputs if k != "as_of")

# (what is broken, file, edit, what the one line must contain)
BROKEN = [
    ("a value written as 二", PARAMS, _in_table(MONEY, r"value = [\d_]+", 'value = "二"'),
     [f"{MONEY}.values[0].value", "expected a number"]),
    ("a parameter's key misspelt", PARAMS, _sub(f"[{MONEY}]\n", f"[{MONEY}x]\n"),
     [f"[{MONEY}]", "missing"]),
    ("a TOML syntax slip", PARAMS, _in_table(OTHER, r'(label = "[^"]*")', r"\1 2"),
     ["TOML syntax", "line"]),
    ("an unknown clause", PARAMS, _in_table(OTHER, r'clause = "[^"]*"', 'clause = "art9"'),
     [f"{OTHER}.clause", "unknown clause 'art9'"]),
    ("two values with the same date", PARAMS,
     _in_table(OTHER, f"({FIRST})", r"\1,\n    { since = 2025-04-28, value = 6 }"),
     [f"{OTHER}.values", "dates must differ"]),
    ("values out of order", PARAMS,
     _in_table(OTHER, f"({FIRST})", r"{ since = 2030-01-01, value = 6 },\n    \1"),
     [f"{OTHER}.values", "oldest first"]),
    ("an undated value", PARAMS, _in_table(OTHER, r"since = [\d-]+, ", ""),
     [f"{OTHER}.values[0].since", "expected a date"]),
    ("a date in quotes", PARAMS, _in_table(OTHER, r"since = ([\d-]+)", r'since = "\1"'),
     [f"{OTHER}.values[0].since", "unquoted"]),
    ("a misspelt field of a parameter", PARAMS, _in_table(OTHER, r"\blabel =", "lable ="),
     [OTHER, "unknown key 'lable'"]),
    ("a wrong unit", PARAMS, _in_table(OTHER, r'unit = "元"', 'unit = "万元"'),
     [f"{OTHER}.unit", "expected one of"]),
    ("a rate written as a percentage", PARAMS, _in_table(RATE, r"value = [\d.]+", "value = 30"),
     [f"{RATE}.values[0].value", "fraction"]),
    ("a clause without its anchor", PARAMS, _sub('anchor = "art4"\n', ""),
     ["clauses.art4.anchor", "missing"]),
    ("a measure whose clause has no contact direction", CONTACTS, _sub(LONELY_LINE, ""),
     [CONTACTS, f"clause {LONELY_CLAUSE!r} of measure {LONELY}"]),
    ("a phone number written as a number", CONTACTS,
     lambda text: re.sub(r'phones = \["(\d+)"\]', r"phones = [\1]", text, count=1),
     [CONTACTS, "departments[0].contacts[0].phones"]),
    ("a TOML slip in the contacts", CONTACTS, _sub("seq = 1\n", "seq = 1\nseq = 2\n"),
     [CONTACTS, "TOML syntax"]),
    ("a version's key misspelt", VERSION, _sub("end = 2026-04-27", "ende = 2026-04-27"),
     [VERSION, "unknown key 'ende'"]),
    ("a version ending before it starts", VERSION, _sub("end = 2026-04-27", "end = 2025-01-01"),
     [VERSION, "end", "before start"]),
    ("a version that points at a missing text", VERSION,
     _sub('measures = "measures.md"', 'measures = "measure.md"'),
     [VERSION, "files.measures", "measure.md not found"]),
    ("a version's date in quotes", VERSION,
     _sub("issued = 2025-04-28", 'issued = "2025-04-28"'),
     [VERSION, "issued", "expected a date"]),
    ("versions whose windows overlap", SECOND_PATH,
     lambda _: SECOND.format(start="2026-01-01", parameters=""),
     ["versions/2026-99/version.toml", "start", "windows must not overlap"]),
    ("a revision changing an unknown parameter", SECOND_PATH,
     lambda _: SECOND.format(start="2026-05-01", parameters=f'"{MONEY}x" = 3'),
     ["versions/2026-99/version.toml", f"{MONEY}x", "no such parameter"]),
    ("a revision's value of the wrong type", SECOND_PATH,
     lambda _: SECOND.format(start="2026-05-01", parameters=f'"{MONEY}" = "三"'),
     ["versions/2026-99/version.toml", MONEY, "expected a number (in 元"]),
    ("a worked case naming an unknown input", f"tests/cases/{CASED}.toml",
     _sub(f"{CASE_KEY} = ", f"{CASE_KEY}x = "),
     [f"tests/cases/{CASED}.toml", f"inputs.{CASE_KEY}x", "unknown input"]),
    ("worked cases for an unknown measure", f"tests/cases/{CASED}x.toml",
     lambda _: '[[cases]]\nname = "x"\ninputs = {}\nexpected = {}\n',
     [f"tests/cases/{CASED}x.toml", f"no measure '{CASED}x'"]),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("broken") / "repo"
    _copy_repo(repo)
    return repo


def _break(repo: Path, name: str, edit) -> tuple[Path, str | None]:
    path = repo / name
    before = path.read_text("utf-8") if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(edit(before or ""), "utf-8")
    return path, before


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink()
        if not any(path.parent.iterdir()):
            path.parent.rmdir()
    else:
        path.write_text(before, "utf-8")


def _one_line(out: str, wanted: list[str]) -> None:
    assert "Traceback" not in out, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    for text in wanted:
        assert text in lines[0], (text, lines[0])


def test_the_copy_is_sound(repo: Path) -> None:
    """The check passes on the unbroken copy, so each failure below is its one edit's."""
    proc = subprocess.run([sys.executable, "-c", CHECK], cwd=repo, env=_env(repo),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(("name", "edit", "wanted"), [b[1:] for b in BROKEN],
                         ids=[b[0] for b in BROKEN])
def test_a_broken_file_gives_one_line(repo: Path, name: str, edit, wanted: list[str]) -> None:
    path, before = _break(repo, name, edit)
    try:
        proc = subprocess.run([sys.executable, "-c", CHECK], cwd=repo, env=_env(repo),
                              capture_output=True, text=True, timeout=120)
    finally:
        _restore(path, before)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    _one_line(proc.stdout + proc.stderr, wanted)


@pytest.mark.parametrize("which", ["a TOML syntax slip", "a parameter's key misspelt"])
def test_mkdocs_build_fails_with_that_line(repo: Path, which: str) -> None:
    """The real build: it stops in on_config (before the compile step) with MkDocs' ERROR line
    carrying the same message, and no traceback."""
    _, name, edit, wanted = next(b for b in BROKEN if b[0] == which)
    path, before = _break(repo, name, edit)
    try:
        proc = subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir",
                               str(repo / "site")], cwd=repo, env=_env(repo),
                              capture_output=True, text=True, timeout=300)
    finally:
        _restore(path, before)
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    errors = [line for line in out.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, out
    _one_line(re.sub(r"^ERROR\s+-\s+", "", errors[0]), wanted)
    assert "Compil" not in out and "pyodide" not in out.lower()  # failed before the slow step
