"""Portable SQL expressions the signal queries need, written per backend so that no Python function runs
per row (Django's ``TruncMonth`` and date subtraction call back into Python for every row on SQLite)."""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, Func, IntegerField


class MonthStart(Func):
    """The first day of a date's month, as a date (a ``DateField`` column, not a datetime)."""

    arity = 1
    output_field = DateField()
    template = "CAST(date_trunc('month', %(expressions)s) AS date)"  # PostgreSQL

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # dates are stored as ISO text (YYYY-MM-DD): keep "YYYY-MM-" and append "01"
        return self.as_sql(compiler, connection, template="(substr(%(expressions)s, 1, 8) || '01')", **extra)


class DaysBetween(Func):
    """``later - earlier`` in whole days (two ``DateField`` columns)."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"  # PostgreSQL: date - date is an integer
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, arg_joiner=") - julianday(",
                           template="CAST(julianday(%(expressions)s) AS INTEGER)", **extra)
