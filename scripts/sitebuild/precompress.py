"""Precompressed twins of the built site's large assets: ``name.br`` and ``name.gz``.

A server that serves precompressed files (nginx ``brotli_static`` and ``gzip_static``, see
``scripts/nginx.conf``) then sends the runtime (9.6 MB of wasm → 2.8 MB with Brotli, 3.5 MB with
gzip) without compressing it on every request. Brotli at its best quality costs seconds per
megabyte, which only a build can afford; gzip stays for clients without Brotli.

Deterministic (no timestamp in the gzip header; Brotli has none), and a file whose twins are
already up to date is skipped; twins of big files are kept in a cache keyed by their content, so a
fresh site dir does not pay for compressing the runtime again. Files are compressed in parallel
(the ``brotli`` and ``zlib`` modules release the GIL), and the build starts on the wasm's twins as
soon as it knows the runtime (``start_early``), while it renders the pages.

Runnable on its own: ``python -m sitebuild.precompress SITE_DIR``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parents[2]
# Text assets, the wasm, and the Python archives (stored uncompressed: HTTP compresses them).
SUFFIXES = frozenset({".html", ".js", ".mjs", ".css", ".json", ".xml", ".svg", ".txt", ".wasm",
                      ".zip"})
MIN_SIZE = 1024  # below this, compression saves less than the headers cost
CACHE_MIN_SIZE = 100_000  # twins of files this big are cached by content hash


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, 9, mtime=0)


def _brotli(data: bytes, quality: int = 11) -> bytes:
    # Quality 11 for what readers download, the trimmed wasm included: bytes come first (every
    # reader pays them, on slow networks), build time second. Measured on the full 9.6 MB wasm:
    # quality 11 with a 4 MB window (lgwin 22) gives 2.741 MB in ~27 s, quality 10 2.793 MB in
    # ~14 s, quality 9 3.103 MB in a few seconds. The full wasm is now only the trimmed runtime's
    # fallback (FALLBACK_QUALITY), which a reader downloads only after a trap. A cold build pays
    # this once; twins are cached by content hash, and started while the compile step runs
    # (start_early).
    return brotli.compress(data, quality=quality, lgwin=22)


FALLBACK_QUALITY = 9  # Brotli quality of files only a fallback downloads (the full wasm)
ENCODINGS: dict[str, Callable[..., bytes]] = {".br": _brotli, ".gz": _gzip}


def default_cache() -> Path:
    return Path(os.environ.get("FS_CACHE_DIR") or ROOT / ".cache") / "precompressed"


def _encode(data: bytes, ext: str, fallback: bool) -> bytes:
    if ext == ".br" and fallback:
        return _brotli(data, FALLBACK_QUALITY)
    return ENCODINGS[ext](data)


def _cached(data: bytes, ext: str, cache: Path, fallback: bool = False) -> Path:
    """The twin of ``data`` in the cache, made if missing."""
    quality = f".q{FALLBACK_QUALITY}" if fallback and ext == ".br" else ""
    cached = cache / (hashlib.sha256(data).hexdigest()[:24] + quality + ext)
    if not cached.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{threading.get_ident()}.tmp")
        tmp.write_bytes(_encode(data, ext, fallback))
        tmp.replace(cached)
    return cached


def _twin(path: Path, ext: str, cache: Path, fallback: bool) -> None:
    data = path.read_bytes()
    twin = path.with_name(path.name + ext)
    if len(data) >= CACHE_MIN_SIZE:
        shutil.copyfile(_cached(data, ext, cache, fallback), twin)
    else:
        twin.write_bytes(_encode(data, ext, fallback))


def start_early(paths: Iterable[Path], cache: Path | None = None, *,
                fallback: frozenset[Path] = frozenset()) -> threading.Thread:
    """Fill the cache with the twins of files the site will hold (the runtime), in a background
    thread; ``precompress`` then finds them there. ``fallback``: those only a fallback loads."""
    cache = cache or default_cache()
    jobs = [(p, ext) for p in paths for ext in ENCODINGS]

    def run() -> None:
        for path, ext in jobs:
            _cached(path.read_bytes(), ext, cache, path in fallback)

    thread = threading.Thread(target=run, name="precompress-early", daemon=True)
    thread.start()
    return thread


def precompress(site_dir: Path, cache: Path | None = None, *,
                fallback: frozenset[Path] = frozenset()) -> int:
    """Write ``.br`` and ``.gz`` twins for the site's compressible files; returns how many twins
    were written. ``fallback``: files only a fallback loads (Brotli at FALLBACK_QUALITY)."""
    cache = cache or default_cache()
    jobs = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        stat = path.stat()
        if stat.st_size < MIN_SIZE:
            continue
        for ext in ENCODINGS:
            twin = path.with_name(path.name + ext)
            if not (twin.is_file() and twin.stat().st_mtime_ns >= stat.st_mtime_ns):
                jobs.append((stat.st_size, path, ext))
    # Biggest first, so that the long ones do not start last.
    jobs.sort(key=lambda job: -job[0])
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for _ in pool.map(lambda job: _twin(job[1], job[2], cache, job[1] in fallback), jobs):
            pass
    return len(jobs)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m sitebuild.precompress SITE_DIR")
    print(f"{precompress(Path(sys.argv[1]))} twins written")
