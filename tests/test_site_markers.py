"""The fs: marker expander on its own (no MkDocs)."""

from __future__ import annotations

import pytest

from sitebuild import markers


def test_unknown_marker_fails_with_its_name() -> None:
    with pytest.raises(markers.MarkerError, match=r"unknown marker <!-- fs:nope -->.*fs:contacts"):
        markers.expand("text\n<!-- fs:nope 1 -->\n", markers.Context("measures/"))


@pytest.mark.parametrize(
    "bad",
    [
        "<!-- fs:contacts art99 -->",
        "<!-- fs:contacts a b -->",
        "<!-- fs:validity x -->",
        "<!-- fs:policy colour -->",
    ],
)
def test_bad_arguments_fail(bad: str) -> None:
    with pytest.raises(markers.MarkerError):
        markers.expand(bad, markers.Context("measures/"))


def test_registry_is_extensible() -> None:
    @markers.marker("test-echo")
    def _echo(args, ctx):
        return f"[{' '.join(args)}@{ctx.url('measures/#art2')}]"

    try:
        got = markers.expand("<!-- fs:test-echo a b -->", markers.Context("contacts/"))
        assert got == "[a b@../measures/#art2]"
    finally:
        del markers.REGISTRY["test-echo"]


@pytest.mark.parametrize(
    ("page", "target", "want"),
    [
        ("", "measures/#art2", "measures/#art2"),
        ("contacts/", "measures/", "../measures/"),
        ("calculators/rent/", "contacts/", "../../contacts/"),
        ("measures/", "measures/#x", "./#x"),
    ],
)
def test_relative_links(page: str, target: str, want: str) -> None:
    assert markers.Context(page).url(target) == want


def test_block_output_has_no_blank_lines() -> None:
    html = markers.expand("<!-- fs:contacts art5.1 -->", markers.Context("measures/"))
    assert "\n\n" not in html and 'data-clause="art5.1"' in html and "李奕响" in html


def test_markers_from_the_registry_and_the_parameters() -> None:
    import calculators
    from sitebuild import pages

    ctx = markers.Context("measures/", "measures.md")
    assert markers.expand("<!-- fs:measure-count -->", ctx) == pages.chinese_count(
        len(calculators.MEASURES))
    # A parameter, named by its clause, as the policy writes it (the value in force today).
    assert markers.expand("<!-- fs:param art3.1 min_intensity -->", ctx) == "4%"
    assert markers.expand("<!-- fs:param art3.1 min_increment -->", ctx) == "1000 万元"
    # The button of each calculator of a clause; nothing for a clause without one.
    for m in calculators.MEASURES.values():
        link = markers.expand(f"<!-- fs:calculator-link {m.clause} -->", ctx)
        assert f"(calculators/{m.id}.md)" in link and m.action in link
    assert markers.expand("<!-- fs:calculator-link art7 -->", ctx) == ""


@pytest.mark.parametrize(
    "bad",
    ["<!-- fs:param art3.1 -->", "<!-- fs:param art3.1 nope -->", "<!-- fs:param art2 rate -->",
     "<!-- fs:measure-count x -->", "<!-- fs:calculator-link art99 -->"],
)
def test_bad_registry_markers_fail(bad: str) -> None:
    import sitebuild.pages  # noqa: F401 (registers the markers)

    with pytest.raises(markers.MarkerError):
        markers.expand(bad, markers.Context("measures/", "measures.md"))


@pytest.mark.parametrize(("n", "want"), [(1, "一"), (7, "七"), (10, "十"), (12, "十二"),
                                         (20, "二十"), (38, "三十八")])
def test_chinese_count(n: int, want: str) -> None:
    from sitebuild.pages import chinese_count

    assert chinese_count(n) == want
