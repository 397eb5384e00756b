"""MkDocs hooks: the thin adapter between MkDocs and the build package, scripts/sitebuild/
(plain Python, installed with the project)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import jieba  # a declared dependency: Material's search segments Chinese with it
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.structure.pages import Page

from sitebuild import (
    csp,
    markers,
    pages,  # registers the markers that derive from the registry
    precompress,
    pyodide_runtime,
    search_terms,
    sitedata,
    widgets,  # registers the calculator markers
)

log = logging.getLogger("mkdocs.hooks.fangshan")
_compiled: pyodide_runtime.Compiled | None = None
_early: list[threading.Thread] = []
_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve` (its pages get no CSP <meta>, below)."""
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Expose the trial period to the templates (overrides/main.html) as start/end; add each
    measure's page to the nav."""
    if config.nav is not None:
        try:
            pages.add_to_nav(config.nav)
        except ValueError as e:
            raise PluginError(str(e)) from e
    validity = sitedata.policy()["validity"]
    config.extra["fs_validity"] = f"{validity['start'].isoformat()}/{validity['end'].isoformat()}"
    config.extra["fs_announcement"] = sitedata.announcement()  # worded by calculators.engine.dates
    # Names, units and policy terms stay whole in the search index (see sitebuild/search_terms.py).
    jieba.setLogLevel(logging.WARNING)
    log.debug("jieba: %d search terms added", search_terms.register(jieba))
    # The calculators for Pyodide: compiled once, cached by input hash (sitebuild.pyodide_runtime).
    # Brotli of the 9.6 MB wasm takes ~15 s: start on the runtime's twins now, while the compile
    # step runs and the pages render (a no-op when they are cached).
    global _compiled, _early
    try:
        # The npm wasm is only the trimmed runtime's fallback (sitebuild/wasm_trim.py).
        npm = pyodide_runtime.npm_files()
        _early = [precompress.start_early(npm, fallback=frozenset(npm[:1]))]
        _compiled = pyodide_runtime.compile_runtime(log=log.info)
        # The trimmed wasm is known only now (the compile step makes it): its twins next.
        _early.append(precompress.start_early([pyodide_runtime.trimmed_wasm(_compiled)]))
    except pyodide_runtime.BuildError as e:
        raise PluginError(str(e)) from e
    runtime = pyodide_runtime.runtime_config(_compiled)
    widgets.set_runtime(runtime)
    config.extra["fs_runtime"] = runtime  # overrides/main.html starts the worker from <head>
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the pages and files made from the registry: each measure's calculator page, and the
    open data (data/*.json)."""
    made = {**pages.measure_pages(), **pages.open_data_files()}
    for uri, content in made.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri}: the build makes this file from the registry; remove it")
        files.append(File.generated(config, uri, content=content))
    # In the order MkDocs gives files from docs/ (the search index and the sitemap follow it).
    return Files(sorted(files, key=file_sort_key))


def on_post_build(*, config: MkDocsConfig) -> None:
    """Copy the runtime files a browser needs into the site (unchanged files are skipped), put the
    Content-Security-Policy into the pages, and write precompressed twins of the large assets."""
    assert _compiled is not None
    pyodide_runtime.install(_compiled, Path(config.site_dir))
    # The Content-Security-Policy: a <meta> in every page, and the header for scripts/nginx.conf.
    # Not under `mkdocs serve`: its live-reload script is inline, injected as it serves a page.
    if not _serving:
        csp.apply(Path(config.site_dir))
    # .br and .gz twins for servers that send precompressed files (scripts/nginx.conf).
    for thread in _early:
        thread.join()
    site = Path(config.site_dir)
    precompress.precompress(site, fallback=frozenset([pyodide_runtime.fallback_wasm(site)]))


def on_page_markdown(markdown: str, *, page: Page, config: object, files: Files) -> str:
    """Expand ``<!-- fs:… -->`` markers; an unknown or malformed marker fails the build."""
    if "fs:" not in markdown:
        return markdown
    try:
        ctx = markers.Context(page_url=page.url, page_src=page.file.src_uri)
        return markers.expand(markdown, ctx)
    except markers.MarkerError as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from e
