"""Precompressed twins of the built site's large assets: ``name.gz`` beside ``name``.

A server that serves precompressed files (nginx ``gzip_static on``, Caddy ``precompressed gzip``)
then sends the runtime (9.6 MB of wasm → 3.5 MB) without compressing it on every request.
Deterministic (no timestamp in the gzip header), and a file whose twin is already up to date is
skipped; twins of big files are kept in a cache keyed by their content, so a fresh site dir does
not pay for compressing the runtime again.

No Brotli: it would need a compiled package (``brotli``) in the build environment for ~15 % fewer
bytes; servers that compress on the fly can still send Brotli.

Runnable on its own: ``python -m sitebuild.precompress SITE_DIR``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Text assets, the wasm, and the Python archives (stored uncompressed: HTTP compresses them).
SUFFIXES = frozenset({".html", ".js", ".mjs", ".css", ".json", ".xml", ".svg", ".txt", ".wasm",
                      ".zip"})
MIN_SIZE = 1024  # below this, compression saves less than the headers cost
CACHE_MIN_SIZE = 100_000  # twins of files this big are cached by content hash
LEVEL = 9


def _compress(data: bytes) -> bytes:
    return gzip.compress(data, LEVEL, mtime=0)


def precompress(site_dir: Path, cache: Path | None = None) -> int:
    """Write ``.gz`` twins for the site's compressible files; returns how many were written."""
    cache = cache or Path(os.environ.get("FS_CACHE_DIR") or ROOT / ".cache") / "gzip"
    written = 0
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        size = path.stat().st_size
        if size < MIN_SIZE:
            continue
        twin = path.with_name(path.name + ".gz")
        if twin.is_file() and twin.stat().st_mtime_ns >= path.stat().st_mtime_ns:
            continue
        data = path.read_bytes()
        if size >= CACHE_MIN_SIZE:
            cached = cache / (hashlib.sha256(data).hexdigest()[:24] + ".gz")
            if not cached.is_file():
                cache.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp")
                tmp.write_bytes(_compress(data))
                tmp.replace(cached)
            shutil.copyfile(cached, twin)
        else:
            twin.write_bytes(_compress(data))
        written += 1
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m sitebuild.precompress SITE_DIR")
    print(f"{precompress(Path(sys.argv[1]))} files compressed")
