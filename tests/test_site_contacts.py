"""Attachment 2 (政策咨询联系人): source table ↔ contacts.toml ↔ the directory page."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "calculators" / "data" / "versions" / "2025-14" / "contacts.toml"


@dataclass(frozen=True)
class Person:
    unit: str
    name: str
    phones: tuple[str, ...]


def _names(cell: str) -> list[str]:
    """Split a names cell; single characters are one name typeset with a space (路 萍, 王 杨)."""
    out: list[str] = []
    for tok in cell.split():
        if len(tok) == 1 and out and len(out[-1]) == 1:
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _section(source: str, start: str, end: str | None) -> list[str]:
    body = source.split(start, 1)[1]
    if end:
        body = body.split(end, 1)[0]
    return [line for line in body.splitlines() if re.match(r"\d+\t", line)]


def source_departments(source: str) -> dict[int, list[Person]]:
    """Table 一 of the source, row by row, people paired as the spec reads it."""
    rows: dict[int, list[Person]] = {}
    for line in _section(source, "一、相关部门联系人", "二、各属地联系人"):
        seq, _direction, units, names, phones = line.split("\t")
        u, n, p = units.split(), _names(names), phones.split()
        if len(u) == len(n) == len(p):  # row 3: five groups, names, numbers by position
            people = [Person(a, b, (c,)) for a, b, c in zip(u, n, p, strict=True)]
        elif len(p) == 1:  # one unit (maybe typeset with a space), one shared number
            people = [Person("".join(u), name, (p[0],)) for name in n]
        else:  # row 6: 任会敏、王铂淳 81312975 (区经信局产业科); 王世熙 69379368 (区发改委产业科)
            assert (u, n, p) == (
                ["区经信局产业科", "区发改委产业科"],
                ["任会敏", "王铂淳", "王世熙"],
                ["81312975", "69379368"],
            ), f"unexpected shape of row {seq}"
            people = [
                Person(u[0], n[0], (p[0],)),
                Person(u[0], n[1], (p[0],)),
                Person(u[1], n[2], (p[1],)),
            ]
        rows[int(seq)] = people
    return rows


def source_localities(source: str) -> dict[int, tuple[str, list[Person]]]:
    """Table 二: two side-by-side halves; a half without 序号 continues the unit above it."""
    units: dict[int, tuple[str, list[Person]]] = {}
    last_right: int | None = None
    for line in _section(source, "二、各属地联系人", None):
        cells = line.split("\t") + [""] * 8
        for half, (seq, unit, name, phones) in enumerate((cells[0:4], cells[4:8])):
            if not name.strip():
                continue
            person = Person("", name.strip(), tuple(re.split(r"\s*/\s*", phones.strip())))
            if seq.strip():
                units[int(seq)] = ("".join(unit.split()), [person])
                if half == 1:
                    last_right = int(seq)
            else:  # 郑佳星: second contact of the right half's last unit (燕山…分局)
                assert last_right is not None
                units[last_right][1].append(person)
    return units


@pytest.fixture(scope="module")
def data() -> dict:
    with DATA.open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def src_departments(source_text: str) -> dict[int, list[Person]]:
    return source_departments(source_text)


@pytest.fixture(scope="module")
def src_localities(source_text: str) -> dict[int, tuple[str, list[Person]]]:
    return source_localities(source_text)


# --- source ↔ data ------------------------------------------------------------------------------


def test_source_tables_read_as_expected(src_departments, src_localities) -> None:
    assert sorted(src_departments) == [1, 2, 3, 4, 5, 6]
    assert sorted(src_localities) == list(range(1, 25))
    assert [p.name for p in src_localities[24][1]] == ["李冉", "郑佳星"]


def test_row_3_is_paired_by_position(src_departments) -> None:
    assert src_departments[3] == [
        Person("综合协调组", "李奕响", ("89350224",)),
        Person("新材料产业和燕化公司服务工作组", "孟祥冬", ("89385463",)),
        Person("智能制造产业和低空应急救援服务工作组", "王杨", ("89384187",)),
        Person("新能源产业和中国电力服务工作组", "梅金双", ("81313342",)),
        Person("智慧医工产业和京东方服务工作组", "徐璐璐", ("89388513",)),
    ]


def test_data_departments_match_source(data, src_departments) -> None:
    got = {
        d["seq"]: [Person(c["unit"], c["name"], tuple(c["phones"])) for c in d["contacts"]]
        for d in data["departments"]
    }
    assert got == src_departments


def test_data_localities_match_source(data, src_localities) -> None:
    got = {
        loc["seq"]: (
            loc["unit"],
            [Person("", c["name"], tuple(c["phones"])) for c in loc["contacts"]],
        )
        for loc in data["localities"]
    }
    assert got == src_localities


# --- data ↔ directory page ----------------------------------------------------------------------


class _Rows(HTMLParser):
    """Rows (tr) of each table on a page: [(table classes, [cell texts], [tel: numbers])]."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[str] = []
        self.rows: list[tuple[str, list[str], list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append(a.get("class") or "")
        elif tag == "tr" and self.tables:
            self.rows.append((self.tables[-1], [], []))
        elif tag in ("td", "th") and self.rows:
            self._cell = []
        elif tag == "a" and self.rows and (a.get("href") or "").startswith("tel:"):
            self.rows[-1][2].append(a["href"][4:])

    def handle_endtag(self, tag):
        if tag == "table" and self.tables:
            self.tables.pop()
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1][1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str, table_class: str) -> list[tuple[list[str], list[str]]]:
    parser = _Rows()
    parser.feed(html)
    return [(cells, tels) for cls, cells, tels in parser.rows if table_class in cls and tels]


def test_directory_departments_pair_unit_name_number(site_html, data) -> None:
    rows = table_rows(site_html["contacts.md"], "fs-table--departments")
    # One row per person: [序号, 支持方向,] 部门, 联系人, 联系电话 — the last three always present.
    shown = [(cells[-3], cells[-2], tuple(tels)) for cells, tels in rows]
    want = [
        (c["unit"], c["name"], tuple(c["phones"]))
        for d in data["departments"]
        for c in d["contacts"]
    ]
    assert shown == want
    for cells, tels in rows:
        assert cells[-1].replace(" ", "") == "/".join(tels), "displayed number ≠ tel: link"


def test_directory_localities_pair_unit_name_number(site_html, data) -> None:
    rows = table_rows(site_html["contacts.md"], "fs-table--localities")
    shown, unit = [], None
    for cells, tels in rows:
        if len(cells) == 4:  # first row of a unit: 序号, 所属区, 联系人, 联系电话
            unit = cells[1]
        shown.append((unit, cells[-2], tuple(tels)))
    want = [
        (loc["unit"], c["name"], tuple(c["phones"]))
        for loc in data["localities"]
        for c in loc["contacts"]
    ]
    assert shown == want
    assert len({u for u, _, _ in shown}) == 24


def test_every_source_name_and_number_is_on_the_page(
    site_html, src_departments, src_localities
) -> None:
    html = site_html["contacts.md"]
    people = [p for row in src_departments.values() for p in row]
    people += [p for _, row in src_localities.values() for p in row]
    for p in people:
        assert f">{p.name}<" in html, p.name
        for phone in p.phones:
            assert f'href="tel:{phone}"' in html, phone


CLAUSE_CONTACTS = {  # clause → names shown beside it on the measures page (spec: Contacts)
    "art1.1": {"路萍"},
    "art1.2": {"张瑜", "李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"},
    "art2": {"李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"},
    "art3.1": {"李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"},
    "art3.2": {"任会敏", "王铂淳"},
    "art4": {"李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"},
    "art5": {"李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"},
    "art6": {"李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"},
    "art7": {"张迪"},
    "general": {"任会敏", "王铂淳", "王世熙"},
}


@pytest.mark.parametrize("clause", CLAUSE_CONTACTS)
def test_measures_page_shows_each_clauses_contacts(site_html, clause) -> None:
    m = re.search(
        rf'<aside class="fs-clause-contacts" data-clause="{re.escape(clause)}">(.*?)</aside>',
        site_html["measures.md"],
        re.S,
    )
    assert m, f"no contacts beside {clause}"
    names = set(re.findall(r"[\u4e00-\u9fff]{2,3}(?= <a href=\"tel:)", m.group(1)))
    assert names == CLAUSE_CONTACTS[clause]


# --- the filter, in a browser -------------------------------------------------------------------


def _visible_names(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-fs-directory] tbody:not([hidden]) .fs-name", "els => els.map(e => e.textContent)"
    )


@pytest.mark.parametrize(
    ("query", "expect", "not_expect"),
    [
        ("张迪", {"张迪"}, {"路萍", "刘致远"}),
        ("长阳镇", {"张志林"}, {"张迪"}),
        ("8131 2975", {"任会敏", "王铂淳"}, {"张迪"}),  # spaces ignored
        ("15810245960", {"李冉", "郑佳星"}, {"刘致远"}),  # the unit's group stays whole
        ("第二条", {"李奕响", "徐璐璐"}, {"路萍", "刘致远"}),
        ("燕山", {"李冉"}, {"路萍"}),
    ],
)
def test_filter_by_text(page, site_server, query, expect, not_expect) -> None:
    page.goto(site_server + "contacts/")
    page.fill("[data-fs-filter-input]", query)
    names = set(_visible_names(page))
    assert expect <= names and not (not_expect & names), names
    assert "共找到" in page.inner_text("[data-fs-filter-status]")
    assert not page.console_errors


def test_filter_by_clause_and_no_match(page, site_server) -> None:
    page.goto(site_server + "contacts/?clause=art7")
    assert set(_visible_names(page)) == {"张迪"}
    page.select_option("[data-fs-filter-clause]", "art3.2")
    assert set(_visible_names(page)) == {"任会敏", "王铂淳"}
    page.select_option("[data-fs-filter-clause]", "")
    page.fill("[data-fs-filter-input]", "不存在的名字")
    assert _visible_names(page) == []
    assert "没有找到" in page.inner_text("[data-fs-filter-status]")


def test_phone_numbers_are_tel_links(page, site_server) -> None:
    page.goto(site_server + "contacts/")
    hrefs = page.eval_on_selector_all("a[href^='tel:']", "els => els.map(e => e.href)")
    assert "tel:81312786" in hrefs and len(hrefs) >= 40
