"""日期 — the one "today" (Beijing, UTC+8) and the trial period's wording for any date.

The policy's calendar is Beijing's: a reader in another time zone (or a server on UTC) must see
the same day as the policy's office. The engine's default `as_of`, the site's trial-period
notice (a table built from `trial_notice` at build time) and the print record all use these.
"""

from __future__ import annotations

import datetime as dt

from .params import validity

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no DST since 1991

__all__ = ["BEIJING", "cn_date", "today", "trial_notice", "validity_state"]


def today() -> dt.date:
    """Today's date in Beijing, whatever the machine's time zone (Pyodide: the browser's clock)."""
    return dt.datetime.now(BEIJING).date()


def cn_date(day: dt.date) -> str:
    """2025-06-01 → 2025年6月1日"""
    return f"{day.year}年{day.month}月{day.day}日"


def validity_state(day: dt.date) -> str:
    """"before", "in_force" or "ended": where `day` lies against the trial period."""
    start, end = validity()
    if day < start:
        return "before"
    return "ended" if day > end else "in_force"


def trial_notice(day: dt.date) -> str:
    """The home page's status line for `day` (site.js picks the line for the reader's today)."""
    start, end = validity()
    state = validity_state(day)
    if state == "ended":
        return (
            f"试行期已于{cn_date(end)}届满。本措施是否延期、调整或由新政策接续，"
            "请以主管部门的最新通知为准，申报前请向下列联系人确认。"
        )
    if state == "before":
        return f"本措施将于{cn_date(start)}起实施。"
    return f"今天（{cn_date(day)}）在试行期内，距试行期满还有 {(end - day).days} 天。"


def announcement(day: dt.date) -> str:
    """The site-wide bar's text for `day`: only once the trial period has ended."""
    if validity_state(day) != "ended":
        return ""
    return f"提示：本措施试行期已于{cn_date(validity()[1])}届满，是否延期请向主管部门确认。"
