"""The start-up workaround (sitebuild/pyodide_patches.py) is written for the pinned Pyodide only:
the compile step must fail the build when the release, or a file it edits, is not the one it
knows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sitebuild import pyodide_patches, pyodide_runtime


def test_edits_apply_exactly_to_the_pinned_release() -> None:
    directory, version = pyodide_runtime.pyodide_dir()
    assert version == pyodide_patches.PYODIDE_VERSION
    stdlib = zipfile.ZipFile(directory / "python_stdlib.zip")
    for name, (_, edits) in pyodide_patches.PATCHES.items():
        text = stdlib.read(name).decode()
        for old, _new in edits:
            assert old is None or text.count(old) == 1, (name, old)


@pytest.mark.parametrize(("change", "message"), [
    ("version", "was written for Pyodide 0.0.0"),
    ("hash", "is not the file sitebuild/pyodide_patches.py edits"),
])
def test_a_changed_release_fails_the_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           change: str, message: str) -> None:
    if change == "version":
        monkeypatch.setattr(pyodide_patches, "PYODIDE_VERSION", "0.0.0")
    else:
        name, (_, edits) = next(iter(pyodide_patches.PATCHES.items()))
        monkeypatch.setitem(pyodide_patches.PATCHES, name, ("0" * 64, edits))
    with pytest.raises(pyodide_runtime.BuildError, match=message):
        pyodide_runtime.compile_runtime(cache=tmp_path, log=lambda _: None)
