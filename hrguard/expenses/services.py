"""Trips (出差申请) and expense claims (费用报销): the employee submits, the line manager approves, then
finance. Finance issues cash advances and loans and records repayments; what is still owed is what
exit clearance needs (``selectors.outstanding_for``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import Department, User
from hrguard.core.roles import Role
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import PermissionDenied, require
from hrguard.records import files, notices
from hrguard.records.inputs import Errors, as_int

from .models import Advance, AdvanceKind, AdvanceRepayment, ApprovalStatus, ExpenseCategory, ExpenseClaim, Trip

OWNER = "expense"
MAX_TRIP_DAYS = 366


@transaction.atomic
def submit_trip(actor: User, employee: Employee, data: dict[str, Any]) -> Trip:
    require(actor, "activity.submit_expenses", employee)
    errors = Errors()
    start = errors.date(data.get("start_date"), "start_date")
    end = errors.date(data.get("end_date"), "end_date")
    if start and end and end < start:
        errors.add("end_date", _("The return is before the departure."))
    elif start and end and (end - start).days > MAX_TRIP_DAYS:
        errors.add("end_date", _("A trip can last at most %(n)d days.") % {"n": MAX_TRIP_DAYS})
    destination = errors.text(data.get("destination"), "destination", max_length=200, required=True)
    purpose = errors.text(data.get("purpose"), "purpose", max_length=500, required=True)
    advance = errors.amount(data.get("advance_requested"), "advance_requested", required=False, allow_zero=True)
    errors.raise_if_any()
    trip = Trip.objects.create(
        company_id=employee.company_id, employee=employee, start_date=start, end_date=end, destination=destination,
        purpose=purpose, advance_requested=advance or Decimal(0), created_by=actor,
    )
    evidence.record(
        employee.company, actor, "trip.submitted", trip, employee=employee,
        data={"title": destination, "start": start, "end": end, "purpose": purpose,
              "advance_requested": trip.advance_requested},
    )
    notices.expense_submitted(actor, trip, "trip")
    return trip


@transaction.atomic
def submit_claim(actor: User, employee: Employee, data: dict[str, Any], uploads: list[Any] = ()) -> ExpenseClaim:
    """A claim needs at least one receipt (invoice photo or PDF)."""
    require(actor, "activity.submit_expenses", employee)
    errors = Errors()
    category = errors.choice(data.get("category"), "category", ExpenseCategory)
    spent_on = errors.date(data.get("spent_on"), "spent_on")
    if spent_on and spent_on > timezone.localdate():
        errors.add("spent_on", _("The date is in the future."))
    amount = errors.amount(data.get("amount"), "amount")
    description = errors.text(data.get("description"), "description", max_length=500, required=True)
    trip = None
    trip_id = as_int(data.get("trip"))
    if data.get("trip") not in (None, ""):
        trip = Trip.objects.filter(employee=employee, pk=trip_id).first() if trip_id else None
        if trip is None:
            errors.add("trip", _("Not one of your trips."))
    uploads = list(uploads)
    if not uploads:
        errors.add("files", _("Attach at least one receipt."))
    files.check_uploads(errors, uploads)
    errors.raise_if_any()
    claim = ExpenseClaim.objects.create(
        company_id=employee.company_id, employee=employee, trip=trip, category=category, spent_on=spent_on,
        amount=amount, description=description, created_by=actor,
    )
    stored = files.store(actor, OWNER, claim, employee, uploads)
    evidence.record(
        employee.company, actor, "expense.submitted", claim, employee=employee,
        data={"title": description, "category": category, "amount": amount, "spent_on": spent_on,
              "trip": trip.pk if trip else None, "files": files.described(stored)},
    )
    notices.expense_submitted(actor, claim, "expense")
    return claim


def _kind(obj: Trip | ExpenseClaim) -> str:
    return "trip" if isinstance(obj, Trip) else "expense"


def _locked(obj: Trip | ExpenseClaim) -> Trip | ExpenseClaim:
    return type(obj).objects.select_for_update().select_related("employee").get(pk=obj.pk)


def has_line_manager(employee: Employee) -> bool:
    if employee.manager_id and employee.manager_id != employee.pk:
        return True
    paths = Department.objects.filter(company_id=employee.company_id, manager__isnull=False).exclude(
        manager_id=employee.pk
    ).values_list("path", flat=True)
    return any(employee.department_path.startswith(p) for p in paths)


def may_decide_as_manager(actor: User, employee: Employee) -> bool:
    """The line manager; the company administrator when the employee has no line manager."""
    if actor.has_perm("activity.approve_expenses_manager", employee):
        return True
    return (
        actor.role == Role.ADMIN and actor.company_id == employee.company_id
        and employee.user_id != actor.pk and not has_line_manager(employee)
    )


@transaction.atomic
def decide(actor: User, obj: Trip | ExpenseClaim, approve: bool, note: Any = "") -> Trip | ExpenseClaim:
    """One approval step: the manager's while submitted, finance's after the manager approved."""
    obj = _locked(obj)
    employee = obj.employee
    errors = Errors()
    text = errors.text(note, "decision_note", max_length=500)
    if not approve and not text:
        errors.add("decision_note", _("Give a reason for the rejection."))
    now = timezone.now()
    if obj.status == ApprovalStatus.SUBMITTED:
        if not may_decide_as_manager(actor, employee):
            raise PermissionDenied("activity.approve_expenses_manager")
        errors.raise_if_any()
        obj.status = ApprovalStatus.MANAGER_APPROVED if approve else ApprovalStatus.REJECTED
        obj.manager_decided_by, obj.manager_decided_at = actor, now
        step = "manager"
    elif obj.status == ApprovalStatus.MANAGER_APPROVED:
        require(actor, "activity.approve_expenses_finance", employee)
        errors.raise_if_any()
        obj.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        obj.finance_decided_by, obj.finance_decided_at = actor, now
        step = "finance"
    else:
        raise ValidationError({"status": _("Nothing to approve: %(s)s.") % {"s": obj.get_status_display()}})
    obj.decision_note = text
    obj.save()
    kind = _kind(obj)
    evidence.record(
        obj.company_id, actor, f"{kind}.{'approved' if approve else 'rejected'}_by_{step}", obj, employee=employee,
        data={"title": getattr(obj, "destination", None) or getattr(obj, "description", ""), "note": text,
              "amount": getattr(obj, "amount", None) or getattr(obj, "advance_requested", None)},
    )
    notices.expense_decided(actor, obj, kind)
    if isinstance(obj, Trip) and obj.status == ApprovalStatus.APPROVED and obj.advance_requested > 0:
        _issue(actor, employee, AdvanceKind.TRAVEL_ADVANCE, obj.advance_requested, timezone.localdate(), None,
               _("Cash advance for the trip to %(d)s") % {"d": obj.destination}, obj)
    return obj


@transaction.atomic
def cancel(actor: User, obj: Trip | ExpenseClaim) -> Trip | ExpenseClaim:
    obj = _locked(obj)
    require(actor, "activity.submit_expenses", obj.employee)
    if obj.status != ApprovalStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a request nobody decided yet can be withdrawn.")})
    obj.status = ApprovalStatus.CANCELLED
    obj.save(update_fields=["status"])
    evidence.record(obj.company_id, actor, f"{_kind(obj)}.cancelled", obj, employee=obj.employee_id, data={})
    return obj


def _issue(actor: User, employee: Employee, kind: str, amount: Decimal, issued_on: Any, due_on: Any, purpose: str,
           trip: Trip | None) -> Advance:
    advance = Advance.objects.create(
        company_id=employee.company_id, employee=employee, kind=kind, trip=trip, amount=amount, issued_on=issued_on,
        due_on=due_on, purpose=purpose[:300], created_by=actor,
    )
    evidence.record(
        employee.company_id, actor, "advance.issued", advance, employee=employee,
        data={"title": purpose, "kind": kind, "amount": amount, "issued_on": issued_on, "due_on": due_on,
              "trip": trip.pk if trip else None},
    )
    return advance


@transaction.atomic
def issue_advance(actor: User, employee: Employee, data: dict[str, Any]) -> Advance:
    """Finance records a cash advance or a loan paid out to the employee."""
    require(actor, "activity.manage_advances", employee)
    errors = Errors()
    kind = errors.choice(data.get("kind"), "kind", AdvanceKind)
    amount = errors.amount(data.get("amount"), "amount")
    issued_on = errors.date(data.get("issued_on"), "issued_on")
    due_on = errors.date(data.get("due_on"), "due_on", required=False)
    if issued_on and due_on and due_on < issued_on:
        errors.add("due_on", _("The due date is before the payment date."))
    purpose = errors.text(data.get("purpose"), "purpose", max_length=300, required=True)
    errors.raise_if_any()
    assert amount is not None
    return _issue(actor, employee, kind, amount, issued_on, due_on, purpose, None)


@transaction.atomic
def repay(actor: User, advance: Advance, data: dict[str, Any]) -> AdvanceRepayment:
    """A repayment, or an offset against one of the employee's approved expense claims (冲账)."""
    advance = Advance.objects.select_for_update().select_related("employee").get(pk=advance.pk)
    require(actor, "activity.manage_advances", advance.employee)
    errors = Errors()
    amount = errors.amount(data.get("amount"), "amount")
    paid_on = errors.date(data.get("paid_on"), "paid_on")
    note = errors.text(data.get("note"), "note", max_length=300)
    claim = None
    if data.get("claim") not in (None, ""):
        claim = ExpenseClaim.objects.filter(
            employee=advance.employee, pk=as_int(data.get("claim")) or 0, status=ApprovalStatus.APPROVED
        ).first()
        if claim is None:
            errors.add("claim", _("Not an approved expense claim of this employee."))
    if amount is not None and amount > advance.outstanding:
        errors.add("amount", _("More than the %(n)s still outstanding.") % {"n": advance.outstanding})
    errors.raise_if_any()
    repayment = AdvanceRepayment.objects.create(
        company_id=advance.company_id, advance=advance, amount=amount, paid_on=paid_on, claim=claim, note=note,
        created_by=actor,
    )
    advance.repaid += amount
    advance.save(update_fields=["repaid"])
    evidence.record(
        advance.company_id, actor, "advance.repaid", advance, employee=advance.employee_id,
        data={"title": advance.purpose, "amount": amount, "paid_on": paid_on, "claim": claim.pk if claim else None,
              "outstanding": advance.outstanding, "note": note},
    )
    return repayment
