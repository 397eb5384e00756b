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
from collections.abc import Callable, Iterable, Mapping
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


BEST = 11  # Brotli's best quality: for what every reader downloads
# Measured on this build's files (2 cores; Brotli 1.2, a 4 MB window):
# - the trimmed wasm (5.28 MB): quality 11 gives 1.584 MB in 18.6 s, 10 gives 1.630 MB in 11.2 s,
#   9 gives 1.829 MB in 0.6 s. Its twins can only start once the compile step has trimmed it,
#   and quality 11 would then keep a cold build waiting 18 s more (issue 18: a cold build within
#   30 s): quality 10, 46 kB (2 %) more for a first visit, 0.1 s on a 4 Mbit/s line.
# - the full wasm (9.6 MB), which a reader downloads only after the trimmed one trapped: quality 11
#   gives 2.741 MB in ~28 s, 9 gives 3.103 MB in 2.3 s.
RUNTIME_QUALITY = 10  # the trimmed wasm (sitebuild/wasm_trim.py)
FALLBACK_QUALITY = 9  # files only a fallback downloads (the full wasm and its glue)


def _brotli(data: bytes, quality: int = BEST) -> bytes:
    return brotli.compress(data, quality=quality, lgwin=22)


ENCODINGS: dict[str, Callable[..., bytes]] = {".br": _brotli, ".gz": _gzip}
Qualities = Mapping[Path, int]  # a Brotli quality other than BEST, by file


def default_cache() -> Path:
    return Path(os.environ.get("FS_CACHE_DIR") or ROOT / ".cache") / "precompressed"


def _encode(data: bytes, ext: str, quality: int) -> bytes:
    return _brotli(data, quality) if ext == ".br" else ENCODINGS[ext](data)


_making: dict[Path, threading.Lock] = {}  # one lock per twin in the cache
_making_lock = threading.Lock()


def _cached(data: bytes, ext: str, cache: Path, quality: int = BEST) -> Path:
    """The twin of ``data`` in the cache, made if missing. A twin another thread is making is
    waited for, not made twice (the early start and the site's own pass may ask for the same)."""
    tag = f".q{quality}" if ext == ".br" and quality != BEST else ""
    cached = cache / (hashlib.sha256(data).hexdigest()[:24] + tag + ext)
    with _making_lock:
        lock = _making.setdefault(cached, threading.Lock())
    with lock:
        if not cached.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f"{cached.name}.{threading.get_ident()}.tmp")
            tmp.write_bytes(_encode(data, ext, quality))
            tmp.replace(cached)
    return cached


def _twin(path: Path, ext: str, cache: Path, quality: int) -> None:
    data = path.read_bytes()
    twin = path.with_name(path.name + ext)
    if len(data) >= CACHE_MIN_SIZE:
        shutil.copyfile(_cached(data, ext, cache, quality), twin)
    else:
        twin.write_bytes(_encode(data, ext, quality))


def big_files(*directories: Path) -> list[Path]:
    """The files under ``directories`` whose twins are cached (as ``precompress`` would find them
    in the site): a theme's, say, which the build copies unchanged."""
    return sorted(p for d in directories if d.is_dir() for p in d.rglob("*")
                  if p.suffix in SUFFIXES and p.is_file() and p.stat().st_size >= CACHE_MIN_SIZE)


def start_early(paths: Iterable[Path], cache: Path | None = None, *,
                quality: Qualities | None = None) -> threading.Thread:
    """Fill the cache with the twins of files the site will hold (the runtime), in a background
    thread; ``precompress`` then finds them there. The files are read now (one may be moved
    after)."""
    cache = cache or default_cache()
    quality = quality or {}
    jobs = [(p.read_bytes(), ext, quality.get(p, BEST)) for p in paths for ext in ENCODINGS]

    def run() -> None:
        for data, ext, q in jobs:
            _cached(data, ext, cache, q)

    thread = threading.Thread(target=run, name="precompress-early", daemon=True)
    thread.start()
    return thread


def precompress(site_dir: Path, cache: Path | None = None, *,
                quality: Qualities | None = None) -> int:
    """Write ``.br`` and ``.gz`` twins for the site's compressible files (Brotli at BEST, or at
    ``quality[path]``); returns how many twins were written."""
    cache = cache or default_cache()
    quality = quality or {}
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
        for _ in pool.map(lambda job: _twin(job[1], job[2], cache, quality.get(job[1], BEST)),
                          jobs):
            pass
    return len(jobs)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m sitebuild.precompress SITE_DIR")
    print(f"{precompress(Path(sys.argv[1]))} twins written")
