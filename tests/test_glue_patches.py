"""The glue workaround (sitebuild/glue_patches.py) is written for the pinned Pyodide only: it
applies to that file exactly, and the build fails with one line for any other. Under Node, with
the edited glue, the main module's own imports get the values the stock glue gives them, and a
side module still links against the main module (the GOT is entered when it is loaded)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sitebuild import glue_patches, pyodide_runtime


def npm_glue() -> Path:
    directory, _ = pyodide_runtime.pyodide_dir()
    return directory / glue_patches.GLUE


def test_the_edits_apply_exactly_once_to_the_pinned_file() -> None:
    data = npm_glue().read_bytes()
    assert hashlib.sha256(data).hexdigest() == glue_patches.SHA256
    text = data.decode()
    for edit in glue_patches.EDITS:
        assert text.count(edit.old) == 1, edit.label
    edited = glue_patches.patched(data).decode()
    for edit in glue_patches.EDITS:
        assert edit.new in edited, edit.label
    assert "updateGOT(origExports)" not in edited  # deferred to the first side module


def test_another_file_is_one_line_naming_it() -> None:
    data = npm_glue().read_bytes().replace(b"(origExports);LDSO", b"(origExports); LDSO")
    with pytest.raises(glue_patches.GlueError) as error:
        glue_patches.patched(data, "node_modules/pyodide/pyodide.asm.mjs")
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("node_modules/pyodide/pyodide.asm.mjs is not the file "
                              "sitebuild/glue_patches.py edits (SHA-256 ")
    assert "re-check receiveInstance" in message


def test_an_edit_that_does_not_apply_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    data = npm_glue().read_bytes().replace(b"(origExports);LDSO", b"(origExports); LDSO")
    monkeypatch.setattr(glue_patches, "SHA256", hashlib.sha256(data).hexdigest())
    with pytest.raises(glue_patches.GlueError, match=(
            r"^pyodide\.asm\.mjs: the edit “receiveInstance: GOT deferred.*” of "
            r"sitebuild/glue_patches\.py finds its text 0 times, not once: re-check")) as error:
        glue_patches.patched(data)
    assert "\n" not in str(error.value)


def test_the_build_fails_before_anything_slow(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setattr(glue_patches, "SHA256", "0" * 64)
    monkeypatch.setattr(pyodide_runtime, "run_node_step", lambda *a, **k: pytest.fail("ran Node"))
    with pytest.raises(pyodide_runtime.BuildError, match=r"pyodide\.asm\.mjs is not the file "
                       "sitebuild/glue_patches.py edits") as error:
        pyodide_runtime.compile_runtime(cache=tmp_path, log=lambda _: None)
    assert "\n" not in str(error.value)


RUN = Path(__file__).with_name("side_module_run.mjs")


def run_glue(directory: Path) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is required"
    npm, _ = pyodide_runtime.pyodide_dir()
    proc = subprocess.run([node, str(RUN), str(directory), str(npm / "python_stdlib.zip")],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_main_module_links_as_before_and_a_side_module_still_links(tmp_path: Path) -> None:
    npm, _ = pyodide_runtime.pyodide_dir()
    edited = tmp_path / "edited"
    edited.mkdir()
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "pyodide-lock.json"):
        shutil.copyfile(npm / name, edited / name)
    glue_patches.write_patched(npm, edited)
    stock, ours = run_glue(npm), run_glue(edited)
    # The same 280 imports (WebGL and console functions), each a wasm function of the same arity.
    assert len(ours["arity"]) == 280
    assert ours["arity"] == stock["arity"]
    # The side module found the main module's function and datum, as with the stock glue, whose
    # GOT then holds the same entries (the main module's exports and the side module's imports).
    for run in (stock, ours):
        assert run["version"] and run["none"] and run["answer"] == 45, run
    assert ours["got"] == stock["got"]
