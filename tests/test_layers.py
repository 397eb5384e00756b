"""The calculators' layers (ARCHITECTURE.md): adapters > views > rules > engine, each importing
only the layers below it, checked by import-linter from the contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: grimp finds the package of this tree, not the installed one.
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_the_tree_keeps_its_layers() -> None:
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("rules/rent_subsidy.py", "from ..views import form as _unused  # noqa"),
        ("engine/money.py", "from ..rules import rd_support as _unused  # noqa"),
        ("rules/rd_support.py", "from . import rent_subsidy as _unused  # noqa"),
        ("views/form.py", "from ..adapters import bridge as _unused  # noqa"),
    ],
    ids=["rule imports presentation", "engine imports a rule", "rule imports rule",
         "view imports adapter"],
)
def test_a_broken_layer_fails(tmp_path: Path, module: str, line: str) -> None:
    shutil.copytree(ROOT / "calculators", tmp_path / "calculators",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "calculators" / module
    target.write_text(target.read_text("utf-8") + f"\n{line}\n", "utf-8")
    proc = _lint(tmp_path)
    assert proc.returncode != 0
    assert "BROKEN" in proc.stdout
