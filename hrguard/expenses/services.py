"""Trips (出差申请) and expense claims (费用报销): the employee submits; the approval runs on the process
engine (templates ``expenses.trip`` / ``expenses.claim``: line manager, then finance, by default) through
``hrguard.records.processes``, whose action ``expenses.apply_outcome`` calls ``apply_outcome`` here.
Finance issues cash advances and loans and records repayments; what is still owed is what exit
clearance needs (``selectors.outstanding_for``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records import files, processes
from hrguard.records.inputs import Errors, as_int

from .models import Advance, AdvanceKind, AdvanceRepayment, ApprovalStatus, ExpenseCategory, ExpenseClaim, Trip

OWNER = "expense"
MAX_TRIP_DAYS = 366


@transaction.atomic
def submit_trip(actor: User, employee: Employee, data: dict[str, Any]) -> Trip:
    require(actor, "expenses.submit_expenses", employee)
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
    _start(actor, employee, trip, "trip")
    return trip


@transaction.atomic
def submit_claim(actor: User, employee: Employee, data: dict[str, Any], uploads: list[Any] = ()) -> ExpenseClaim:
    """A claim needs at least one receipt (invoice photo or PDF)."""
    require(actor, "expenses.submit_expenses", employee)
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
    _start(actor, employee, claim, "expense")
    return claim


TEMPLATES = {"trip": "expenses.trip", "expense": "expenses.claim"}


def _kind(obj: Trip | ExpenseClaim) -> str:
    return "trip" if isinstance(obj, Trip) else "expense"


def _start(actor: User, employee: Employee, obj: Trip | ExpenseClaim, kind: str) -> None:
    if kind == "trip":
        title = _("Business trip of %(name)s to %(place)s, %(start)s – %(end)s") % {
            "name": employee.name, "place": obj.destination, "start": obj.start_date, "end": obj.end_date}
    else:
        title = _("Expense claim of %(name)s: ¥%(amount)s (%(what)s)") % {
            "name": employee.name, "amount": obj.amount, "what": obj.description[:60]}
    processes.start(actor=actor, company=employee.company, template_key=TEMPLATES[kind], subject=obj,
                    subject_employee=employee, title=title[:200])


def _locked(obj: Trip | ExpenseClaim) -> Trip | ExpenseClaim:
    return type(obj).objects.select_for_update().select_related("employee").get(pk=obj.pk)


@transaction.atomic
def decide(actor: User, obj: Trip | ExpenseClaim, approve: bool, note: Any = "") -> Trip | ExpenseClaim:
    """Approve or reject: acts on the actor's open step of the request's process (manager, finance…)."""
    obj = _locked(obj)
    errors = Errors()
    text = errors.text(note, "decision_note", max_length=500)
    if not approve and not text:
        errors.add("decision_note", _("Give a reason for the rejection."))
    if obj.status != ApprovalStatus.SUBMITTED:
        errors.add("status", _("Nothing to approve: %(s)s.") % {"s": obj.get_status_display()})
    errors.raise_if_any()
    processes.decide(actor=actor, subject=obj, approve=approve, note=text)
    return type(obj).objects.select_related("employee").get(pk=obj.pk)


def apply_outcome(*, kind: str, pk: int, outcome: str, actor: User | None, note: str = "") -> Trip | ExpenseClaim:
    """The engine's action at the end of the approval (inside its transaction): the status, the evidence
    event, and for an approved trip the cash advance it asked for."""
    obj = _locked(Trip(pk=pk) if kind == "trip" else ExpenseClaim(pk=pk))
    if obj.status != ApprovalStatus.SUBMITTED:
        return obj
    obj.status = {"approved": ApprovalStatus.APPROVED, "rejected": ApprovalStatus.REJECTED,
                  "cancelled": ApprovalStatus.CANCELLED}[outcome]
    obj.save(update_fields=["status"])
    name = _kind(obj)
    evidence.record(
        obj.company_id, actor, f"{name}.{obj.status}", obj, employee=obj.employee_id,
        data={"title": getattr(obj, "destination", None) or getattr(obj, "description", ""), "note": note,
              "amount": getattr(obj, "amount", None) or getattr(obj, "advance_requested", None)},
    )
    if isinstance(obj, Trip) and obj.status == ApprovalStatus.APPROVED and obj.advance_requested > 0:
        _issue(actor, obj.employee, AdvanceKind.TRAVEL_ADVANCE, obj.advance_requested, timezone.localdate(), None,
               _("Cash advance for the trip to %(d)s") % {"d": obj.destination}, obj)
    return obj


@transaction.atomic
def cancel(actor: User, obj: Trip | ExpenseClaim) -> Trip | ExpenseClaim:
    """The employee withdraws a request nobody decided yet (its process is cancelled)."""
    obj = _locked(obj)
    require(actor, "expenses.submit_expenses", obj.employee)
    progress = processes.status(subject_type=f"expenses.{type(obj)._meta.model_name}", company_id=obj.company_id,
                                ids=[obj.pk]).get(obj.pk)
    if obj.status != ApprovalStatus.SUBMITTED or (progress is not None and progress.decided_by):
        raise ValidationError({"status": _("Only a request nobody decided yet can be withdrawn.")})
    processes.cancel(actor=actor, subject=obj, reason=_("Withdrawn by the employee."))
    return type(obj).objects.get(pk=obj.pk)


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
    require(actor, "expenses.manage_advances", employee)
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
    require(actor, "expenses.manage_advances", advance.employee)
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
