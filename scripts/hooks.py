"""MkDocs hooks: the thin adapter between MkDocs and the plain modules in scripts/.

MkDocs 1.6 puts this file's directory on sys.path only while it imports the file, so the
sibling modules are imported here at the top, not lazily inside the hook functions.
"""

from __future__ import annotations

import logging

import jieba  # a declared dependency: Material's search segments Chinese with it
import markers
import search_terms
import sitedata
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.fangshan")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Expose the trial period to the templates (overrides/main.html) as start/end."""
    validity = sitedata.policy()["validity"]
    config.extra["fs_validity"] = f"{validity['start'].isoformat()}/{validity['end'].isoformat()}"
    # Names, units and policy terms stay whole in the search index (see search_terms.py).
    jieba.setLogLevel(logging.WARNING)
    log.debug("jieba: %d search terms added", search_terms.register(jieba))
    return config


def on_page_markdown(markdown: str, *, page: Page, config: object, files: Files) -> str:
    """Expand ``<!-- fs:… -->`` markers; an unknown or malformed marker fails the build."""
    if "fs:" not in markdown:
        return markdown
    try:
        return markers.expand(markdown, markers.Context(page_url=page.url))
    except markers.MarkerError as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from e
