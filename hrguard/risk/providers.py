"""The built-in signal providers: aggregates (``GROUP BY employee, month``) over the record apps below risk,
all signals of one table computed in one pass over it (``registry.Table``). These are read-only, unscoped
set reads of the whole company for the scan (no viewer: who sees an alert is decided on the alert); they
are the only place risk reads the record tables.

Company policy numbers that are not law (the claim amount counted as "over threshold") are here,
documented; statutory numbers would come from ``hrguard/law``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, ExpressionWrapper, FloatField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from hrguard.attendance.models import AttendanceDay, DayStatus
from hrguard.discipline.models import SUBSTANTIATED, ClientComplaint, Violation
from hrguard.expenses.models import ExpenseClaim, Trip
from hrguard.leave.models import LeaveRequest, LeaveType
from hrguard.people.models import Employee
from hrguard.performance.models import ImprovementPlan, PlanStatus, Review

from .registry import SignalSpec, Table, register_outcome, register_signal
from .sql import DaysBetween, MonthStart

# A single expense claim above this amount (yuan) counts in ``claims_over_threshold`` (company policy).
CLAIM_THRESHOLD = Decimal("5000")
# Ratings the default bands give below 70 points (performance.services.DEFAULT_BANDS): "failing".
FAILING_RATINGS = ("C", "D")
LATE_STATES = (DayStatus.LATE, DayStatus.LATE_EARLY)
LIVE_CLAIMS = ("submitted", "approved")


def monthly_query(qs: QuerySet[Any], date_field: str, agg: Any) -> QuerySet[Any]:
    """``(employee_id, m, v)`` per employee and month — the one aggregate query of a signal."""
    return (qs.annotate(m=TruncMonth(date_field)).values("employee_id", "m").annotate(v=agg)
            .values_list("employee_id", "m", "v").order_by())


def _days(qs: QuerySet[Any], agg: Any) -> Iterable[tuple[int, float]]:
    return ((e, float(v)) for e, v in qs.values("employee_id").annotate(v=agg).values_list("employee_id", "v")
            .order_by() if v)


def _att(company_id: int, first: dt.date, stop: dt.date) -> QuerySet[AttendanceDay]:
    return AttendanceDay.objects.filter(company_id=company_id, date__gte=first, date__lt=stop)


def late_arrivals_days(company_id: int, first: dt.date, last: dt.date) -> Iterable[tuple[int, float]]:
    return _days(_att(company_id, first, last + dt.timedelta(days=1)).filter(status__in=LATE_STATES), Count("id"))


def absences_days(company_id: int, first: dt.date, last: dt.date) -> Iterable[tuple[int, float]]:
    return _days(_att(company_id, first, last + dt.timedelta(days=1)).filter(status=DayStatus.ABSENT), Count("id"))


def _leave(company_id: int, first: dt.date, stop: dt.date, leave_type: str = "") -> QuerySet[LeaveRequest]:
    qs = LeaveRequest.objects.filter(company_id=company_id, start_date__gte=first, start_date__lt=stop,
                                     status__in=("approved", "pending"))
    return qs.filter(leave_type=leave_type) if leave_type else qs


def table_signal(name: str, label: Any, unit: Any, source: str, table: Table, agg: Any, where: Any = None,
                 **kw: Any) -> SignalSpec:
    """A signal that is one aggregate over one table's rows (those matching ``where``): computed in the
    table's one pass by the scan; ``agg(q)`` builds the aggregate over the rows matching q."""

    def query(c: int, a: dt.date, b: dt.date) -> QuerySet[Any]:
        rows = table.rows(c, a, b)
        if where is not None:
            rows = rows.filter(where)
        return (rows.annotate(m=MonthStart(table.date_field)).values("employee_id", "m").annotate(v=agg(None))
                .values_list("employee_id", "m", "v").order_by())

    def monthly(c: int, a: dt.date, b: dt.date) -> Iterable[tuple[int, dt.date, float]]:
        for emp, month, value in query(c, a, b).iterator(chunk_size=20000):
            if value:
                yield emp, month, float(value)

    return SignalSpec(name, label, unit, source, monthly, query=query, table=table, agg=agg, where=where, **kw)


def _count(q: Any) -> Any:
    return Count("id", filter=q)


def _sum(column: str) -> Any:
    return lambda q: Sum(column, filter=q)


LEAVE = Table("leave", _leave, "start_date")
ATTENDANCE = Table("attendance", _att, "date")


def _leave_signals() -> list[SignalSpec]:
    specs = [
        table_signal("leave_days", _("Leave days"), _("days"), "leave", LEAVE, _sum("days")),
        table_signal("leave_requests", _("Leave requests"), _("requests"), "leave", LEAVE, _count),
    ]
    for value, label in LeaveType.choices:
        specs.append(table_signal(f"leave_days_{value}", _("Leave days: %(type)s") % {"type": label}, _("days"),
                                  "leave", LEAVE, _sum("days"), Q(leave_type=value)))
    return specs


def _trips(company_id: int, first: dt.date, stop: dt.date) -> QuerySet[Trip]:
    return Trip.objects.filter(company_id=company_id, start_date__gte=first, start_date__lt=stop,
                               status__in=LIVE_CLAIMS)


def _travel_days(q: Any) -> Any:
    """Days away per month of departure, both ends counted: Σ (return − departure) + number of trips."""
    return ExpressionWrapper(Count("id", filter=q) + Sum(DaysBetween("end_date", "start_date"), filter=q),
                             output_field=FloatField())


def _claims(company_id: int, first: dt.date, stop: dt.date) -> QuerySet[ExpenseClaim]:
    return ExpenseClaim.objects.filter(company_id=company_id, spent_on__gte=first, spent_on__lt=stop,
                                       status__in=LIVE_CLAIMS)


def _reviews(company_id: int, first: dt.date, stop: dt.date) -> QuerySet[Review]:
    return Review.objects.filter(company_id=company_id, cycle__end_date__gte=first, cycle__end_date__lt=stop,
                                 total_score__isnull=False)


def open_plans(company_id: int, first: dt.date, stop: dt.date) -> Iterable[tuple[int, dt.date, float]]:
    """Improvement plans running at some time in the month: started before its end, not closed before
    its start (one query over the plans that overlap the period)."""
    from .windows import month_starts

    plans = (ImprovementPlan.objects.filter(company_id=company_id, start_date__lt=stop)
             .filter(Q(status=PlanStatus.OPEN) | Q(closed_at__date__gte=first))
             .values_list("employee_id", "start_date", "status", "closed_at").order_by())
    counts: dict[tuple[int, dt.date], int] = {}
    months = month_starts(first, stop)
    for emp, start, status, closed in plans:
        closed_day = closed.date() if closed is not None and status != PlanStatus.OPEN else dt.date.max
        for month in months:
            nxt = month_starts(month, None, 1)[0]
            if start < nxt and closed_day >= month:
                counts[(emp, month)] = counts.get((emp, month), 0) + 1
    return ((e, m, float(n)) for (e, m), n in counts.items())


def _violations(company_id: int, first: dt.date, stop: dt.date) -> QuerySet[Violation]:
    return Violation.objects.filter(company_id=company_id, occurred_on__gte=first, occurred_on__lt=stop).filter(
        Q(decision="") | Q(decision__in=SUBSTANTIATED))


def _complaints(company_id: int, first: dt.date, stop: dt.date) -> QuerySet[ClientComplaint]:
    return ClientComplaint.objects.filter(company_id=company_id, received_on__gte=first, received_on__lt=stop)


def left_later(company_id: int, employee_ids: set[int], after: dt.date) -> set[int]:
    return set(Employee.objects.filter(company_id=company_id, pk__in=employee_ids, termination_date__gte=after)
               .values_list("pk", flat=True))


TRIPS = Table("trips", _trips, "start_date")
CLAIMS = Table("claims", _claims, "spent_on")
REVIEWS = Table("reviews", _reviews, "cycle__end_date")
VIOLATIONS = Table("violations", _violations, "occurred_on")
COMPLAINTS = Table("complaints", _complaints, "received_on")


def _hours(q: Any) -> Any:
    return ExpressionWrapper(Sum("overtime_minutes", filter=q) / 60.0, output_field=FloatField())


def register_builtin() -> None:
    for spec in [
        table_signal("late_arrivals", _("Late arrivals"), _("times"), "attendance", ATTENDANCE, _count,
                     Q(status__in=LATE_STATES), days=late_arrivals_days),
        table_signal("absences", _("Absences"), _("days"), "attendance", ATTENDANCE, _count,
                     Q(status=DayStatus.ABSENT), days=absences_days),
        table_signal("overtime_hours", _("Overtime hours"), _("hours"), "attendance", ATTENDANCE, _hours,
                     Q(overtime_minutes__gt=0)),
        *_leave_signals(),
        table_signal("trips", _("Business trips"), _("trips"), "expenses", TRIPS, _count),
        table_signal("travel_days", _("Travel days"), _("days"), "expenses", TRIPS, _travel_days),
        table_signal("expense_total", _("Expense claims total"), _("yuan"), "expenses", CLAIMS, _sum("amount")),
        table_signal("claims_over_threshold", _("Expense claims over the threshold"), _("claims"), "expenses",
                     CLAIMS, _count, Q(amount__gt=CLAIM_THRESHOLD)),
        table_signal("performance_score", _("Performance score"), _("points"), "performance", REVIEWS,
                     lambda q: Avg("total_score", filter=q), combine="mean"),
        table_signal("performance_failing", _("Failing performance rating"), _("reviews"), "performance",
                     REVIEWS, _count, Q(rating__in=FAILING_RATINGS)),
        SignalSpec("open_plans", _("Open improvement plans"), _("plans"), "performance", open_plans,
                   combine="mean"),
        table_signal("violations", _("Violations"), _("times"), "discipline", VIOLATIONS, _count),
        table_signal("complaints", _("Client complaints"), _("times"), "discipline", COMPLAINTS, _count),
    ]:
        register_signal(spec)
    register_outcome("left", left_later)
