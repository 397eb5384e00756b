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


class CaseError(ValueError):
    """A worked case that names what no measure reads: one line, naming the file and the case."""


def check_cases(measure_inputs: dict[str, set[str]]) -> None:
    """Each case file is a measure's (or match.toml), each case has name, inputs and expected, and
    names only inputs its measure reads (`measure_inputs`: id → keys; "match" → the profile's),
    unless the case expects exactly that key to be refused (`expected.error_fields`)."""
    for path in sorted(CASES_DIR.glob("*.toml")):
        where = f"tests/cases/{path.name}"
        if path.stem not in measure_inputs:
            raise CaseError(f"{where}: no measure {path.stem!r} (expected one of: "
                            f"{', '.join(measure_inputs)})")
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as e:
            raise CaseError(f"{where}: TOML syntax: {e}") from None
        for n, c in enumerate(data.get("cases", [])):
            at = f"{where}: cases[{n}]"
            for key in ("name", "inputs", "expected"):
                if not isinstance(c.get(key), str if key == "name" else dict):
                    raise CaseError(f"{at}.{key}: missing (each case has name, inputs, expected)")
            refused = set(c["expected"].get("error_fields", ()))
            for key in c["inputs"]:
                if key not in measure_inputs[path.stem] and key not in refused:
                    raise CaseError(f"{at} ({c['name']}): inputs.{key}: unknown input of "
                                    f"{path.stem} (expected one of: "
                                    f"{', '.join(sorted(measure_inputs[path.stem]))})")
