"""The built site carries the complete source text, every clause anchor, and a clean build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import article_text

# Half-width punctuation the source uses inconsistently, mapped to the full-width forms.
_PUNCT = str.maketrans("():;,!?", "（）：；，！？")


def normalise(text: str) -> str:
    """Remove all whitespace (incl. U+3000 and U+200B) and unify half-/full-width punctuation."""
    return re.sub(r"[\s\u200b\u3000]+", "", text.translate(_PUNCT))


def source_pieces(source: str) -> list[str]:
    """The source body cut into sentences and table cells.

    Sentences end at 。；！？; line breaks (the flattened page breaks) and tabs (table cells)
    also cut. Each piece keeps its inner spaces, so a multi-value cell can be split later.
    """
    text = source.translate(_PUNCT)
    pieces = re.split(r"[。；！？\n\t]", text)
    return [p.strip() for p in pieces if normalise(p)]


def find_piece(piece: str, haystack: str) -> list[str]:
    """Return the parts of ``piece`` missing from ``haystack`` (normalised); [] if all found.

    A table cell that lists several values separated by spaces (row 3 of the department table:
    five groups, five names, five numbers) is not one run of text on the site, which shows one
    person per row. Such a cell is split at its spaces and the longest runs of consecutive
    values that occur on the site are taken, so "路 萍" still has to appear as 路萍.
    """
    if normalise(piece) in haystack:
        return []
    tokens = piece.split()
    missing, i = [], 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            if normalise("".join(tokens[i:j])) in haystack:
                i = j
                break
        else:
            missing.append(tokens[i])
            i += 1
    return missing


@pytest.fixture(scope="module")
def site_text(site_html: dict[str, str]) -> str:
    return normalise("\n".join(article_text(html) for html in site_html.values()))


def test_every_sentence_of_the_source_is_on_the_site(source_text: str, site_text: str) -> None:
    pieces = source_pieces(source_text)
    assert len(pieces) > 150, "the source was not read as expected"
    missing = {p: m for p in pieces if (m := find_piece(p, site_text))}
    assert not missing, "source text missing from the built pages:\n" + "\n".join(
        f"  {piece!r}: missing {parts}" for piece, parts in missing.items()
    )


def test_the_check_would_notice_a_missing_sentence(source_text: str, site_text: str) -> None:
    # Guard the guard: removing one sentence from the site must be detected.
    sentence = "补贴期限不超过三年"
    assert sentence in site_text
    assert find_piece(sentence, site_text.replace(sentence, "")) == [sentence]


def test_reflowed_paragraphs_are_whole(site_html: dict[str, str]) -> None:
    # The source's page breaks cut these sentences in two; the site joins them again.
    text = normalise(article_text(site_html["measures.md"]))
    for joined in (
        "提升产业科技创新能力",
        "依据实施效果分阶段按照审定的固定资产投资总额",
        "航空器测试验证",
    ):
        assert joined in text


CLAUSE_ANCHORS = {
    "measures.md": [
        "art1", "art1-1", "art1-2", "art2", "art3", "art3-1", "art3-2", "art4",
        "art5", "art5-1", "art5-2", "art6", "art7", "general",
    ],
}


@pytest.mark.parametrize("anchor", CLAUSE_ANCHORS["measures.md"])
def test_clause_anchor_exists(site_html: dict[str, str], anchor: str) -> None:
    ids = re.findall(r'\sid="([^"]+)"', site_html["measures.md"])
    assert ids.count(anchor) == 1, f"#{anchor} missing or duplicated on the measures page"


def test_clause_anchor_holds_its_text(site_html: dict[str, str]) -> None:
    html = site_html["measures.md"]
    starts = {
        "art1-1": "支持创新型中小企业争创名优",
        "art2": "房屋租金补贴支持",
        "art3-2": "支持产业智能化、绿色化升级",
        "art5-1": "建立与市级产业投资基金沟通推荐通道",
        "art5-2": "依托中关村房山园知识产权资金池",
        "general": "适用原则与有效期",
    }
    for anchor, text in starts.items():
        m = re.search(rf'id="{anchor}"[^>]*>(.{{0,200}})', html, re.S)
        assert m and text in m.group(1), f"#{anchor} does not start with {text!r}"


def test_internal_links_point_at_existing_anchors(built_site: Path) -> None:
    # Links written in templates (contacts, validity) are raw HTML, which MkDocs does not check.
    ids: dict[str, set[str]] = {}
    for html_file in built_site.rglob("*.html"):
        rel = html_file.relative_to(built_site).as_posix()
        ids[rel] = set(re.findall(r'\sid="([^"]+)"', html_file.read_text(encoding="utf-8")))
    bad = []
    for rel in ids:
        if rel == "404.html":
            continue
        html = (built_site / rel).read_text(encoding="utf-8")
        base = Path(rel).parent
        for href in re.findall(r'href="([^"#:?]*)#([^"]+)"', html):
            path, frag = href
            target = (base / path / "index.html") if path.endswith("/") or path == "" else None
            if path == "":
                target = Path(rel)
            if target is None:
                continue
            key = Path(*[p for p in target.parts if p != "."]).as_posix()
            key = _resolve(key)
            if key in ids and frag not in ids[key]:
                bad.append(f"{rel}: {path}#{frag}")
    assert not bad, "links to missing anchors:\n" + "\n".join(bad)


def _resolve(path: str) -> str:
    parts: list[str] = []
    for p in path.split("/"):
        if p == "..":
            parts.pop()
        elif p not in ("", "."):
            parts.append(p)
    return "/".join(parts)


def test_home_page_names_the_document(site_html: dict[str, str]) -> None:
    text = normalise(article_text(site_html["index.md"]))
    for fact in (
        "房经信局文〔2025〕14号",
        "北京市房山区经济和信息化局、北京市房山区发展和改革委员会",
        "2025年4月28日",
        "2026年4月27日",
    ):
        assert fact in text, fact


def test_dates_and_numbers_come_from_the_data(site_html: dict[str, str]) -> None:
    # No marker left unexpanded anywhere.
    for src, html in site_html.items():
        assert "fs:" not in html, f"{src}: an fs: marker was not expanded"
