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
    datacheck,
    govsite,
    markers,
    offline,
    pages,  # registers the markers that derive from the registry
    precompress,
    pyodide_extras,
    pyodide_runtime,
    search_terms,
    sitedata,
    versionpages,  # registers the revision record's marker
    widgets,  # registers the calculator markers
)

log = logging.getLogger("mkdocs.hooks.fangshan")
_compiled: pyodide_runtime.Compiled | None = None
_extras: pyodide_extras.Extras | None = None
_early: list[threading.Thread] = []
_jieba: threading.Thread | None = None
_serving = False
_gov: govsite.Settings | None = None


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve` (its pages get no CSP <meta>, below)."""
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the data files (one line naming the file and key, before anything slow); expose the
    current version's window to the templates (overrides/main.html) as start/end; add each
    measure's page to the nav."""
    try:
        datacheck.check()
    except datacheck.DataFault as e:
        raise PluginError(str(e)) from None
    if config.nav is not None:
        try:
            pages.add_to_nav(config.nav)
        except ValueError as e:
            raise PluginError(str(e)) from e
    # 政府网站规范: meta tags and footer from extra.government (sitebuild/govsite.py).
    global _gov
    try:
        _gov = govsite.settings(config.extra, config.site_name)
    except govsite.SettingsError as e:
        raise PluginError(str(e)) from e
    config.extra["fs_footer"] = govsite.footer(_gov)  # overrides/partials/copyright.html
    validity = sitedata.policy()["validity"]  # the current version's
    config.extra["fs_validity"] = f"{validity['start'].isoformat()}/{validity['end'].isoformat()}"
    config.extra["fs_announcement"] = sitedata.announcement()  # worded by calculators.engine.dates
    # Names, units and policy terms stay whole in the search index (see sitebuild/search_terms.py):
    # added while the compile step runs (jieba builds its dictionary cache first, ~1 s); the
    # search plugin uses jieba only once pages render (on_files waits for it).
    jieba.setLogLevel(logging.WARNING)
    global _jieba
    _jieba = threading.Thread(target=search_terms.register, args=(jieba,), name="jieba")
    _jieba.start()
    # The calculators for Pyodide: compiled once, cached by input hash (sitebuild.pyodide_runtime).
    # Brotli at its best takes seconds per megabyte: start on the runtime's twins in background
    # threads, the npm files now and the trimmed wasm as soon as the compile step has made it
    # (while it checks it and the pages render); a no-op when they are cached.
    global _compiled, _early, _extras
    try:
        # The npm wasm and glue are only the trimmed runtime's fallback (sitebuild/wasm_trim.py).
        npm = pyodide_runtime.npm_files()
        # The theme's big files are known now too: its assets only (Material's templates also
        # hold ~10,000 icons, inlined and never served, which stat() would take a second over).
        theme = precompress.big_files(*(Path(d) / "assets" for d in config.theme.dirs))
        _early = [
            precompress.start_early(npm, quality=dict.fromkeys(npm, precompress.FALLBACK_QUALITY)),
            precompress.start_early(theme),
        ]

        def made(paths: list[Path]) -> None:
            # The one wasm among them is the trimmed one.
            _early.append(precompress.start_early(paths, quality={
                p: precompress.RUNTIME_QUALITY for p in paths if p.suffix == ".wasm"}))

        _compiled = pyodide_runtime.compile_runtime(log=log.info, on_made=made)
        made(pyodide_runtime.shipped_files(_compiled))  # a no-op when the cache has their twins
        # QR codes and exports: a second archive, fetched only when a reader asks for one.
        _extras = pyodide_extras.of(_compiled)
    except pyodide_runtime.BuildError as e:
        raise PluginError(str(e)) from e
    runtime = {**pyodide_runtime.runtime_config(_compiled), "extrasURL": _extras.url}
    widgets.set_runtime(runtime)
    config.extra["fs_runtime"] = runtime  # overrides/main.html starts the worker from <head>
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the pages and files made from the data: the policy pages of every version and the
    revision record (from calculators/data/versions/), each measure's calculator page, and the
    open data (data/*.json)."""
    if _jieba is not None:
        _jieba.join()  # the search terms, before any page is indexed
    try:
        policy = versionpages.policy_pages()
    except markers.MarkerError as e:
        raise PluginError(str(e)) from None
    made = {**policy, **pages.measure_pages(), **pages.open_data_files()}
    for uri, content in made.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri}: the build makes this file from the data; remove it")
        files.append(File.generated(config, uri, content=content))
    # In the order MkDocs gives files from docs/ (the search index and the sitemap follow it).
    return Files(sorted(files, key=file_sort_key))


def on_post_build(*, config: MkDocsConfig) -> None:
    """Copy the runtime files a browser needs into the site (unchanged files are skipped), put the
    Content-Security-Policy into the pages, and write precompressed twins of the large assets."""
    assert _compiled is not None and _extras is not None
    pyodide_runtime.install(_compiled, Path(config.site_dir))
    pyodide_extras.install(_extras, Path(config.site_dir))
    # The Content-Security-Policy: a <meta> in every page, and the header for scripts/nginx.conf.
    # Not under `mkdocs serve`: its live-reload script is inline, injected as it serves a page.
    if not _serving:
        csp.apply(Path(config.site_dir))
        # The service worker, with the list of this build's files (sitebuild/offline.py). Not
        # under `mkdocs serve` either: a worker caching pages would hide the live reloads.
        offline.write(Path(config.site_dir), config.extra["fs_runtime"])
    # .br and .gz twins for servers that send precompressed files (scripts/nginx.conf).
    for thread in _early:
        thread.join()
    site = Path(config.site_dir)
    precompress.precompress(site, quality=pyodide_runtime.brotli_qualities(_compiled, site))


def on_page_markdown(markdown: str, *, page: Page, config: object, files: Files) -> str:
    """Expand ``<!-- fs:… -->`` markers; an unknown or malformed marker fails the build."""
    if "fs:" not in markdown:
        return markdown
    try:
        ctx = markers.Context(page_url=page.url, page_src=page.file.src_uri)
        return markers.expand(markdown, ctx)
    except markers.MarkerError as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from e


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """The page's government-site meta tags (overrides/main.html writes them): its column is the
    top-level nav entry it sits under."""
    assert _gov is not None
    top = page.ancestors[-1] if page.ancestors else page
    column = top.title or ""
    if not page.ancestors and page.file.src_uri.startswith("versions/"):
        column = "修订记录"  # a version's own pages (outside the nav) sit under the revision record
    context["fs_meta"] = govsite.meta_tags(
        _gov, title=page.title or "", column=column,
        description=page.meta.get("description") or config.site_description or "",
        keywords=page.meta.get("keywords") or "")
    return context
