"""Serve-ready output: precompressed twins, versioned runtime paths, and the engine started from
the calculator page's <head> exactly once (and never on a policy page)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import brotli

from sitebuild.precompress import precompress

RUNTIME = re.compile(r'data-runtime="([^"]*)"')


def runtime_of(site: Path) -> dict:
    html = (site / "calculators" / "rent_subsidy" / "index.html").read_text("utf-8")
    text = RUNTIME.search(html)[1].replace("&#34;", '"').replace("&quot;", '"')
    return json.loads(text.replace("&amp;", "&"))


def test_runtime_files_have_brotli_and_gzip_twins_with_the_same_bytes(built_site: Path) -> None:
    runtime = runtime_of(built_site)
    files = [built_site / runtime[base] / name for base in ("indexURL", "fullIndexURL")
             for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")]
    files += [built_site / runtime["stdLibURL"], built_site / runtime["appURL"],
              built_site / "calculators" / "rent_subsidy" / "index.html",
              built_site / "search" / "search_index.json"]
    for path in files:
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        assert gz.is_file() and br.is_file(), f"no twins of {path.name}"
        assert gzip.decompress(gz.read_bytes()) == path.read_bytes(), gz.name
        assert brotli.decompress(br.read_bytes()) == path.read_bytes(), br.name
        assert br.stat().st_size < gz.stat().st_size < path.stat().st_size, path.name


def test_runtime_paths_are_versioned(built_site: Path) -> None:
    runtime = runtime_of(built_site)
    # The trimmed runtime by the hash of its wasm, the full one (the fallback) by its version.
    assert re.fullmatch(r"assets/pyodide/\d+\.\d+\.\d+/trimmed-[0-9a-f]{10}/", runtime["indexURL"])
    assert re.fullmatch(r"assets/pyodide/\d+\.\d+\.\d+/", runtime["fullIndexURL"])
    assert re.fullmatch(r"assets/pyodide/[^/]+/stdlib-[0-9a-f]{10}\.zip", runtime["stdLibURL"])
    assert re.fullmatch(r"assets/calc/app-[0-9a-f]{10}\.zip", runtime["appURL"])
    assert re.fullmatch(r"assets/calc/worker\.mjs\?v=[0-9a-f]{10}", runtime["workerURL"])


def test_precompress_is_deterministic_and_incremental(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "big.js").write_text("const x = 1;\n" * 20_000)
    (site / "page.html").write_text("<p>房山</p>\n" * 200)
    (site / "tiny.css").write_text("a{}")
    (site / "photo.png").write_bytes(b"\x89PNG" * 1000)
    assert precompress(site, cache) == 4  # .br and .gz of big.js and page.html
    assert not (site / "tiny.css.gz").exists() and not (site / "photo.png.gz").exists()
    assert not (site / "tiny.css.br").exists() and not (site / "photo.png.br").exists()
    first = {ext: (site / f"big.js{ext}").read_bytes() for ext in (".gz", ".br")}
    assert gzip.decompress(first[".gz"]) == (site / "big.js").read_bytes()
    assert brotli.decompress(first[".br"]) == (site / "big.js").read_bytes()
    assert precompress(site, cache) == 0  # up to date: nothing rewritten
    for ext in first:
        (site / f"big.js{ext}").unlink()
    shutil.rmtree(cache)  # not from the cache: compressed again, to the same bytes
    assert precompress(site, cache) == 2
    for ext, data in first.items():
        assert (site / f"big.js{ext}").read_bytes() == data, ext


def test_calculator_page_starts_one_engine_from_its_head(page, site_server: str) -> None:
    page.goto(site_server + "calculators/rent_subsidy/")
    page.wait_for_selector('.fs-calc__status[data-state="ready"]', timeout=60_000)
    head = page.evaluate("document.head.innerHTML")
    assert "fsCalcEarly" in head
    workers = [u for u in page.requests if "/assets/calc/worker.mjs" in u]
    assert len(workers) == 1, workers
    assert sum(u.endswith("pyodide.asm.wasm") for u in page.requests) == 1
    assert page.evaluate("window.fsCalcEarly") is None  # adopted by engine.mjs
    assert not page.console_errors, page.console_errors


def test_policy_page_has_no_engine_in_its_head(site_html: dict[str, str]) -> None:
    for name, html in site_html.items():
        assert "fsCalcEarly" not in html, name


def test_the_loading_line_states_the_engines_download_truly(built_site: Path) -> None:
    """The status line while the engine loads names its first download ("约 2.2 MB"): within
    0.1 MB of what the runtime files (the trimmed wasm's) and the two archives weigh with
    Brotli."""
    runtime = runtime_of(built_site)
    html = (built_site / "calculators" / "rent_subsidy" / "index.html").read_text("utf-8")
    stated = float(re.search(r"首次打开需下载约 ([\d.]+) MB", html)[1])
    files = [built_site / runtime["indexURL"] / name
             for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")]
    files += [built_site / runtime["stdLibURL"], built_site / runtime["appURL"]]
    brotli_bytes = sum(f.with_name(f.name + ".br").stat().st_size for f in files)
    assert abs(stated - brotli_bytes / 1e6) <= 0.1, brotli_bytes
