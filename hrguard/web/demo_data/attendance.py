"""A year of clock punches, imported month by month through ``attendance.importer.import_punches`` (the
bulk path: validation, batched inserts, set-based daily status, evidence per batch and per person).

Most people arrive 08:30–09:00 and leave after 18:00; a few are often late; now and then someone
forgets to punch out, leaves early, works late or on a rest day, or does not come (旷工)."""

from __future__ import annotations

import datetime as dt
import random

from hrguard.attendance import calendar, importer
from hrguard.attendance.models import DayKind, PunchImport, WorkCalendarDay
from hrguard.attendance.reader import RawPunch
from hrguard.law.contracts import add_months
from hrguard.people.models import Employee

from .base import Demo


def _months(demo: Demo) -> list[tuple[dt.date, dt.date, str]]:
    """(first, last, batch name) of each calendar month of the last 365 days, up to yesterday."""
    first, last = demo.today - dt.timedelta(days=365), demo.today - dt.timedelta(days=1)
    out = []
    while first <= last:
        end = min(last, add_months(first.replace(day=1), 1) - dt.timedelta(days=1))
        out.append((first, end, f"考勤机导出 {first:%Y-%m}"))
        first = end + dt.timedelta(days=1)
    return out


def _imported(demo: Demo) -> set[str]:
    return set(PunchImport.objects.filter(company=demo.company).values_list("filename", flat=True))


def done(demo: Demo) -> bool:
    return {name for _f, _l, name in _months(demo)} <= _imported(demo)


def _day_punches(rng: random.Random, habit: float, day: dt.date, workday: bool) -> list[tuple[int, str]]:
    """(minute, direction) of one person's punches on one day."""
    roll = rng.random()
    if not workday:
        if roll < 0.03:  # weekend overtime
            start = 540 + rng.randint(0, 60)
            return [(start, "in"), (start + 240 + rng.randint(0, 120), "out")]
        return []
    if roll < 0.006:
        return []  # absent without leave
    start = 510 + rng.randint(0, 28)  # 08:30–08:58
    if rng.random() < habit:
        start = 541 + rng.randint(0, 40)  # late: 09:01–09:41
    out = 1080 + rng.randint(0, 40)
    if roll > 0.85:
        out = 1110 + rng.randint(0, 150)  # overtime
    elif roll < 0.02:
        out = 1020 + rng.randint(0, 50)  # left early
    if 0.02 <= roll < 0.035:
        return [(start, "in")]  # forgot to punch out
    return [(start, "in"), (out, "out")]


def seed(demo: Demo) -> int:
    """Each month one import, in its own transactions (a month already imported is skipped)."""
    rng = demo.rng("attendance")
    first, last = demo.today - dt.timedelta(days=365), demo.today - dt.timedelta(days=1)
    calendar.ensure_calendar(demo.company.pk, first, demo.today + dt.timedelta(days=31))
    imported = _imported(demo)
    kinds = dict(
        WorkCalendarDay.objects.filter(company=demo.company, date__gte=first, date__lte=last)
        .values_list("date", "kind")
    )
    people = list(
        Employee.objects.filter(company=demo.company).order_by("pk")
        .values_list("employee_no", "hire_date", "termination_date")
    )
    habits = {no: (0.18 if rng.random() < 0.05 else 0.03) for no, _h, _t in people}
    hr = demo.user("hr")
    total = 0
    for month_start, month_end, name in _months(demo):
        rows: list[RawPunch] = []
        for no, hired, left in people:
            day = max(month_start, hired)
            end = min(month_end, left) if left else month_end
            while day <= end:
                for minute, direction in _day_punches(rng, habits[no], day, kinds.get(day) == DayKind.WORKDAY):
                    moment = dt.timedelta(minutes=minute, seconds=rng.randint(0, 59))
                    when = dt.datetime.combine(day, dt.time()) + moment
                    rows.append(RawPunch(len(rows) + 1, no, f"{when:%Y-%m-%d %H:%M:%S}", direction=direction))
                day += dt.timedelta(days=1)
        if rows and name not in imported:  # rows drawn anyway: the RNG stays in step
            importer.import_punches(hr, demo.company, rows, source="api", filename=name)
            total += len(rows)
    return total
