"""Month arithmetic of the scan (months are their first day)."""

from __future__ import annotations

import datetime as dt


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_starts(first: dt.date, stop: dt.date | None, count: int | None = None) -> list[dt.date]:
    """Month starts from ``first`` (a month start) up to ``stop`` (excluded), or the ``count`` months
    after ``first`` when ``stop`` is None."""
    if stop is None:
        return [add_months(first, i + 1) for i in range(count or 0)]
    out, month = [], month_of(first)
    while month < stop:
        out.append(month)
        month = add_months(month, 1)
    return out


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)
