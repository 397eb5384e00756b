"""Workaround, for the pinned Pyodide only: its start-up imports what the calculators never use.

Stock Pyodide's start-up imports ``asyncio``: its C core imports it (and uses it only when Python
awaits JavaScript), and ``import pyodide`` installs its browser event loop. With what it pulls in
(subprocess, socket, ssl, selectors, signal, logging, concurrent.futures …) that is 44 modules,
about 0.9 MB of the standard library the calculators never touch, read and executed at every
start. The calculators are synchronous: our archive's ``asyncio`` is a stub that says so if it is
ever used.

The compile step applies these edits (``patched_stdlib``, in CPython, before Pyodide starts) to
Pyodide's own Python files in *our* standard-library archive only (the npm package is untouched),
then traces, trims and precompiles from the edited library, and replays every worked case in a
runtime started from it. It fails the build when

- the pinned Pyodide is not ``PYODIDE_VERSION``, or a file to edit does not have the SHA-256
  recorded here, or an edit's text is not found exactly once: re-check the edits against the new
  release (what does its start-up import?) and update this file;
- a module the calculators need is missing from the trimmed archive (the replay fails).

Pyodide's package loader imports ``shutil``, ``tempfile`` and ``zipfile`` (and with them
threading, random, bz2, lzma, zstd …) at start-up to unpack packages; none is loaded here. They
are imported on first use instead (``_Deferred``), so they are not in our archive either.

What the edits change: ``asyncio`` is a stub (above); ``import pyodide`` no longer imports
``pyodide.webloop`` (``asyncio.run`` and ``time.sleep`` keep CPython's behaviour; nothing here
uses them); the package loader imports ``shutil``, ``tempfile`` and ``zipfile`` on first use, and
registers the ``whl`` archive format with ``shutil`` then. Measured: see the README.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

PYODIDE_VERSION = "314.0.7"


_DEFERRED = '''

class _Deferred:
    """fangshan workaround (sitebuild/pyodide_patches.py): a module, or one of its attributes,
    imported on first use instead of at start-up."""

    def __init__(self, module, attr=None, then=None):
        self._module, self._attr, self._then = module, attr, then

    def _get(self):
        import importlib

        module = importlib.import_module(self._module)
        if self._then is not None:
            then, self._then = self._then, None
            then(module)
        return getattr(module, self._attr) if self._attr else module

    def __getattr__(self, name):
        return getattr(self._get(), name)

    def __call__(self, *args, **kwargs):
        return self._get()(*args, **kwargs)


shutil = _Deferred("shutil")
'''

_NO_ASYNCIO = '''"""fangshan workaround (sitebuild/pyodide_patches.py): no asyncio in this build.

Pyodide's core imports asyncio at start-up, and uses it only when Python awaits JavaScript, which
the calculators never do. The real package pulls in ~1 MB (socket, ssl, subprocess, selectors,
logging, threading, concurrent.futures …) for nothing.
"""


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise ImportError(f"asyncio.{name}: asyncio is left out of the calculators' build "
                      "(sitebuild/pyodide_patches.py)")
'''

# path in the standard-library archive → (SHA-256 of the pinned release's file, [(old, new), …]);
# old None: the whole file.
PATCHES: dict[str, tuple[str, list[tuple[str | None, str]]]] = {
    "asyncio/__init__.py": (
        "8148552daea881e3b33639d6e9bdab0da2021367ab694ee0604431c33c16983f",
        [(None, _NO_ASYNCIO)],
    ),
    "pyodide/__init__.py": (
        "a02eabaa00ee98a4108082fc751808ff71e7d990fe889852f63d13621934e0ac",
        [(
            "from .webloop import _initialize_event_loop\n\n_initialize_event_loop()\n"
            "del _initialize_event_loop\n",
            "# fangshan workaround (sitebuild/pyodide_patches.py): no asyncio event loop at start\n"
            "# pyodide.webloop's two references to the runtime's JavaScript API are still taken,\n"
            "# in the same order: a memory snapshot expects them (API.getExpectedKeys).\n"
            "from .ffi import IN_PYODIDE as _IN_PYODIDE\n\n"
            "if _IN_PYODIDE:\n"
            "    from pyodide_js._api import scheduleCallback as _keep  # noqa: F401\n\n"
            "    def _as_webloop_does():\n"
            "        from pyodide_js._api import config  # noqa: F401\n\n"
            "    _as_webloop_does()\n"
            "    del _as_webloop_does\n",
        )],
    ),
    "pyodide/common.py": (
        "fb1f3d764f43efb1a451363557df712abbd4f409ad5bc3650fe6a1d50a8e9ec7",
        [("import os\nimport shutil\nfrom pathlib import Path\n",
          "import os\nfrom pathlib import Path\n" + _DEFERRED)],
    ),
    "pyodide/_package_loader.py": (
        "66bc0d856252e3c3690a9c9cc2f73a4e88d7a9cc5beafa712194cadda4eb2b70",
        [
            ("import re\nimport shutil\nimport sys\n", "import re\nimport sys\n"),
            ("from tempfile import NamedTemporaryFile\n", ""),
            ("from zipfile import ZipFile\n", ""),
            ("from .common import install_files\n",
             "from .common import _Deferred, install_files\n\n"
             "# fangshan workaround (sitebuild/pyodide_patches.py): imported on first use.\n"
             "NamedTemporaryFile = _Deferred(\"tempfile\", \"NamedTemporaryFile\")\n"
             "ZipFile = _Deferred(\"zipfile\", \"ZipFile\")\n"
             "shutil = _Deferred(\"shutil\", then=lambda shutil: _register_whl(shutil))\n"),
            ("if IN_PYODIDE:\n    shutil.register_archive_format(",
             "def _register_whl(shutil):\n    if not IN_PYODIDE:\n        return\n"
             "    shutil.register_archive_format("),
        ],
    ),
}


class PatchError(ValueError):
    """The pinned Pyodide is not the release these edits were written for."""


def patched_stdlib(stdlib: bytes, version: str) -> bytes:
    """Pyodide ``version``'s standard-library archive (``python_stdlib.zip``, sources) with the
    edits applied; every other member is copied as it is. Raises PatchError, in one line, when
    the release, a file's SHA-256 or an edit's text is not the one these edits know."""
    if version != PYODIDE_VERSION:
        raise PatchError(
            f"sitebuild/pyodide_patches.py was written for Pyodide {PYODIDE_VERSION}, the pinned "
            f"one is {version}: check what the new start-up imports, and update the edits and "
            "their hashes")
    source = zipfile.ZipFile(io.BytesIO(stdlib))
    missing = sorted(set(PATCHES) - set(source.namelist()))
    if missing:
        raise PatchError(f"not in Pyodide {version}'s standard library: {missing}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in PATCHES:
                data = _edited(info.filename, data, version)
            z.writestr(info, data)
    return out.getvalue()


def _edited(name: str, data: bytes, version: str) -> bytes:
    digest, edits = PATCHES[name]
    if hashlib.sha256(data).hexdigest() != digest:
        raise PatchError(f"{name} of Pyodide {version} is not the file "
                         "sitebuild/pyodide_patches.py edits (its SHA-256 differs)")
    text = data.decode()
    for old, new in edits:
        if old is None:  # the whole file
            text = new
        elif text.count(old) != 1:
            raise PatchError(f"{name}: an edit of sitebuild/pyodide_patches.py does not apply: "
                             f"{old.splitlines()[0]!r}")
        else:
            text = text.replace(old, new)
    return text.encode()
