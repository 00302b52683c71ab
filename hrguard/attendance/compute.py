"""Daily attendance status, computed set-based: one DELETE and one INSERT … SELECT per range.

No Python loop over employees or days: the database joins employees × calendar days × the day's punch
aggregate (MIN/MAX/COUNT of punch minutes) × the shift, and classifies every day with CASE
expressions. Only portable SQL is used (integer arithmetic, CASE, COALESCE, EXISTS, date comparisons
with bound parameters), so SQLite and PostgreSQL produce the same rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from hrguard.people.models import Employee

from .calendar import ensure_calendar
from .models import (
    AttendanceDay,
    DayKind,
    DayStatus,
    Punch,
    Shift,
    ShiftAssignment,
    WorkCalendarDay,
)
from .shifts import default_shift

# Above this many employees the recomputation covers the whole company (no giant IN list).
MAX_EMPLOYEE_FILTER = 500

_SQL = """
INSERT INTO {day} (company_id, employee_id, date, day_kind, shift_id, punches, first_minute, last_minute,
                   status, late_minutes, early_minutes, overtime_minutes)
SELECT x.company_id, x.employee_id, x.date, x.kind, x.shift_id, COALESCE(x.n, 0), x.f, x.l,
    CASE
        WHEN x.kind <> '{workday}' THEN
            CASE WHEN x.n IS NULL OR x.n < 2 THEN '{missing}' ELSE '{rest_work}' END
        WHEN x.on_leave = 1 THEN '{leave}'
        WHEN x.n IS NULL THEN '{absent}'
        WHEN x.n < 2 THEN '{missing}'
        WHEN x.f > x.late_after AND x.l < x.end_minute THEN '{late_early}'
        WHEN x.f > x.late_after THEN '{late}'
        WHEN x.l < x.end_minute THEN '{early}'
        ELSE '{normal}'
    END,
    CASE WHEN x.kind = '{workday}' AND x.on_leave = 0 AND x.n >= 2 AND x.f > x.late_after
         THEN x.f - x.start_minute ELSE 0 END,
    CASE WHEN x.kind = '{workday}' AND x.on_leave = 0 AND x.n >= 2 AND x.l < x.end_minute
         THEN x.end_minute - x.l ELSE 0 END,
    CASE
        WHEN x.n IS NULL OR x.n < 2 THEN 0
        WHEN x.kind = '{workday}' AND x.on_leave = 0 AND x.l - x.end_minute >= x.ot_min THEN x.l - x.end_minute
        WHEN x.kind <> '{workday}' AND x.l - x.f >= x.ot_min THEN x.l - x.f
        ELSE 0
    END
FROM (
    SELECT e.company_id AS company_id, e.id AS employee_id, c.date AS date, c.kind AS kind, s.id AS shift_id,
        s.start_minute AS start_minute, s.end_minute AS end_minute,
        s.start_minute + s.grace_minutes AS late_after, s.overtime_threshold_minutes AS ot_min,
        p.n AS n, p.f AS f, p.l AS l,
        {on_leave} AS on_leave
    FROM {employee} e
    JOIN {calendar} c ON c.company_id = e.company_id AND c.date >= %s AND c.date <= %s
    LEFT JOIN {assignment} sa ON sa.employee_id = e.id
    JOIN {shift} s ON s.id = COALESCE(sa.shift_id, %s)
    LEFT JOIN (
        SELECT employee_id, work_date, COUNT(*) AS n, MIN(minute) AS f, MAX(minute) AS l
        FROM {punch}
        WHERE company_id = %s AND work_date >= %s AND work_date <= %s {punch_filter}
        GROUP BY employee_id, work_date
    ) p ON p.employee_id = e.id AND p.work_date = c.date
    WHERE e.company_id = %s AND e.hire_date <= c.date
        AND (e.termination_date IS NULL OR e.termination_date >= c.date)
        AND (c.kind = '{workday}' OR p.n IS NOT NULL) {employee_filter}
) x
"""

_ON_LEAVE = """CASE WHEN EXISTS (
            SELECT 1 FROM {leave_table} lv
            WHERE lv.employee_id = e.id AND lv.status = %s AND lv.start_date <= c.date AND lv.end_date >= c.date
        ) THEN 1 ELSE 0 END"""


@dataclass(frozen=True)
class AbsenceSource:
    """Approved absences that make a workday a leave day: a table with ``employee_id``, ``status``,
    ``start_date`` and ``end_date`` columns, and the status value that counts. The leave app, which sits
    above attendance, registers its requests table here (``register_absence_source``)."""

    table: Callable[[], str]
    status: str


_ABSENCE: list[AbsenceSource] = []


def register_absence_source(source: AbsenceSource) -> None:
    _ABSENCE[:] = [source]


def _sql(punch_filter: str, employee_filter: str) -> str:
    return _SQL.format(
        day=AttendanceDay._meta.db_table,
        on_leave=_ON_LEAVE.format(leave_table=_ABSENCE[0].table()) if _ABSENCE else "0",
        employee=Employee._meta.db_table,
        calendar=WorkCalendarDay._meta.db_table,
        assignment=ShiftAssignment._meta.db_table,
        shift=Shift._meta.db_table,
        punch=Punch._meta.db_table,
        punch_filter=punch_filter,
        employee_filter=employee_filter,
        workday=DayKind.WORKDAY.value,
        normal=DayStatus.NORMAL.value,
        late=DayStatus.LATE.value,
        early=DayStatus.EARLY.value,
        late_early=DayStatus.LATE_EARLY.value,
        missing=DayStatus.MISSING.value,
        absent=DayStatus.ABSENT.value,
        leave=DayStatus.LEAVE.value,
        rest_work=DayStatus.REST_WORK.value,
    )


def refresh_statistics(*models: type) -> None:
    """Refresh the planner's statistics of these tables after a bulk load (default: punches and calendar).

    Without it PostgreSQL still believes the new dates hold no punches and picks a nested loop that
    re-aggregates punches for every employee-day (minutes instead of seconds), and both databases scan a
    whole company-month of attendance days for one page of 50 employees instead of using the
    (employee, date) index. Sampling keeps it cheap on big tables (PostgreSQL's ANALYZE samples a bounded
    number of rows; SQLite is told to look at a bounded number of rows per index)."""
    tables = [m._meta.db_table for m in (models or (Punch, WorkCalendarDay))]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def recompute_days(
    company_id: int, start: dt.date, end: dt.date, employee_ids: Sequence[int] | None = None
) -> int:
    """Recompute the attendance days of [start, end] (for some employees or all); returns rows written.

    Call inside or outside a transaction; it runs in one of its own (nested: a savepoint)."""
    if end < start:
        return 0
    ensure_calendar(company_id, start, end)
    shift_id = default_shift(company_id).pk
    ids = list(dict.fromkeys(employee_ids)) if employee_ids is not None else None
    if ids is not None and len(ids) > MAX_EMPLOYEE_FILTER:
        ids = None
    with transaction.atomic():
        days = AttendanceDay.objects.filter(company_id=company_id, date__gte=start, date__lte=end)
        if ids is not None:
            if not ids:
                return 0
            days = days.filter(employee_id__in=ids)
        days._raw_delete(days.db)  # type: ignore[attr-defined]  # no cascades: plain DELETE … WHERE
        marks = ", ".join(["%s"] * len(ids)) if ids else ""
        punch_filter = f"AND employee_id IN ({marks})" if ids else ""
        employee_filter = f"AND e.id IN ({marks})" if ids else ""
        params: list[object] = [source.status for source in _ABSENCE]
        params += [start, end, shift_id, company_id, start, end]
        params += ids or []
        params += [company_id]
        params += ids or []
        with connection.cursor() as cursor:
            cursor.execute(_sql(punch_filter, employee_filter), params)
            return max(cursor.rowcount, 0)
