"""The trimmed wasm (sitebuild/wasm_trim.py): the rewriter on a module small enough to check by
hand, run by V8; the built runtime's trimmed file against the pinned one; and the start-up image
against the memory the runtime starts with (Pyodide issue 6254)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_serve_ready import runtime_of

from sitebuild import glue_patches, pyodide_runtime, wasm_trim


def _vec(items: list[bytes]) -> bytes:
    return wasm_trim._uleb(len(items)) + b"".join(items)


def _section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + wasm_trim._uleb(len(payload)) + payload


def _name(text: str) -> bytes:
    return wasm_trim._uleb(len(text)) + text.encode()


# A module by hand: imports env.f (function 0) and a memory of 2 pages; defines seven() -> 7
# (function 1, with a local) and eight() -> 8 (function 2), both exported.
FUNC_TYPE = b"\x60\x00\x01\x7f"  # () -> i32
MODULE = wasm_trim.MAGIC + b"".join([
    _section(1, _vec([FUNC_TYPE])),
    _section(2, _vec([_name("env") + _name("f") + b"\x00\x00",
                      _name("env") + _name("m") + b"\x02\x00\x02"])),
    _section(3, _vec([b"\x00", b"\x00"])),
    _section(7, _vec([_name("seven") + b"\x00\x01", _name("eight") + b"\x00\x02"])),
    _section(10, _vec([b"\x06\x01\x01\x7f\x41\x07\x0b",  # 1 local i32; i32.const 7; end
                       b"\x04\x00\x41\x08\x0b"])),  # i32.const 8; end
    _section(0, _name("note") + b"kept as it is"),
])
RUN = """
const bytes = require("fs").readFileSync(process.argv[1]);
const out = { valid: WebAssembly.validate(bytes) };
const memory = new WebAssembly.Memory({ initial: 2 });
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes),
                                             { env: { f: () => 0, m: memory } });
for (const name of ["seven", "eight"]) {
  try { out[name] = exports[name](); }
  catch (err) { out[name] = `${err.constructor.name}: ${err.message}`; }
}
console.log(JSON.stringify(out));
"""


def run_in_v8(wasm: bytes, tmp_path: Path) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is required"
    path = tmp_path / "m.wasm"
    path.write_bytes(wasm)
    proc = subprocess.run([node, "-e", RUN, str(path)], capture_output=True, text=True,
                          check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_stubbed_function_traps_and_everything_else_stays(tmp_path: Path) -> None:
    assert run_in_v8(MODULE, tmp_path) == {"valid": True, "seven": 7, "eight": 8}
    assert wasm_trim.imported_functions(MODULE) == 1
    with pytest.raises(wasm_trim.TrimError, match="section 5"):
        wasm_trim.initial_memory(MODULE)  # imported here, not defined
    trimmed = wasm_trim.trim(MODULE, keep={2})  # eight() ran, seven() did not
    assert (trimmed.functions, trimmed.stubbed, trimmed.code_bytes) == (2, 1, 13)
    assert trimmed.stubbed_bytes == 7  # seven's body with its size byte
    assert run_in_v8(trimmed.wasm, tmp_path) == {
        "valid": True, "seven": "RuntimeError: unreachable", "eight": 8}
    before, after = wasm_trim.sections(MODULE), wasm_trim.sections(trimmed.wasm)
    assert [s.id for s in before] == [s.id for s in after]
    for a, b in zip(before, after, strict=True):
        if a.id != wasm_trim.CODE:
            assert a.raw(MODULE) == b.raw(trimmed.wasm)
    assert wasm_trim.trim(MODULE, keep={1, 2}).wasm == MODULE


def test_the_check_refuses_any_other_change() -> None:
    trimmed = wasm_trim.trim(MODULE, keep={2}).wasm
    wasm_trim.check_other_sections(MODULE, trimmed)
    changed = trimmed.replace(b"kept as it is", b"kept as it IS")
    with pytest.raises(wasm_trim.TrimError, match="section 0"):
        wasm_trim.check_other_sections(MODULE, changed)
    # A body that is neither the original nor the stub: i32.const 9 instead of 8.
    other = trimmed.replace(b"\x04\x00\x41\x08\x0b", b"\x04\x00\x41\x09\x0b")
    assert other != trimmed
    with pytest.raises(wasm_trim.TrimError, match="neither"):
        wasm_trim.check_other_sections(MODULE, other)
    with pytest.raises(wasm_trim.TrimError, match="does not define"):
        wasm_trim.trim(MODULE, keep={0})  # the import has no body


def test_the_compilation_trace_is_read_for_wasm_functions_only() -> None:
    trace = ("Compiled WasmToJS wrapper wasm-to-js-5-n-i, took 16 ms; codesize 144\n"
             "Compiled function 0x7f16c4000b80#268 using Liftoff, took 0 ms and 25528 bytes; "
             "bodysize 561 codesize 1076\n"
             "Compiled function 0x7f16c4000b80#14756 using TurboFan, took 1 ms and 60 bytes\n")
    assert wasm_trim.profiled(trace) == {268, 14756}


def test_the_sites_trimmed_wasm_is_the_pinned_one_with_bodies_stubbed(built_site: Path) -> None:
    runtime = runtime_of(built_site)
    trimmed = (built_site / runtime["indexURL"] / "pyodide.asm.wasm").read_bytes()
    full = (built_site / runtime["fullIndexURL"] / "pyodide.asm.wasm").read_bytes()
    pinned, _ = pyodide_runtime.pyodide_dir()
    assert full == (pinned / "pyodide.asm.wasm").read_bytes()
    wasm_trim.check_other_sections(full, trimmed)
    stubs = sum(trimmed[s:e] == wasm_trim.STUB for s, e in wasm_trim.bodies(trimmed))
    assert 0.5 < stubs / len(wasm_trim.bodies(full)) < 0.95, stubs
    # The same JavaScript beside both, but for the trimmed runtime's edited glue.
    glue = {name: [(built_site / runtime[url] / name).read_bytes()
                   for url in ("indexURL", "fullIndexURL")] for name in wasm_trim.GLUE}
    assert glue["pyodide.mjs"][0] == glue["pyodide.mjs"][1]
    assert glue["pyodide.asm.mjs"][1] == (pinned / "pyodide.asm.mjs").read_bytes()
    assert glue["pyodide.asm.mjs"][0] == glue_patches.patched(glue["pyodide.asm.mjs"][1])


def test_the_start_up_image_fits_the_memory_the_runtime_starts_with(built_site: Path) -> None:
    """Pyodide issue 6254: an image of a memory that grew past the runtime's initial memory
    fails to restore, and every later visit silently starts afresh. The image is the trimmed
    runtime's, taken as the worker takes it (sitebuild/wasm_profile.mjs)."""
    stats = json.loads((pyodide_runtime.compile_runtime().out_dir / "trim.json").read_text())
    trimmed = built_site / runtime_of(built_site)["indexURL"] / "pyodide.asm.wasm"
    assert stats["initial_memory_bytes"] == wasm_trim.initial_memory(trimmed.read_bytes())
    assert stats["snapshot_memory_bytes"] <= stats["initial_memory_bytes"], stats
