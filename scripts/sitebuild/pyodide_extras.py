"""The extras archive: what only a comparison (方案对比), a QR code (二维码) or an export (导出表格)
needs, made ready to ship apart from the calculators, so that a first result downloads none of it.

It holds `calculators/views/compare.py`, `qr.py` and `export.py` (left out of the calculators
archive, `pyodide_runtime.ON_DEMAND`) and the part of `segno` that makes a QR matrix, as bytecode
compiled by the pinned Pyodide. The worker fetches it on the first request that needs it and puts
it beside the calculators (`attachExtras` in worker.mjs). The compile step makes it
(`pyodide_compile.mjs`, in the same runtime as the calculators' archive), and the build's run of
the shipped archives (`wasm_trim.py`) attaches it as the worker does and answers every extras
request (`extras_requests`) on the full and on the trimmed wasm: each answer must be byte for byte
CPython's, so a module missing from it fails the build, not the browser.

Workaround (labelled; segno 1.6.6 only): segno's package `__init__` imports its `writers` (SVG and
PNG files, terminal output), which import gzip, base64, xml.sax.saxutils and through it
urllib.request, http.client and email: 60 standard-library modules the calculators never use (we
draw the matrix ourselves, `views/qr.py`). In our archive only, that one import is dropped; the
build fails if segno is not the version, or its `__init__.py` not the file, this edit was written
for. CPython (the tests, the CLI) runs segno unedited, and the replay compares with it.

Cached with the compile step's output, under `.cache/pyodide/<key>/`.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import segno

from calculators import MEASURES, calculator_href, open_link, permalink_query

from .casedata import load_cases
from .pyodide_runtime import (
    ON_DEMAND,
    ROOT,
    BuildError,
    Compiled,
)

SEGNO_VERSION = "1.6.6"
SEGNO_FILES = ("__init__.py", "consts.py", "encoder.py", "utils.py")  # not writers, cli, helpers
SEGNO_INIT_SHA256 = "e436a1f5aa93f7ac7fa3be1f0ea98e04a792d218dfec385f595adb88dc43d2e6"
SEGNO_EDIT = (
    "from . import writers, utils\n",
    "from . import utils  # fangshan workaround (sitebuild/pyodide_extras.py): no writers\n",
)


@dataclass(frozen=True)
class Extras:
    """The compiled extras archive in the cache."""

    out_dir: Path  # the compile step's output: holds extras.zip
    key: str

    @property
    def archive(self) -> Path:
        return self.out_dir / "extras.zip"

    @property
    def url(self) -> str:
        """Site-root-relative, with its content hash: cached for a year (scripts/nginx.conf)."""
        digest = hashlib.sha256(self.archive.read_bytes()).hexdigest()[:10]
        return f"assets/calc/extras-{digest}.zip"


def _segno_init() -> str:
    if segno.__version__ != SEGNO_VERSION:
        raise BuildError(
            f"sitebuild/pyodide_extras.py edits segno {SEGNO_VERSION}, installed is "
            f"{segno.__version__}: check what its __init__ imports, update the edit and its hash")
    text = (Path(segno.__file__).parent / "__init__.py").read_bytes()
    if hashlib.sha256(text).hexdigest() != SEGNO_INIT_SHA256:
        raise BuildError("segno/__init__.py is not the file sitebuild/pyodide_extras.py edits "
                         "(its SHA-256 differs)")
    source = text.decode("utf-8")
    if source.count(SEGNO_EDIT[0]) != 1:
        raise BuildError("segno/__init__.py: the edit of sitebuild/pyodide_extras.py fails")
    return source.replace(*SEGNO_EDIT)


def source_zip(root: Path = ROOT) -> bytes:
    """The extras' sources, deterministically zipped: our two modules and segno's encoder."""
    files = {name: (root / name).read_bytes() for name in ON_DEMAND}
    package = Path(segno.__file__).parent
    for name in SEGNO_FILES:
        data = (package / name).read_bytes()
        files[f"segno/{name}"] = _segno_init().encode() if name == "__init__.py" else data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, files[name])
    return out.getvalue()


def extras_requests() -> list[dict]:
    """Requests that exercise the extras: each form's first two worked cases compared, a QR code
    of a short and of each form's first permalink, that case exported as CSV, both as JSON."""
    base = "https://example.invalid/"
    requests: list[dict] = [{"op": "qr", "text": base}, {"op": "qr", "text": ""}]
    for target in [*MEASURES, "match"]:
        cases = load_cases(target)[:2]
        typed = [open_link(target, permalink_query(c.inputs))["typed"]
                 for c in cases]
        scenarios = [{"id": str(i), "name": c.name, "typed": t}
                     for i, (c, t) in enumerate(zip(cases, typed, strict=True))]
        requests += [
            {"op": "compare", "measure": target, "scenarios": scenarios},
            {"op": "qr", "text": base + calculator_href(target, cases[0].inputs)},
            {"op": "export", "measure": target, "scenarios": scenarios[:1], "format": "csv",
             "base": base},
            {"op": "export", "measure": target, "scenarios": scenarios, "format": "json",
             "base": base},
        ]
    return requests


def profile_inputs(root: Path = ROOT) -> tuple[bytes, list[str]]:
    """What the trimmed runtime's profile needs of the extras: the archive's sources (for the
    compile step's cache key) and its requests as JSON text (sitebuild/wasm_trim.py)."""
    return source_zip(root), [json.dumps(r, ensure_ascii=False, sort_keys=True)
                              for r in extras_requests()]


def of(compiled: Compiled) -> Extras:
    """The extras archive the compile step made beside the calculators' (pyodide_compile.mjs
    compiles it; wasm_trim.py checks its answers on the full and the trimmed wasm)."""
    return Extras(compiled.out_dir, compiled.key)


def install(extras: Extras, site_dir: Path) -> None:
    """Copy the archive into the site under its hashed name (unless it is there already)."""
    target = site_dir / extras.url
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(extras.archive, target)
