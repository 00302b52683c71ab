"""The company work calendar: seeded from the official calendar (``chinese-calendar``), editable by HR,
falling back to plain weekends — with a visible warning, never a crash — for years the package does
not know yet (1.11.0 knows 2004–2026 and raises NotImplementedError beyond)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import chinese_calendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.platform.errors import require
from hrguard.records.inputs import Errors

from .models import CalendarSource, DayKind, WorkCalendarDay

SATURDAY = 5


def official_day(day: dt.date) -> tuple[str, str] | None:
    """(kind, name) from the official calendar, or None when the package does not cover the year.

    A day off with a festival name is a public holiday unless it is a weekend day or a day off given
    in lieu of a swapped workday (调休); those are rest days (different overtime pay)."""
    try:
        workday = chinese_calendar.is_workday(day)
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        in_lieu = chinese_calendar.is_in_lieu(day)
    except NotImplementedError:
        return None
    label = _holiday_name(name)
    if workday:
        return DayKind.WORKDAY, (_("Swapped workday") if day.weekday() >= SATURDAY else "")
    if is_holiday and name and not in_lieu and day.weekday() < SATURDAY:
        return DayKind.HOLIDAY, label
    if in_lieu:
        return DayKind.RESTDAY, _("Day off in lieu") + (f" · {label}" if label else "")
    return DayKind.RESTDAY, label


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(name: Any) -> str:
    if not name:
        return ""
    text = str(name)
    return _HOLIDAY_NAMES.get(text, text)


def _generated(company_id: int, day: dt.date) -> WorkCalendarDay:
    found = official_day(day)
    if found is None:
        kind = DayKind.RESTDAY if day.weekday() >= SATURDAY else DayKind.WORKDAY
        return WorkCalendarDay(company_id=company_id, date=day, kind=kind, source=CalendarSource.FALLBACK)
    kind, name = found
    return WorkCalendarDay(company_id=company_id, date=day, kind=kind, name=name[:60], source=CalendarSource.OFFICIAL)


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def ensure_calendar(company_id: int, start: dt.date, end: dt.date) -> None:
    """Create the missing calendar rows of [start, end] (existing rows, e.g. HR edits, are kept)."""
    if end < start:
        return
    have = set(
        WorkCalendarDay.objects.filter(company_id=company_id, date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )
    missing = [_generated(company_id, d) for d in _days(start, end) if d not in have]
    if missing:
        WorkCalendarDay.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)


def fallback_years(company_id: int, start: dt.date, end: dt.date) -> list[int]:
    """Years in [start, end] whose calendar is weekends-only (the official one was not available)."""
    dates = WorkCalendarDay.objects.filter(
        company_id=company_id, date__gte=start, date__lte=end, source=CalendarSource.FALLBACK
    ).values_list("date", flat=True)
    return sorted({d.year for d in dates})


def calendar_warning(company_id: int, start: dt.date, end: dt.date) -> str:
    years = fallback_years(company_id, start, end)
    if not years:
        return ""
    return _(
        "The official holiday calendar for %(years)s is not available yet: those dates count plain weekends "
        "as rest days. Edit the calendar or re-seed it when the State Council publishes the year."
    ) % {"years": "、".join(str(y) for y in years)}


def count_days(company_id: int, start: dt.date, end: dt.date, kinds: tuple[str, ...]) -> int:
    ensure_calendar(company_id, start, end)
    return WorkCalendarDay.objects.filter(
        company_id=company_id, date__gte=start, date__lte=end, kind__in=kinds
    ).count()


@transaction.atomic
def set_day(actor: User, company: Company, day: Any, kind: Any, name: Any = "") -> WorkCalendarDay:
    """HR marks one date as workday / rest day / holiday (kept over any re-seeding)."""
    require(actor, "attendance.manage_attendance")
    if actor.company_id != company.pk:
        raise ValidationError(_("You can only change your own company's calendar."))
    errors = Errors()
    date = errors.date(day, "date")
    kind_value = errors.choice(kind, "kind", DayKind)
    label = errors.text(name, "name", max_length=60)
    errors.raise_if_any()
    assert date is not None
    row, _created = WorkCalendarDay.objects.update_or_create(
        company=company, date=date,
        defaults={"kind": kind_value, "name": label, "source": CalendarSource.MANUAL},
    )
    evidence.record(company, actor, "calendar.day_set", row, {"date": date, "kind": kind_value, "name": label})
    return row


@transaction.atomic
def reseed_year(actor: User, company: Company, year: int) -> dict[str, int]:
    """Regenerate a year's non-manual days from the official calendar (after a package update)."""
    require(actor, "attendance.manage_attendance")
    if actor.company_id != company.pk:
        raise ValidationError(_("You can only change your own company's calendar."))
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    deleted, _detail = WorkCalendarDay.objects.filter(
        company=company, date__gte=start, date__lte=end
    ).exclude(source=CalendarSource.MANUAL).delete()
    ensure_calendar(company.pk, start, end)
    fallback = WorkCalendarDay.objects.filter(
        company=company, date__gte=start, date__lte=end, source=CalendarSource.FALLBACK
    ).count()
    result = {"year": year, "replaced": deleted, "fallback_days": fallback}
    evidence.record(company, actor, "calendar.reseeded", None, result)
    return result


def add_workdays(company_id: int, start: dt.date, n: int) -> dt.date:
    """The ``n``-th workday after ``start`` on the company calendar (``start`` itself when n is 0).
    Years the official calendar does not know count plain weekends (see ``calendar_warning``)."""
    if n <= 0:
        return start
    span = n * 2 + 30  # enough for the longest official holiday run (Spring Festival, National Day)
    while True:
        ensure_calendar(company_id, start + dt.timedelta(days=1), start + dt.timedelta(days=span))
        days = list(
            WorkCalendarDay.objects.filter(
                company_id=company_id, date__gt=start, date__lte=start + dt.timedelta(days=span),
                kind=DayKind.WORKDAY,
            ).order_by("date").values_list("date", flat=True)[n - 1:n]
        )
        if days:
            return days[0]
        span *= 2
