"""The compile step: the calculators and the pinned Pyodide runtime, made ready to ship.

Plain Python, runnable on its own (`python -m sitebuild.pyodide_runtime [SITE_DIR]`) and called by
the MkDocs hook. It

1. zips the `calculators` package sources (deterministically: same input, same bytes), applies
   the start-up workaround (`pyodide_patches.py`) to Pyodide's standard library, and answers the
   trace requests in CPython: the reference every Pyodide answer is compared with, byte for byte;
2. runs `pyodide_compile.mjs` under Node, inside the pinned Pyodide, to trace which standard-library
   modules the calculators need and precompile them, the calculators and the extras archive to
   bytecode;
3. profiles the full wasm on the shipped archives and trims it (`wasm_trim.py`): that run, fresh
   and from a memory snapshot, on the full and then on the trimmed wasm, is where the shipped
   archives' answers are checked (all cached under `.cache/pyodide/<key>/`, the key hashing the
   runtime version, the sources, the requests and the build's scripts);
4. copies into the site only the runtime files a browser needs, under versioned paths
   (`assets/pyodide/<version>/…`, `…/app-<hash>.zip`), so they can be cached for a year.

Failures raise `BuildError` with a message that says what to run.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from calculators import open_link, permalink_query
from calculators.adapters import bridge

from . import glue_patches, precompress, profile_requests, pyodide_patches, wasm_trim
from .casedata import load_cases

ROOT = Path(__file__).resolve().parents[2]
COMPILE_SCRIPT = Path(__file__).with_name("pyodide_compile.mjs")
WORKER = ROOT / "docs" / "assets" / "calc" / "worker.mjs"  # its boot() replays the trace
PATCHES = Path(pyodide_patches.__file__)  # the start-up workaround, applied by the compile step
# Loaded only when a reader asks for a comparison, a QR code or an export: shipped in the extras
# archive (sitebuild/pyodide_extras.py), not in the calculators archive a first result downloads.
ON_DEMAND = ("calculators/views/compare.py", "calculators/views/qr.py",
             "calculators/views/export.py")
# The trimmed runtime (sitebuild/wasm_trim.py): its profile script and requests, the trimmer, and
# the edits of its glue (sitebuild/glue_patches.py).
TRIM_FILES = (Path(wasm_trim.__file__), wasm_trim.PROFILE_SCRIPT, Path(profile_requests.__file__),
              Path(glue_patches.__file__))
# The files of the npm package a browser loads (the rest are Node/TypeScript support).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")


class BuildError(RuntimeError):
    """The runtime cannot be built; the message says why and what to run."""


@dataclass(frozen=True)
class Compiled:
    """A compiled runtime in the cache, ready to install into a site."""

    version: str  # the npm pyodide version
    pyodide_dir: Path
    out_dir: Path  # holds stdlib.zip, app.zip, manifest.json
    key: str

    @property
    def lock_info(self) -> dict:
        return json.loads((self.out_dir / "manifest.json").read_text("utf-8"))["pyodide"]


def cache_dir(root: Path = ROOT) -> Path:
    """The build's caches: `.cache/`, or $FS_CACHE_DIR (the benchmark times cold builds with an
    empty one)."""
    return Path(os.environ.get("FS_CACHE_DIR") or root / ".cache")


def pyodide_dir(root: Path = ROOT) -> tuple[Path, str]:
    """The installed npm pyodide package and its version, checked against the lock file."""
    lock = json.loads((root / "package-lock.json").read_text("utf-8"))
    pinned = lock["packages"]["node_modules/pyodide"]["version"]
    directory = root / "node_modules" / "pyodide"
    try:
        installed = json.loads((directory / "package.json").read_text("utf-8"))["version"]
    except FileNotFoundError:
        raise BuildError(
            f"Pyodide runtime missing ({directory}): run `npm ci` (or `scripts/dev setup`)."
        ) from None
    if installed != pinned:
        raise BuildError(
            f"node_modules has pyodide {installed}, package-lock.json pins {pinned}: run `npm ci`."
        )
    missing = [f for f in RUNTIME_FILES if not (directory / f).is_file()]
    if missing:
        raise BuildError(f"Pyodide runtime incomplete (no {', '.join(missing)}): run `npm ci`.")
    return directory, pinned


def app_source_zip(root: Path = ROOT) -> bytes:
    """The calculators package as a deterministic zip: sources and data, no caches, and not the
    command line (`__main__.py`, `adapters/cli.py`) nor the schema (`data/schema.json`), which no
    browser reads, nor the modules only a QR code or an export needs (`ON_DEMAND`: the extras
    archive)."""
    package = root / "calculators"
    names = sorted(
        p for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix in {".py", ".toml", ".json"}
        and p.name not in ("__main__.py", "cli.py", "schema.json")
        and p.relative_to(root).as_posix() not in ON_DEMAND
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for path in names:
            name = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes(), compresslevel=9)
    return out.getvalue()


def trace_requests() -> list[str]:
    """Bridge requests that exercise every code path worth tracing: the worked cases (valid and
    invalid), a profile match, and input errors."""
    requests = [
        {"op": "match", "profile": c.inputs} if c.target == "match"
        else {"op": "evaluate", "measure": c.target, "inputs": c.inputs}
        for c in load_cases()
    ]
    # The form's own requests (calculators.views.form): a permalink opened, the form computed.
    requests += [
        r
        for c in load_cases()
        for r in (
            {"op": "open", "measure": c.target, "query": permalink_query(c.inputs)},
            {"op": "form", "measure": c.target, "compute": True,
             "typed": open_link(c.target, permalink_query(c.inputs))["typed"]},
        )
    ]
    requests += [
        {"op": "evaluate", "measure": "no_such_measure", "inputs": {}},
        {"op": "match", "profile": {"no_such_key": "1"}},
        {"op": "unknown"},
    ]
    return [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in requests]


def run_node_step(what: str, script: Path, tmp: Path, inputs: dict[str, str | bytes],
                  args: list[str], log=print) -> None:
    """One compile step under Node, in `tmp` (made anew): its input files written there first and
    removed after; a failure is a BuildError naming `what`, with the end of Node's output."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("Node.js not found: install Node >= 20 (it runs the compile step).")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, data in inputs.items():
        (tmp / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    proc = subprocess.run([node, str(script), *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f"{what} failed:\n{(proc.stderr or proc.stdout)[-3000:]}")
    log(proc.stdout.strip())
    for name in inputs:
        (tmp / name).unlink()


def compile_runtime(root: Path = ROOT, cache: Path | None = None, *, log=print,
                    on_made=None) -> Compiled:
    """Trace, precompile and trim inside Pyodide, or reuse the cached result for the same inputs.
    ``on_made(paths)`` is called as soon as files that ship are written: the three archives, then
    the trimmed wasm and its glue (the hook starts on their compressed twins then, while the
    build goes on)."""
    directory, version = pyodide_dir(root)
    try:  # every build, cached or not: cheap, and before anything slow
        glue_patches.patched((directory / glue_patches.GLUE).read_bytes(),
                             directory / glue_patches.GLUE)
    except glue_patches.GlueError as exc:
        raise BuildError(str(exc)) from None
    app_src = app_source_zip(root)
    trace = trace_requests()
    requests = json.dumps(trace, ensure_ascii=False)
    from . import pyodide_extras  # it imports this module

    extras_src, extras_requests = pyodide_extras.profile_inputs(root)
    digest = hashlib.sha256()
    for part in (version.encode(), app_src, requests.encode(), COMPILE_SCRIPT.read_bytes(),
                 WORKER.read_bytes(), PATCHES.read_bytes(), *(f.read_bytes() for f in TRIM_FILES),
                 extras_src, json.dumps(extras_requests).encode()):
        digest.update(hashlib.sha256(part).digest())
    key = digest.hexdigest()[:16]
    cache = cache or cache_dir(root) / "pyodide"
    out = cache / key
    if (out / "manifest.json").is_file():
        return Compiled(version, directory, out, key)

    try:
        edited = pyodide_patches.patched_stdlib(
            (directory / "python_stdlib.zip").read_bytes(), version)
    except pyodide_patches.PatchError as exc:
        raise BuildError(str(exc)) from None
    # The reference every Pyodide answer is compared with, byte for byte: CPython's.
    expected = [bridge.handle(r) for r in trace]
    tmp = out.with_name(key + ".tmp")
    log(f"compiling the calculators for Pyodide {version} (cached as {key}) …")
    run_node_step(
        "Pyodide compile step", COMPILE_SCRIPT, tmp,
        {"stdlib-edited.zip": edited, "app-src.zip": app_src, "extras-src.zip": extras_src,
         "requests.json": requests, "expected.json": json.dumps(expected, ensure_ascii=False)},
        [str(directory), str(tmp), str(WORKER)], log=log)
    if on_made is not None:
        on_made([tmp / "stdlib.zip", tmp / "app.zip", tmp / "extras.zip"])
    extras = wasm_trim.Extras(tmp / "extras.zip", extras_requests,
                              [bridge.handle(r) for r in extras_requests])
    try:
        wasm_trim.make_trimmed(tmp, directory, WORKER, trace, expected, log=log, extras=extras,
                               on_made=on_made)
    except wasm_trim.TrimError as exc:
        raise BuildError(f"trimmed runtime: {exc}") from None
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return Compiled(version, directory, out, key)


def _copy_if_changed(src: Path, dst: Path) -> None:
    """Copy unless dst already has the same bytes (keeps `mkdocs serve` rebuilds cheap)."""
    if dst.is_file() and dst.stat().st_size == src.stat().st_size and (
        dst.stat().st_mtime_ns >= src.stat().st_mtime_ns
    ):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def _short_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def _files_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:10]


def trimmed_dir(compiled: Compiled) -> Path:
    """The trimmed runtime in the cache (sitebuild/wasm_trim.py)."""
    return compiled.out_dir / wasm_trim.TRIMMED


def runtime_config(compiled: Compiled) -> dict:
    """Site-root-relative URLs of what `install` copies, for the widget script to pass to the
    worker. File names carry content hashes (or the runtime version), so they can be cached.
    indexURL: the trimmed runtime, named by the hash of its three files (a start-up image fits
    only the glue that took it, and the worker keys images by indexURL); fullIndexURL: the npm
    one, which the worker falls back on."""
    base = f"assets/pyodide/{compiled.version}/"
    trimmed = _files_hash([trimmed_dir(compiled) / name for name in RUNTIME_FILES])
    return {
        "workerURL": f"assets/calc/worker.mjs?v={_short_hash(WORKER)}",
        "indexURL": f"{base}trimmed-{trimmed}/",
        "fullIndexURL": base,
        "stdLibURL": f"{base}stdlib-{_short_hash(compiled.out_dir / 'stdlib.zip')}.zip",
        "appURL": f"assets/calc/app-{_short_hash(compiled.out_dir / 'app.zip')}.zip",
        "lock": compiled.lock_info,
    }


def npm_files(root: Path = ROOT) -> list[Path]:
    """The big npm files `install` copies into the site, biggest first (compressed early: they
    are known before the compile step). Since the trimmed runtime has its own glue, both are
    only the fallback's (fallback_files)."""
    directory, _ = pyodide_dir(root)
    return [directory / "pyodide.asm.wasm", directory / "pyodide.asm.mjs"]


def fallback_files(site_dir: Path, root: Path = ROOT) -> list[Path]:
    """The full runtime's big files in the site: downloaded only after the trimmed one
    trapped."""
    _, version = pyodide_dir(root)
    return [site_dir / f"assets/pyodide/{version}/{name}"
            for name in ("pyodide.asm.wasm", "pyodide.asm.mjs")]


def brotli_qualities(compiled: Compiled, site_dir: Path) -> dict[Path, int]:
    """The Brotli quality of the runtime's files in the site (sitebuild/precompress.py): the
    trimmed wasm's, and the full runtime's, which only a fallback downloads."""
    return {site_dir / runtime_config(compiled)["indexURL"] / "pyodide.asm.wasm":
            precompress.RUNTIME_QUALITY,
            **dict.fromkeys(fallback_files(site_dir), precompress.FALLBACK_QUALITY)}


def shipped_files(compiled: Compiled) -> list[Path]:
    """The big files the compile step made that ship: the archives, the trimmed wasm and glue."""
    return [*(compiled.out_dir / f"{name}.zip" for name in ("stdlib", "app", "extras")),
            trimmed_dir(compiled) / "pyodide.asm.wasm",
            trimmed_dir(compiled) / glue_patches.GLUE]


def install(compiled: Compiled, site_dir: Path) -> dict:
    """Copy what a browser needs into the site (only the changed files); returns the config."""
    config = runtime_config(compiled)
    for name in RUNTIME_FILES:
        _copy_if_changed(compiled.pyodide_dir / name, site_dir / config["fullIndexURL"] / name)
        _copy_if_changed(trimmed_dir(compiled) / name, site_dir / config["indexURL"] / name)
    _copy_if_changed(compiled.out_dir / "stdlib.zip", site_dir / config["stdLibURL"])
    _copy_if_changed(compiled.out_dir / "app.zip", site_dir / config["appURL"])
    return config


def main(argv: list[str]) -> int:
    try:
        compiled = compile_runtime()
        if argv:
            print(json.dumps(install(compiled, Path(argv[0])), indent=1))
        else:
            print(f"compiled runtime in {compiled.out_dir}")
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
