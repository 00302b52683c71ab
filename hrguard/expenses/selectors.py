"""Read queries on trips, claims and advances (self, line managers, finance and HR), and
``outstanding_for(employee)``, the money check of exit clearance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.people.models import Employee
from hrguard.platform.prepared import Prepared
from hrguard.records import processes
from hrguard.records.access import expenses_q

from .models import Advance, AdvanceKind, ApprovalStatus, ExpenseClaim, Trip

OUTSTANDING = ExpressionWrapper(F("amount") - F("repaid"), output_field=DecimalField(max_digits=12, decimal_places=2))


def trips(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[Trip]:
    qs = Trip.objects.filter(company_id=user.company_id).filter(expenses_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("employee", "employee__department")


def claims(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[ExpenseClaim]:
    qs = ExpenseClaim.objects.filter(company_id=user.company_id).filter(expenses_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("employee", "employee__department", "trip")


def awaiting(user: User, model: Any, limit: int = 200) -> list[Any]:
    """Requests whose approval process waits for this user (its open step is theirs or their role's:
    the line manager's, finance's, or whoever the company's template names), due first."""
    subject_type = f"expenses.{model._meta.model_name}"
    ids = processes.pending_ids(user=user, subject_type=subject_type, limit=limit)
    rows = {r.pk: r for r in model.objects.filter(company_id=user.company_id, pk__in=ids)
            .select_related("employee", "employee__department")}
    return [rows[i] for i in ids if i in rows]


def progress_of(rows: list[Any]) -> list[Any]:
    """Each trip or claim with ``progress``: where its approval stands (who decided, who it waits for)."""
    if rows:
        found = processes.status(subject_type=f"expenses.{rows[0]._meta.model_name}", company_id=rows[0].company_id,
                                 ids=[r.pk for r in rows])
        for r in rows:
            r.progress = found.get(r.pk)
    return rows


def advances(user: User, *, employee_id: int | None = None, outstanding_only: bool = False) -> QuerySet[Advance]:
    qs = Advance.objects.filter(company_id=user.company_id).filter(expenses_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if outstanding_only:
        qs = qs.filter(repaid__lt=F("amount"))
    return qs.select_related("employee", "employee__department", "trip")


def outstanding_by_employee(user: User) -> QuerySet[Any]:
    """Finance overview: per employee, advances and loans still owed (one GROUP BY)."""
    return (
        Advance.objects.filter(company_id=user.company_id, repaid__lt=F("amount"))
        .filter(expenses_q(user))
        .order_by()
        .values("employee_id", "employee__employee_no", "employee__name", "employee__department__name",
                "employee__status")
        .annotate(outstanding=Sum(OUTSTANDING), advances=Sum(OUTSTANDING, filter=Q(kind="advance")),
                  loans=Sum(OUTSTANDING, filter=Q(kind="loan")))
        .order_by("-outstanding", "employee__employee_no")
    )


def outstanding_for_employee(employee: Employee) -> Decimal:
    """What the employee still owes the company (advances + loans): ``outstanding_for(employee).total``.
    On every profile page: the sum grouped by the one employee, compiled once (``platform.prepared``)."""
    totals = _OUTSTANDING.rows(company_id=employee.company_id, employee_id=employee.pk)
    return (totals[0] if totals else None) or Decimal(0)


_OUTSTANDING = Prepared(lambda *, company_id, employee_id: Advance.objects.filter(
    company_id=company_id, employee_id=employee_id,
).order_by().values("employee_id").annotate(t=Sum(OUTSTANDING)).values_list("t", flat=True))


@dataclass(frozen=True)
class OutstandingItem:
    """One advance or loan not fully repaid."""

    id: int
    kind: str  # AdvanceKind: "advance" (cash advance, 备用金) | "loan" (员工借款)
    purpose: str
    issued_on: dt.date
    due_on: dt.date | None
    amount: Decimal
    repaid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.repaid


@dataclass(frozen=True)
class Outstanding:
    """Money matters open between the company and one employee (see ``outstanding_for``)."""

    items: tuple[OutstandingItem, ...]
    advances: Decimal  # still owed on cash advances
    loans: Decimal  # still owed on loans
    pending_claims: int  # expense claims neither approved nor rejected yet (the company may owe money)
    pending_claims_amount: Decimal

    @property
    def total(self) -> Decimal:
        """What the employee still owes the company."""
        return self.advances + self.loans

    @property
    def clear(self) -> bool:
        """Nothing owed either way and nothing waiting: the exit-clearance money check passes."""
        return self.total == 0 and self.pending_claims == 0

    def reasons(self) -> list[str]:
        """Human-readable blockers for a gate, one per open item (empty when ``clear``)."""
        out = [
            _("%(kind)s #%(id)d (%(purpose)s): ¥%(left)s outstanding")
            % {"kind": AdvanceKind(item.kind).label, "id": item.id, "purpose": item.purpose, "left": item.outstanding}
            for item in self.items
        ]
        if self.pending_claims:
            out.append(_("%(n)d expense claim(s) totalling ¥%(amount)s still awaiting approval")
                       % {"n": self.pending_claims, "amount": self.pending_claims_amount})
        return out


def outstanding_for(employee: Employee) -> Outstanding:
    """EXIT-CLEARANCE ENTRY POINT: what is still open in money between the company and ``employee``.

    Returns advances and loans not fully repaid (each item, and totals per kind: ``total`` is what the
    employee owes) and the expense claims still in approval (submitted or approved by the manager only).
    ``clear`` is True when nothing is open; ``reasons()`` lists the blockers for a gate's message.

    Not scoped to a viewer: the caller (the offboarding gate, evaluated server-side) decides who may see
    the result. Two queries, whatever the number of records; tenant-safe (filtered by the employee's
    company). Amounts are ``Decimal`` yuan with 2 places."""
    rows = list(
        Advance.objects.filter(company_id=employee.company_id, employee=employee, repaid__lt=F("amount"))
        .order_by("issued_on", "id")
        .values_list("id", "kind", "purpose", "issued_on", "due_on", "amount", "repaid")
    )
    items = tuple(OutstandingItem(*row) for row in rows)
    pending = ExpenseClaim.objects.filter(
        company_id=employee.company_id, employee=employee,
        status=ApprovalStatus.SUBMITTED,
    ).aggregate(n=Count("id"), amount=Sum("amount"))
    zero = Decimal("0.00")
    return Outstanding(
        items=items,
        advances=sum((i.outstanding for i in items if i.kind == AdvanceKind.TRAVEL_ADVANCE), zero),
        loans=sum((i.outstanding for i in items if i.kind == AdvanceKind.LOAN), zero),
        pending_claims=pending["n"] or 0,
        pending_claims_amount=pending["amount"] or zero,
    )


def summary_part(user: User, employee: Employee, summary: Any) -> None:
    """Money the employee still owes, on their profile (``hrguard.records.summary``)."""
    if user.has_perm("expenses.view_expenses", employee):
        summary.can_expenses = True
        summary.outstanding = outstanding_for_employee(employee)
