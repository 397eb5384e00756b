"""Worked cases (tests/cases/*.toml): the loader the tests use and the site can reuse.

Each file holds `[[cases]]` tables: `name` (a Chinese sentence), `inputs` (always with a fixed
`as_of`) and `expected` (hand-checked literals). `<measure_id>.toml` feeds `evaluate`,
`match.toml` feeds `match`. Plain tomllib, no test framework needed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parents[2] / "tests" / "cases"


@dataclass(frozen=True)
class Case:
    target: str  # a measure id, or "match"
    name: str
    inputs: dict
    expected: dict

    @property
    def id(self) -> str:
        return f"{self.target}: {self.name}"


def load_cases(target: str | None = None) -> list[Case]:
    """Every case, file by file in name order (or only those of `target`)."""
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        if target is not None and path.stem != target:
            continue
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        cases += [Case(path.stem, c["name"], c["inputs"], c["expected"]) for c in data["cases"]]
    return cases
