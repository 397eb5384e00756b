"""The trimmed runtime (精简运行时): Pyodide's wasm with every function the calculators never run
replaced by ``unreachable``.

The profile (``wasm_profile.mjs``, run by ``pyodide_runtime.py``) lists the functions V8 compiles
while the pinned Pyodide starts (fresh and from a memory snapshot) and answers every request the
build and the tests make; with lazy compilation and ``--liftoff-only`` a function is compiled the
first time it is called, so the list holds every function that ran. Here each other function's
body becomes ``unreachable`` (0 locals, ``unreachable``, ``end``), its signature kept.

Only the code section changes. Function indices, imports, exports, the table, the data and every
other section stay byte for byte what they were, so ``pyodide.asm.mjs`` (which names exports and
table slots) and a stored memory snapshot stay valid. A stubbed function can only trap, never
return a wrong value: the worker then restarts on the full wasm (``docs/assets/calc/worker.mjs``).

Why a rewriter of our own: binaryen (npm ``binaryen``) reads the whole module into its IR and
writes all of it again, which re-encodes the other sections (the README's “trimmed runtime”
records what was checked); ``@webassemblyjs/wasm-edit`` does the same through its AST; the Python
packages on PyPI (``wasm``, ``wasm-tob``, ``wasm-tools``) decode but do not write. The code
section's layout is simple and fixed by the spec: a count, then each body as its byte size and
its bytes; a body is replaced whole, so nothing inside one is parsed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import glue_patches
from .profile_requests import profile_requests

MAGIC = b"\x00asm\x01\x00\x00\x00"
CODE, IMPORT, MEMORY = 10, 2, 5
# A function body of size 3: no local declarations, `unreachable`, `end`. It validates for any
# signature (`unreachable` makes the stack polymorphic).
STUB = b"\x03\x00\x00\x0b"
# V8's --trace-wasm-compilation-times line for a wasm function (not a JS wrapper):
# "Compiled function 0x55d0c4000b80#1234 using Liftoff, took 0 ms and … bytes; bodysize 561 …"
COMPILED = re.compile(r"^Compiled function 0x[0-9a-f]+#(\d+) ", re.M)


class TrimError(ValueError):
    """The wasm cannot be read as expected, or the trimmed file differs where it must not."""


def _leb(data: bytes, at: int) -> tuple[int, int]:
    """An unsigned LEB128 at ``at``: (value, offset after it)."""
    value = shift = 0
    while True:
        if at >= len(data):
            raise TrimError("truncated LEB128")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


@dataclass(frozen=True)
class Section:
    id: int
    start: int  # of the section's id byte
    body: int  # of its payload (after the size)
    end: int

    def raw(self, data: bytes) -> bytes:
        return data[self.start:self.end]


def sections(data: bytes) -> list[Section]:
    if data[:8] != MAGIC:
        raise TrimError("not a WebAssembly 1.0 module")
    out, at = [], 8
    while at < len(data):
        size, body = _leb(data, at + 1)
        out.append(Section(data[at], at, body, body + size))
        at = body + size
    if at != len(data):
        raise TrimError("a section runs past the end of the file")
    return out


def _section(data: bytes, secs: list[Section], sid: int) -> Section:
    found = [s for s in secs if s.id == sid]
    if len(found) != 1:
        raise TrimError(f"expected one section {sid}, found {len(found)}")
    return found[0]


def imported_functions(data: bytes) -> int:
    """How many functions the module imports: defined functions are numbered after them."""
    sec = _section(data, sections(data), IMPORT)
    count, at = _leb(data, sec.body)
    functions = 0
    for _ in range(count):
        for _name in range(2):  # module, field
            size, at = _leb(data, at)
            at += size
        kind = data[at]
        at += 1
        if kind == 0:  # function: type index
            functions += 1
            _, at = _leb(data, at)
        elif kind in (1, 2):  # table (reftype, limits) or memory (limits)
            at += kind == 1
            flags, at = _leb(data, at)
            _, at = _leb(data, at)
            if flags & 1:
                _, at = _leb(data, at)
        elif kind == 3:  # global: valtype, mutability
            at += 2
        elif kind == 4:  # tag: attribute, type index
            _, at = _leb(data, at + 1)
        else:
            raise TrimError(f"unknown import kind {kind}")
    return functions


def initial_memory(data: bytes) -> int:
    """The bytes of memory the module starts with (its memory section's minimum)."""
    sec = _section(data, sections(data), MEMORY)
    count, at = _leb(data, sec.body)
    if count != 1:
        raise TrimError(f"expected one memory, found {count}")
    pages, _ = _leb(data, at + 1)  # after the limits' flags
    return pages * 65536


def bodies(data: bytes) -> list[tuple[int, int]]:
    """Each function body's [start, end) in the file, its size prefix included."""
    sec = _section(data, sections(data), CODE)
    count, at = _leb(data, sec.body)
    out = []
    for _ in range(count):
        size, body = _leb(data, at)
        out.append((at, body + size))
        at = body + size
    if at != sec.end:
        raise TrimError("the code section's bodies do not fill it")
    return out


def profiled(trace: str) -> set[int]:
    """The function indices in V8's compilation trace."""
    return {int(m) for m in COMPILED.findall(trace)}


@dataclass(frozen=True)
class Trimmed:
    wasm: bytes
    functions: int  # defined functions
    stubbed: int
    code_bytes: int  # the original bodies' bytes
    stubbed_bytes: int  # of which in stubbed bodies

    def summary(self) -> str:
        return (f"{self.stubbed} of {self.functions} functions stubbed "
                f"({self.stubbed / self.functions:.0%}), {self.stubbed_bytes / 1e6:.2f} of "
                f"{self.code_bytes / 1e6:.2f} MB of code "
                f"({self.stubbed_bytes / self.code_bytes:.0%}); wasm {len(self.wasm) / 1e6:.2f} MB")


def trim(data: bytes, keep: set[int]) -> Trimmed:
    """``data`` with every defined function whose index is not in ``keep`` stubbed."""
    first = imported_functions(data)
    spans = bodies(data)
    unknown = {i for i in keep if not first <= i < first + len(spans)}
    if unknown:
        raise TrimError(f"the profile names functions the module does not define: "
                        f"{sorted(unknown)[:5]}")
    code = _section(data, sections(data), CODE)
    parts, stubbed, stubbed_bytes = [_uleb(len(spans))], 0, 0
    for i, (start, end) in enumerate(spans):
        if first + i in keep:
            parts.append(data[start:end])
        else:
            parts.append(STUB)
            stubbed += 1
            stubbed_bytes += end - start
    payload = b"".join(parts)
    wasm = data[:code.start] + bytes([CODE]) + _uleb(len(payload)) + payload + data[code.end:]
    trimmed = Trimmed(wasm, len(spans), stubbed, code.end - code.body, stubbed_bytes)
    check_other_sections(data, wasm)
    return trimmed


def check_other_sections(original: bytes, trimmed: bytes) -> None:
    """Every section but the code is byte-identical, in the same order; the code section has the
    same number of bodies, each either the original or the stub."""
    a, b = sections(original), sections(trimmed)
    if [s.id for s in a] != [s.id for s in b]:
        raise TrimError("the trimmed wasm's sections differ from the original's")
    for sa, sb in zip(a, b, strict=True):
        if sa.id != CODE and sa.raw(original) != sb.raw(trimmed):
            raise TrimError(f"section {sa.id} of the trimmed wasm differs from the original")
    old, new = bodies(original), bodies(trimmed)
    if len(old) != len(new):
        raise TrimError("the trimmed wasm has a different number of functions")
    for (s0, e0), (s1, e1) in zip(old, new, strict=True):
        body = trimmed[s1:e1]
        if body != STUB and body != original[s0:e0]:
            raise TrimError(f"a function body at {s1} is neither the original nor the stub")


# --- the build step: profile, trim, check (called by pyodide_runtime.compile_runtime) -----------

PROFILE_SCRIPT = Path(__file__).with_name("wasm_profile.mjs")
# Lazy compilation (V8's default) compiles a function on its first call; Liftoff only, so that no
# optimised caller inlines a callee that is then never compiled (and logged) on its own.
V8_PROFILE = ("--liftoff-only", "--trace-wasm-compilation-times")
TRIMMED = "trimmed"  # the cache folder of the trimmed runtime: pyodide.mjs, .asm.mjs, .asm.wasm
# Beside the trimmed wasm: pyodide.mjs as it is, pyodide.asm.mjs with sitebuild/glue_patches.py's
# edits. The full runtime, the fallback, keeps the stock glue: the profile runs it as it ships.
GLUE = ("pyodide.mjs", "pyodide.asm.mjs")


def _boot_and_answer(runtime: Path, out: Path, pyodide: Path, worker: Path, trace: list[str],
                     extras: Extras | None = None, *,
                     more: list[str] | None = None) -> tuple[dict, str]:
    """Run wasm_profile.mjs on ``trace`` (the worked cases): its answers after a fresh start and
    after a restart from its snapshot (and, with ``extras``, those of the extras requests and the
    worked cases again after each), and V8's trace. With ``more`` (the profile's other requests),
    under V8_PROFILE and in two processes at once (on 2 cores, about half the time: 8.4 s
    instead of 15 s): one starts fresh and answers the worked cases and three in five of
    ``more``, the other answers the rest fresh and then restarts from its snapshot; the trace is
    both processes' output."""
    node = shutil.which("node")
    if node is None:
        raise TrimError("Node.js not found: install Node >= 20 (it runs the compile step).")
    if more is None:
        jobs = [{"requests": trace, "image": True, "extrasAfter": ["fresh", "image"]}]
    else:
        # Two requests in five to the process that also restarts (interleaved: the hostile ones,
        # at the end, cost more): measured, the two then take about as long.
        rest = [r for i, r in enumerate(more) if i % 5 in (1, 3)]
        first = [r for i, r in enumerate(more) if i % 5 not in (1, 3)]
        jobs = [{"requests": trace + first, "image": False, "extrasAfter": ["fresh"]},
                {"requests": rest, "image": True, "extrasAfter": ["image"]}]
    inputs = {"worked": trace, **({"extras": extras.requests} if extras else {})}
    inputs |= {f"requests{i}": job["requests"] for i, job in enumerate(jobs)}
    for name, requests in inputs.items():
        (out / f"{name}.json").write_text(json.dumps(requests, ensure_ascii=False), "utf-8")
    common = {"runtime": str(runtime), "stdlib": str(out / "stdlib.zip"),
              "app": str(out / "app.zip"), "lock": str(pyodide / "pyodide-lock.json"),
              "worker": str(worker), "worked": str(out / "worked.json")}
    if extras is not None:
        common["extras"] = {"archive": str(extras.archive), "requests": str(out / "extras.json")}
    procs = []
    for i, job in enumerate(jobs):
        (out / f"job{i}.json").write_text(json.dumps({
            **common, "requests": str(out / f"requests{i}.json"), "image": job["image"],
            "extrasAfter": job["extrasAfter"], "out": str(out / f"answers{i}.json")}), "utf-8")
        # Output to files, not pipes: read one after the other, a full pipe (V8's trace is
        # ~0.3 MB) would stop the second process until the first has ended.
        with (out / f"out{i}.txt").open("w") as stdout, (out / f"err{i}.txt").open("w") as stderr:
            procs.append(subprocess.Popen(
                [node, *(V8_PROFILE if more is not None else ()), str(PROFILE_SCRIPT),
                 str(out / f"job{i}.json")], stdout=stdout, stderr=stderr))
    answers: dict = {"fresh": [], "raised": {}}
    traces = []
    for i, proc in enumerate(procs):
        proc.wait()
        stdout, stderr = ((out / f"{name}{i}.txt").read_text("utf-8") for name in ("out", "err"))
        if proc.returncode != 0:
            for other in procs:
                other.kill()
            raise TrimError(f"the runtime in {runtime} failed:\n{(stderr or stdout)[-3000:]}")
        got = json.loads((out / f"answers{i}.json").read_text("utf-8"))
        answers["fresh"] += got.pop("fresh")  # the worked cases first
        answers["raised"] |= got.pop("raised")
        answers |= got
        traces.append(stdout)
        for scratch in (f"job{i}.json", f"answers{i}.json", f"out{i}.txt", f"err{i}.txt"):
            (out / scratch).unlink()
    for name in inputs:
        (out / f"{name}.json").unlink()
    return answers, "".join(traces)


@dataclass(frozen=True)
class Extras:
    """The extras archive (comparisons, QR codes, exports; sitebuild/pyodide_extras.py), the
    requests that need it and CPython's answers to them: profiled and checked with the rest, so
    that a reader who asks for a QR code stays on the trimmed runtime."""

    archive: Path
    requests: list[str]
    expected: list[str]


def _check(name: str, answers: dict, expected: list[str], extras: Extras | None) -> None:
    """Every worked-case answer, after a fresh start and after a restart from its snapshot (and
    each extras answer, with the worked cases again after them), is CPython's, byte for byte."""
    runs = {"fresh": expected, "image": expected}
    if extras is not None:
        runs |= {"extras_fresh": extras.expected + expected,
                 "extras_image": extras.expected + expected}
    for start, want in runs.items():
        got = answers[start][:len(want)]  # the profile's first requests are the worked cases
        differing = next((i for i, (a, b) in enumerate(zip(want, got, strict=True)) if a != b),
                         None)
        if differing is not None:
            raise TrimError(f"{name} answers request {differing} of {start!r} unlike CPython:\n"
                            f" CPython: {want[differing][:600]}\n Pyodide: {got[differing][:600]}")


def make_trimmed(out: Path, pyodide: Path, worker: Path, trace: list[str], expected: list[str],
                 log=print, extras: Extras | None = None, on_made=None) -> Trimmed:
    """Profile the full runtime (as the fallback ships: the stock glue) on the shipped archives
    with every request the build and tests make (and the extras archive's), write the trimmed
    runtime into ``out/trimmed/`` (its glue edited, sitebuild/glue_patches.py), and check both:
    the full runtime's and the trimmed one's answers to the worked cases (``trace``) and the
    extras requests are CPython's (``expected``), fresh and restored from their own snapshot; the
    trimmed file validates (wasm_profile.mjs) and differs from the original in the code section
    only. The edited glue calls no wasm function the stock one does not: if it did, the trimmed
    check would trap here. ``on_made([wasm, glue])`` is called once the trimmed runtime is written,
    before its check. Writes ``out/trim.json`` (what was stubbed)."""
    requests = profile_requests(trace)
    full, v8_trace = _boot_and_answer(pyodide, out, pyodide, worker, trace, extras,
                                      more=requests[len(trace):])
    _check("the full wasm", full, expected, extras)
    original = (pyodide / "pyodide.asm.wasm").read_bytes()
    trimmed = trim(original, profiled(v8_trace))
    runtime = out / TRIMMED
    runtime.mkdir()
    shutil.copyfile(pyodide / "pyodide.mjs", runtime / "pyodide.mjs")
    glue_patches.write_patched(pyodide, runtime)
    (runtime / "pyodide.asm.wasm").write_bytes(trimmed.wasm)
    if on_made is not None:
        on_made([runtime / "pyodide.asm.wasm", runtime / glue_patches.GLUE])
    answers, _ = _boot_and_answer(runtime, out, pyodide, worker, trace, extras)
    _check("the trimmed wasm", answers, expected, extras)
    if answers["raised"] != full["raised"]:
        raise TrimError(f"the trimmed wasm reports a Python exception differently: "
                        f"{answers['raised']} instead of {full['raised']}")
    (out / "trim.json").write_text(json.dumps({
        "functions": trimmed.functions, "stubbed": trimmed.stubbed,
        "code_bytes": trimmed.code_bytes, "stubbed_bytes": trimmed.stubbed_bytes,
        "wasm_bytes": len(trimmed.wasm), "profiled_requests": len(requests),
        "snapshot_bytes": answers["snapshot"]["bytes"],  # the start-up image, as the worker
        "snapshot_memory_bytes": answers["snapshot"]["memory"],  # takes it (test_wasm_trim.py)
        "initial_memory_bytes": initial_memory(trimmed.wasm),
    }, indent=1), "utf-8")
    log(f"trimmed wasm: {trimmed.summary()}; {len(trace)} worked-case requests and "
        f"{len(extras.requests) if extras else 0} extras requests answered as CPython answers "
        "them, on the full and the trimmed wasm, fresh and from a snapshot")
    return trimmed
