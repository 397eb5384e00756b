"""Chinese search: jieba segments the index at build time; the Material search box finds pages."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

ZWSP = "\u200b"


@pytest.fixture(scope="module")
def search_index(built_site: Path) -> dict:
    return json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))


def _tokens(index: dict) -> set[str]:
    import re

    sep = re.compile(index["config"]["separator"])
    return {t for doc in index["docs"] for t in sep.split(doc["title"] + " " + doc["text"]) if t}


def test_index_is_segmented_with_zero_width_spaces(search_index: dict) -> None:
    assert "\\u200b" in search_index["config"]["separator"]
    art2 = next(d for d in search_index["docs"] if d["location"] == "measures/#art2")
    assert f"{ZWSP}租金{ZWSP}补贴{ZWSP}" in art2["text"]


@pytest.mark.parametrize(
    "word", ["租金", "补贴", "小巨人", "研发", "投入", "张迪", "刘致远", "孟祥冬", "81312975"]
)
def test_index_has_whole_words(search_index: dict, word: str) -> None:
    assert word in _tokens(search_index)


def search(page, base: str, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return the result pages' paths."""
    page.goto(base)
    box = page.locator(".md-search__input")
    box.click()
    box.fill(query)
    # Material reads the query on keyup; fill() inserts text without key events (like an IME
    # commit), so finish with a key that changes nothing.
    box.press("End")
    page.wait_for_function(
        "() => /个符合条件的结果|没有找到符合条件的结果/.test("
        "document.querySelector('.md-search-result__meta').textContent)",
        timeout=15_000,
    )
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link",
        "els => els.map(e => e.href)",
    )
    return [urlparse(h).path for h in hrefs]


@pytest.mark.parametrize(
    ("query", "first", "also"),
    [
        ("租金补贴", "/measures/", set()),
        ("小巨人", "/measures/", set()),
        ("研发投入", "/measures/", set()),
        ("张迪", "/contacts/", {"/measures/"}),  # directory, and beside 第七条
        ("81312975", "/contacts/", {"/measures/", "/notice/"}),
        ("长阳镇", "/contacts/", set()),
    ],
)
def test_search_box_finds_pages(page, site_server, query, first, also) -> None:
    paths = search(page, site_server, query)
    assert paths, f"no result for {query}"
    assert first in paths, paths
    assert also <= set(paths), paths
    assert not page.console_errors
