"""The built-in signal providers: one aggregate query each (``GROUP BY employee, month``) over the record
apps below risk. These are read-only, unscoped set reads of the whole company for the scan (no viewer:
who sees an alert is decided on the alert); they are the only place risk reads the record tables.

Company policy numbers that are not law (the claim amount counted as "over threshold") are here,
documented; statutory numbers would come from ``hrguard/law``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from hrguard.attendance.models import AttendanceDay, DayStatus
from hrguard.discipline.models import SUBSTANTIATED, ClientComplaint, Violation
from hrguard.expenses.models import ExpenseClaim, Trip
from hrguard.leave.models import LeaveRequest, LeaveType
from hrguard.people.models import Employee
from hrguard.performance.models import ImprovementPlan, PlanStatus, Review

from .registry import SignalSpec, register_outcome, register_signal

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


def _monthly(qs: QuerySet[Any], date_field: str, agg: Any) -> Iterable[tuple[int, dt.date, float]]:
    rows = monthly_query(qs, date_field, agg)
    for emp, month, value in rows.iterator(chunk_size=20000):
        if value:
            yield emp, month if not isinstance(month, dt.datetime) else month.date(), float(value)


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


def aggregate_signal(name: str, label: Any, unit: Any, source: str, rows: Any, date_field: str, agg: Any,
                     **kw: Any) -> SignalSpec:
    """A signal that is one aggregate over one table: ``rows(company_id, first, stop)`` is the filtered
    queryset, ``agg`` the value per employee and month."""

    def query(c: int, a: dt.date, b: dt.date) -> QuerySet[Any]:
        return monthly_query(rows(c, a, b), date_field, agg)

    def monthly(c: int, a: dt.date, b: dt.date) -> Iterable[tuple[int, dt.date, float]]:
        return _monthly(rows(c, a, b), date_field, agg)

    return SignalSpec(name, label, unit, source, monthly, query=query, **kw)


def _leave_signals() -> list[SignalSpec]:
    specs = [
        aggregate_signal("leave_days", _("Leave days"), _("days"), "leave", _leave, "start_date", Sum("days")),
        aggregate_signal("leave_requests", _("Leave requests"), _("requests"), "leave", _leave, "start_date",
                         Count("id")),
    ]
    for value, label in LeaveType.choices:
        specs.append(aggregate_signal(
            f"leave_days_{value}", _("Leave days: %(type)s") % {"type": label}, _("days"), "leave",
            lambda c, a, b, t=value: _leave(c, a, b, t), "start_date", Sum("days")))
    return specs


def _trips(company_id: int, first: dt.date, stop: dt.date) -> QuerySet[Trip]:
    return Trip.objects.filter(company_id=company_id, start_date__gte=first, start_date__lt=stop,
                               status__in=LIVE_CLAIMS)


def travel_days(company_id: int, first: dt.date, stop: dt.date) -> Iterable[tuple[int, dt.date, float]]:
    """Days away per month of departure, both ends counted: Σ (return − departure) + number of trips."""
    span = ExpressionWrapper(F("end_date") - F("start_date"), output_field=DurationField())
    rows = (_trips(company_id, first, stop).annotate(m=TruncMonth("start_date")).values("employee_id", "m")
            .annotate(n=Count("id"), d=Sum(span)).values_list("employee_id", "m", "n", "d").order_by())
    for emp, month, n, days in rows.iterator(chunk_size=20000):
        yield emp, month, float(n + (days.days if days is not None else 0))


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


def _late(c: int, a: dt.date, b: dt.date) -> QuerySet[AttendanceDay]:
    return _att(c, a, b).filter(status__in=LATE_STATES)


def _absent(c: int, a: dt.date, b: dt.date) -> QuerySet[AttendanceDay]:
    return _att(c, a, b).filter(status=DayStatus.ABSENT)


def _overtime(c: int, a: dt.date, b: dt.date) -> QuerySet[AttendanceDay]:
    return _att(c, a, b).filter(overtime_minutes__gt=0)


def _big_claims(c: int, a: dt.date, b: dt.date) -> QuerySet[ExpenseClaim]:
    return _claims(c, a, b).filter(amount__gt=CLAIM_THRESHOLD)


def _failing(c: int, a: dt.date, b: dt.date) -> QuerySet[Review]:
    return _reviews(c, a, b).filter(rating__in=FAILING_RATINGS)


HOURS = ExpressionWrapper(Sum("overtime_minutes") / 60.0, output_field=FloatField())


def register_builtin() -> None:
    for spec in [
        aggregate_signal("late_arrivals", _("Late arrivals"), _("times"), "attendance", _late, "date", Count("id"),
                         days=late_arrivals_days),
        aggregate_signal("absences", _("Absences"), _("days"), "attendance", _absent, "date", Count("id"),
                         days=absences_days),
        aggregate_signal("overtime_hours", _("Overtime hours"), _("hours"), "attendance", _overtime, "date", HOURS),
        *_leave_signals(),
        aggregate_signal("trips", _("Business trips"), _("trips"), "expenses", _trips, "start_date", Count("id")),
        SignalSpec("travel_days", _("Travel days"), _("days"), "expenses", travel_days),
        aggregate_signal("expense_total", _("Expense claims total"), _("yuan"), "expenses", _claims, "spent_on",
                         Sum("amount")),
        aggregate_signal("claims_over_threshold", _("Expense claims over the threshold"), _("claims"), "expenses",
                         _big_claims, "spent_on", Count("id")),
        aggregate_signal("performance_score", _("Performance score"), _("points"), "performance", _reviews,
                         "cycle__end_date", Avg("total_score"), combine="mean"),
        aggregate_signal("performance_failing", _("Failing performance rating"), _("reviews"), "performance",
                         _failing, "cycle__end_date", Count("id")),
        SignalSpec("open_plans", _("Open improvement plans"), _("plans"), "performance", open_plans,
                   combine="mean"),
        aggregate_signal("violations", _("Violations"), _("violations"), "discipline", _violations, "occurred_on",
                         Count("id")),
        aggregate_signal("complaints", _("Client complaints"), _("complaints"), "discipline", _complaints,
                         "received_on", Count("id")),
    ]:
        register_signal(spec)
    register_outcome("left", left_later)
