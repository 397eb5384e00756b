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
