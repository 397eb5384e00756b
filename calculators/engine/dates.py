"""日期 — the one "today" (Beijing, UTC+8) and the validity window's wording for any date.

The policy's calendar is Beijing's: a reader in another time zone (or a server on UTC) must see
the same day as the policy's office. The engine's default `as_of`, the site's notices (worded
here once per state, picked in the browser by comparing dates) and the print record use these.
"""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no DST since 1991

__all__ = ["BEIJING", "announcement", "cn_date", "notice_words", "today", "trial_notice",
           "validity_state"]


def today() -> dt.date:
    """Today's date in Beijing, whatever the machine's time zone (Pyodide: the browser's clock)."""
    return dt.datetime.now(BEIJING).date()


def cn_date(day: dt.date) -> str:
    """2025-06-01 → 2025年6月1日"""
    return f"{day.year}年{day.month}月{day.day}日"


def validity_state(day: dt.date) -> str:
    """"before", "in_force", "ended" or "repealed": `day` against the window of the version in
    force on it (versions.version_at)."""
    from .versions import state, version_at  # versions reads data; dates stays importable alone

    return state(version_at(day), day)


def notice_words(v, state: str) -> str:
    """The home page's status line for version `v` in `state` (one sentence per state: the page
    picks it by the reader's date, so it names no day but the window's)."""
    if state == "repealed":
        by = f"（{v.repealed_by}）" if v.repealed_by else ""
        return f"本措施已于{cn_date(v.repealed)}废止{by}。申报前请向下列联系人确认现行政策。"
    if state == "ended":
        return (
            f"试行期已于{cn_date(v.end)}届满。本措施是否延期、调整或由新政策接续，"
            "请以主管部门的最新通知为准，申报前请向下列联系人确认。"
        )
    if state == "before":
        return f"本措施将于{cn_date(v.start)}起实施。"
    return f"本措施（{v.doc_number}）在试行期内，试行期至{cn_date(v.end)}（含）。"


def trial_notice(day: dt.date) -> str:
    """The home page's status line on `day`."""
    from .versions import state, version_at

    v = version_at(day)
    return notice_words(v, state(v, day))


def announcement(day: dt.date) -> str:
    """The site-wide bar's text for `day`: only once the window of its version has ended."""
    from .versions import version_at

    if validity_state(day) != "ended":
        return ""
    return f"提示：本措施试行期已于{cn_date(version_at(day).end)}届满，是否延期请向主管部门确认。"
