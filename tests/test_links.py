"""The permalink's query is written and read by calculators.engine.links, not urllib.parse (which
would add 31 kB to the browser's download): both must agree with urllib.parse exactly."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from hypothesis import given
from hypothesis import strategies as st

from calculators.engine.links import query_pairs, query_string

TEXT = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", " ", "+", "%", "%2", "%zz", "%E4%BA", "a=b", "&", "~_.-", "1,000", "3000万", "<b>"])


@given(st.dictionaries(TEXT, TEXT, max_size=5))
def test_query_string_is_urlencode(pairs: dict[str, str]) -> None:
    assert query_string(pairs) == urlencode(pairs)


@given(st.lists(TEXT | st.sampled_from(["=", "&&", "a&b=", "%E4%B8%87", "%ff", "+%2B+"]),
                max_size=6).map("&".join))
def test_query_pairs_is_parse_qsl(query: str) -> None:
    assert list(query_pairs(query)) == parse_qsl(query, keep_blank_values=True)


@given(st.dictionaries(TEXT, TEXT, max_size=5))
def test_round_trip(pairs: dict[str, str]) -> None:
    assert dict(query_pairs(query_string(pairs))) == pairs
