"""Every internal link and anchor in the built site resolves; every clause a calculator cites is an
anchor of the measures page; no page shows raw Markdown link syntax."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import article_text

import calculators


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        followed = tag in ("a", "area") or (tag == "link" and a.get("rel") in (
            "canonical", "prev", "next", "stylesheet", "icon", "preload", "modulepreload"))
        if followed and a.get("href") is not None:
            self.hrefs.append(a["href"])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, page: Path, href: str, site_url: str) -> tuple[Path, str] | None:
    """The file and fragment an internal href points to; None for an external one."""
    if href.startswith(site_url):
        href = "/" + href[len(site_url):]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # tel:, mailto:, another host
    if not parts.path:
        return page, unquote(parts.fragment)
    base = site if parts.path.startswith("/") else page.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    site = built_site.resolve()
    pages = {p.resolve(): _parse(p) for p in site.rglob("*.html")}
    canonical = next(h for h in pages[site / "index.html"].hrefs if h.startswith("http"))
    site_url = canonical.rstrip("/") + "/"
    broken, checked = [], 0
    for path, page in pages.items():
        for href in page.hrefs:
            target = _target(site, path, href, site_url)
            if target is None:
                continue
            file, fragment = target
            checked += 1
            where = f"{path.relative_to(site)}: {href}"
            if not file.is_file():
                broken.append(f"{where} (no file)")
            elif fragment and file.suffix == ".html" and fragment not in pages[file].ids:
                broken.append(f"{where} (no #{fragment})")
    assert checked > 500, checked
    assert not broken, "\n".join(broken)


def test_every_cited_clause_is_an_anchor_of_the_measures_page(built_site: Path) -> None:
    ids = _parse(built_site / "measures" / "index.html").ids
    missing = [f"{c.id} → #{c.anchor}" for c in calculators.clauses().values()
               if c.anchor not in ids]
    assert not missing, missing
    # and the clauses the calculators' answers cite are among them
    for measure in calculators.MEASURES:
        assert calculators.describe(measure)["clause"] in calculators.clauses()


def test_no_raw_markdown_links_on_any_page(built_site: Path) -> None:
    """The quoted clause text on calculator pages once showed '[测算… →](….md){ .md-button }'."""
    bad = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
           if "](" in article_text(p.read_text(encoding="utf-8"))]
    assert not bad, bad
