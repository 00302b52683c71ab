"""Read queries on attendance, scoped to what the user may see. Monthly summaries are one GROUP BY
over the computed days (Django aggregates → the same SQL shape on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from hrguard.core.models import User
from hrguard.people.models import Employee
from hrguard.records.access import people_q

from . import statutory
from .models import AttendanceDay, DayKind, DayStatus, PunchDeviceProfile, PunchImport, Shift, WorkCalendarDay


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def visible_days(user: User) -> QuerySet[AttendanceDay]:
    """Every attendance day the user may see (the scope of ``days`` without its period)."""
    return AttendanceDay.objects.filter(company_id=user.company_id).filter(people_q(user)).select_related(
        "employee", "employee__department", "shift")


def days(user: User, start: dt.date, end: dt.date, *, employee_id: int | None = None,
         status: str = "", department_path: str = "") -> QuerySet[AttendanceDay]:
    qs = visible_days(user).filter(date__gte=start, date__lte=end)
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status == "exceptions":
        qs = qs.exclude(status__in=[DayStatus.NORMAL, DayStatus.LEAVE])
    elif status:
        qs = qs.filter(status=status)
    if department_path:
        qs = qs.filter(employee__department_path__startswith=department_path)
    return qs.select_related("employee", "employee__department", "shift").order_by("date", "employee__employee_no")


def latest_day(user: User, until: dt.date) -> dt.date | None:
    """The newest day up to ``until`` with computed attendance the user may see (punches of today are
    usually imported in the evening: the daily page then opens on the last imported day)."""
    return visible_days(user).filter(date__lte=until).aggregate(last=Max("date"))["last"]


def _minutes(expr: Q | None = None) -> Coalesce:
    return Coalesce(Sum("overtime_minutes", filter=expr), Value(0))


def monthly_summary(user: User, year: int, month: int, *, department_path: str = "",
                    employee_id: int | None = None, employee_ids: list[int] | None = None,
                    limits: tuple[int, int] | None = None) -> QuerySet[Any]:
    """One row per employee: workdays, late days/minutes, early leaves, absences, missing punches, leave
    days, overtime minutes (workday / rest day / holiday) and flags against the overtime limits —
    ``limits`` = (monthly, daily) minutes, by default the statutory ones (Labor Law Art. 41)."""
    start, end = month_range(year, month)
    if limits is None:
        limits = (statutory.monthly_overtime_limit_minutes(), statutory.daily_overtime_limit_minutes())
    monthly_limit, daily_limit = limits
    if employee_ids is not None:
        # A page of employees: keep only this company's ids first (a primary-key lookup), then read just
        # their days through the (employee, date) index instead of scanning the company's whole month.
        own = list(Employee.objects.filter(company_id=user.company_id, pk__in=list(employee_ids)).values_list(
            "pk", flat=True))
        qs = AttendanceDay.objects.filter(employee_id__in=own, date__gte=start, date__lte=end)
    else:
        qs = AttendanceDay.objects.filter(company_id=user.company_id, date__gte=start, date__lte=end)
    qs = qs.filter(people_q(user))
    if department_path:
        qs = qs.filter(employee__department_path__startswith=department_path)
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    late = Q(status__in=[DayStatus.LATE, DayStatus.LATE_EARLY])
    early = Q(status__in=[DayStatus.EARLY, DayStatus.LATE_EARLY])
    return (
        qs.order_by()
        .values("employee_id", "employee__employee_no", "employee__name", "employee__department__name")
        .annotate(
            workdays=Count("id", filter=Q(day_kind=DayKind.WORKDAY)),
            normal_days=Count("id", filter=Q(status=DayStatus.NORMAL)),
            late_days=Count("id", filter=late),
            late_minutes=Coalesce(Sum("late_minutes"), Value(0)),
            early_days=Count("id", filter=early),
            early_minutes=Coalesce(Sum("early_minutes"), Value(0)),
            absent_days=Count("id", filter=Q(status=DayStatus.ABSENT)),
            missing_days=Count("id", filter=Q(status=DayStatus.MISSING)),
            leave_days=Count("id", filter=Q(status=DayStatus.LEAVE)),
            workday_overtime=_minutes(Q(day_kind=DayKind.WORKDAY)),
            restday_overtime=_minutes(Q(day_kind=DayKind.RESTDAY)),
            holiday_overtime=_minutes(Q(day_kind=DayKind.HOLIDAY)),
            long_days=Count("id", filter=Q(overtime_minutes__gt=daily_limit, day_kind=DayKind.WORKDAY)),
            # Last: the alias shadows the column for everything annotated after it.
            overtime_minutes=_minutes(),
        )
        .annotate(
            over_monthly_limit=Case(
                When(overtime_minutes__gt=monthly_limit, then=Value(1)), default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("employee__employee_no")
    )


def monthly_summary_page(user: User, year: int, month: int, number: int, size: int = 50, *,
                         department_path: str = "", limits: tuple[int, int] | None = None
                         ) -> tuple[list[dict[str, Any]], bool]:
    """One page of the summary: pick the page's employees first (by employee number), then aggregate only
    their days — a page costs the same whatever the size of the company."""
    from hrguard.people.selectors import visible_employees

    employees = visible_employees(user)
    if department_path:
        employees = employees.filter(department_path__startswith=department_path)
    offset = (max(1, number) - 1) * size
    ids = list(employees.order_by("employee_no").values_list("id", flat=True)[offset: offset + size + 1])
    rows = list(monthly_summary(user, year, month, department_path=department_path, employee_ids=ids[:size],
                                limits=limits))
    return rows, len(ids) > size


def shifts(user: User) -> QuerySet[Shift]:
    return Shift.objects.filter(company_id=user.company_id).order_by("-is_default", "name")


def profiles(user: User) -> QuerySet[PunchDeviceProfile]:
    return PunchDeviceProfile.objects.filter(company_id=user.company_id).order_by("name")


def imports(user: User) -> QuerySet[PunchImport]:
    return PunchImport.objects.filter(company_id=user.company_id).select_related("created_by", "profile")


def calendar_days(user: User, year: int) -> QuerySet[WorkCalendarDay]:
    return WorkCalendarDay.objects.filter(
        company_id=user.company_id, date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    ).order_by("date")
