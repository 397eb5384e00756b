"""The policy's pages, made from its versions (calculators/data/versions/<id>/).

* the main pages, ``notice.md``, ``measures.md``, ``contacts.md``: the text of the current version
  (in force on the build's date, else the latest started, else the first);
* every version's pages at its stable address, ``versions/<id>/{notice,measures,contacts}.md``,
  with its full text, anchors and contacts; a superseded one says so and links to its
  successor. The current version's copies are left out of the search index and superseded ones
  ranked low, so that search finds the current text first;
* ``versions/index.md``, the revision record (修订记录): each version, its dates and status,
  every parameter value that changed (old → new, with its clause) and the clauses whose text
  changed, linked to both texts (``<!-- fs:revisions -->``).

Each page begins with the version's information block (``<!-- fs:policy -->``: 发文机关, 发文字号,
成文日期, 施行日期, 有效期 and the status). Plain Python: the hook hands these to MkDocs.
"""

from __future__ import annotations

import re

import calculators
from calculators.engine import versions as _versions

from . import sitedata
from .markers import Context, MarkerError, marker, render
from .widgets import clause_texts

PAGES = _versions.PAGES  # notice, measures, contacts
RECORD = "versions/index.md"
_TITLES = {"notice": "通知", "measures": "扶持措施", "contacts": "政策咨询联系人"}
_FRONT = re.compile(r"\A---\n(?P<meta>.*?)\n---\n", re.S)


def page_uri(vid: str, page: str) -> str:
    """A page's source path: the main page for vid "", versions/<id>/<page>.md otherwise."""
    return f"versions/{vid}/{page}.md" if vid else f"{page}.md"


def _front_matter(text: str, extra: list[str], source: str) -> tuple[str, str]:
    m = _FRONT.match(text)
    if m is None:
        raise MarkerError(f"{source}: expected front matter (--- title: … ---) first")
    return "---\n" + "\n".join([m["meta"], *extra]) + "\n---\n", text[m.end():]


def _banner(v: _versions.Version, page: str) -> str:
    """What a page of versions/<id>/ says first: superseded (with its successor), or archived."""
    nxt = _versions.successor(v)
    here = f"[{_TITLES[page]}](../../{page}.md)"  # the main page of the same kind
    if nxt is not None:
        return (f'!!! warning "本文件已修订"\n\n    本页为{v.doc_number}的原文，已被'
                f"[{nxt.doc_number}《{nxt.title}》](../{nxt.id}/{page}.md)修订，修订后的文件自"
                f"{sitedata.cn_date(nxt.start)}起施行。现行文本见{here}，"
                "各版本的差异见[修订记录](../index.md)。\n")
    return (f"本页为{v.doc_number}{_TITLES[page]}的固定地址，修订后仍保留原文。现行文本见{here}，"
            "各版本见[修订记录](../index.md)。\n{: .fs-archive-note }\n")


def policy_page(vid: str, page: str) -> str:
    """The Markdown of a policy page: the version's text, its information block after the title,
    and on versions/<id>/ pages the archive note and the search ranking."""
    v = sitedata.version(vid)
    path = sitedata.text_path(v, page)
    source = str(path.relative_to(sitedata.DATA_DIR.parents[1]))
    if not path.is_file():
        raise MarkerError(f"{v.source}: files.{page}: {v.files[page]} not found")
    extra: list[str] = []
    if vid:
        current = sitedata.current().id == vid
        extra = ["search:", "  exclude: true" if current else "  boost: 0.2"]
    front, body = _front_matter(path.read_text("utf-8"), extra, source)
    if vid:
        front = re.sub(r"^title: (.*)$", lambda m: f"title: {m[1]}（{v.doc_number}）", front,
                       count=1, flags=re.M)
    title = re.search(r"^# .*$", body, re.M)
    if title is None:
        raise MarkerError(f"{source}: expected a title line (# …)")
    block = "\n\n<!-- fs:policy -->\n\n" + (_banner(v, page) + "\n" if vid else "")
    return front + body[: title.end()] + block + body[title.end():]


def policy_pages() -> dict[str, str]:
    """Every policy page: {source path: Markdown} (the main pages, every version's, the record)."""
    out = {page_uri("", page): policy_page("", page) for page in PAGES}
    for v in _versions.versions():
        out.update({page_uri(v.id, page): policy_page(v.id, page) for page in PAGES})
    out[RECORD] = ("---\ntitle: 修订记录\ndescription: 本政策各版本的文号、日期、状态，"
                   "以及每次修订改变的参数和条文\n---\n\n# 修订记录 {#revisions}\n\n"
                   "本政策的每个版本都保留在固定地址，可随时查阅原文。下表由版本数据生成：每个版本"
                   "的文号和日期、当前状态、相对上一版本改变的参数（原值 → 新值）和条文。\n\n"
                   "<!-- fs:revisions -->\n")
    return out


# --- the revision record ------------------------------------------------------------------------


def parameter_changes(prev: _versions.Version, v: _versions.Version) -> list[dict]:
    """Every parameter whose value at the end of `prev` differs from its value at `v`'s start."""
    from .pages import param_text

    out = []
    for key, p in calculators.parameters().items():
        old, new = p.at(prev.end).value, p.at(v.start).value
        if old != new:
            clause = calculators.clauses()[p.clause]
            out.append({"key": key, "label": p.label, "clause": clause.label,
                        "anchor": clause.anchor, "old": param_text(key, prev.end),
                        "new": param_text(key, v.start)})
    return out


def clause_changes(prev: _versions.Version, v: _versions.Version) -> list[dict]:
    """The clauses (by anchor, in the text's order) whose text differs between two versions."""
    old = clause_texts(sitedata.text_path(prev, "measures"))
    new = clause_texts(sitedata.text_path(v, "measures"))
    labels = {c.anchor: f"{c.label} {c.title}" for c in calculators.clauses().values()}

    def plain(text: str | None) -> str:
        return re.sub(r"\s+", "", text or "")

    return [{"anchor": a, "label": labels.get(a, f"#{a}"), "old": a in old, "new": a in new}
            for a in dict.fromkeys([*new, *old]) if plain(old.get(a)) != plain(new.get(a))]


def _entry(v: _versions.Version, ctx: Context) -> dict:
    prev = v.index and _versions.versions()[v.index - 1]
    same = {}
    if prev:
        for page in ("notice", "contacts"):
            same[page] = (sitedata.text_path(prev, page).read_bytes()
                          == sitedata.text_path(v, page).read_bytes())
        same["directory"] = prev.files["directory"] == v.files["directory"] or (
            sitedata.contacts(prev.id) == sitedata.contacts(v.id))
    return {
        "v": v, "prev": prev or None, "steps": sitedata.status_steps(v.id),
        "status": sitedata.status_now(v.id),
        "links": {p: ctx.url(f"versions/{v.id}/{p}/") for p in PAGES},
        "prev_links": {p: ctx.url(f"versions/{prev.id}/{p}/") for p in PAGES} if prev else {},
        "params": parameter_changes(prev, v) if prev else [],
        "clauses": clause_changes(prev, v) if prev else [],
        "same": same,
    }


@marker("revisions")
def _revisions(args: list[str], ctx: Context) -> str:
    """The revision record: every version, newest first, with what changed from the one before."""
    if args:
        raise MarkerError("takes no arguments")
    entries = [_entry(v, ctx) for v in reversed(_versions.versions())]
    return render("revisions.html", entries=entries, titles=_TITLES)
