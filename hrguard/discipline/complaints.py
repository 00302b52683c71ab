"""Client complaints (客户投诉) against an employee: record → handle → resolved / settled / rejected;
linked to violations. Open complaints show on the employee's page (and later gate an exit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records import files
from hrguard.records.inputs import Errors, as_int

from .models import ClientComplaint, ComplaintStatus, Violation

OWNER = "complaint"


def _violations(errors: Errors, employee: Employee, raw: Any) -> list[Violation]:
    ids = raw if isinstance(raw, list | tuple) else [v for v in str(raw or "").split(",") if v.strip()]
    wanted = [as_int(v) for v in ids]
    if any(v is None for v in wanted):
        errors.add("violations", _("Not a list of violation numbers."))
        return []
    found = list(Violation.objects.filter(employee=employee, pk__in=wanted))
    if len(found) != len(set(wanted)):
        errors.add("violations", _("Only violations of the same employee can be linked."))
    return found


@transaction.atomic
def record_complaint(actor: User, employee: Employee, data: dict[str, Any], uploads: list[Any] = ()
                     ) -> ClientComplaint:
    require(actor, "discipline.record_complaint", employee)
    errors = Errors()
    client = errors.text(data.get("client"), "client", max_length=200, required=True)
    received = errors.date(data.get("received_on"), "received_on")
    if received and received > timezone.localdate():
        errors.add("received_on", _("The date is in the future."))
    loss = errors.amount(data.get("claimed_loss"), "claimed_loss", required=False, allow_zero=True)
    facts = errors.text(data.get("facts"), "facts", max_length=5000, required=True)
    linked = _violations(errors, employee, data.get("violations"))
    uploads = list(uploads)
    files.check_uploads(errors, uploads)
    errors.raise_if_any()
    complaint = ClientComplaint.objects.create(
        company_id=employee.company_id, employee=employee, client=client, received_on=received,
        claimed_loss=loss or 0, facts=facts, created_by=actor,
    )
    if linked:
        complaint.violations.set(linked)
    stored = files.store(actor, OWNER, complaint, employee, uploads)
    evidence.record(
        employee.company, actor, "complaint.recorded", complaint, employee=employee,
        data={"title": client, "received_on": received, "claimed_loss": complaint.claimed_loss, "facts": facts,
              "violations": [v.pk for v in linked], "files": files.described(stored)},
    )
    return complaint


def _locked(complaint: ClientComplaint) -> ClientComplaint:
    return ClientComplaint.objects.select_for_update().select_related("employee").get(pk=complaint.pk)


@transaction.atomic
def link_violations(actor: User, complaint: ClientComplaint, violation_ids: Any) -> ClientComplaint:
    complaint = _locked(complaint)
    require(actor, "discipline.resolve_complaint", complaint.employee)
    errors = Errors()
    linked = _violations(errors, complaint.employee, violation_ids)
    errors.raise_if_any()
    complaint.violations.add(*linked)
    evidence.record(complaint.company_id, actor, "complaint.linked", complaint, employee=complaint.employee_id,
                    data={"title": complaint.client, "violations": [v.pk for v in linked]})
    return complaint


@transaction.atomic
def resolve(actor: User, complaint: ClientComplaint, data: dict[str, Any]) -> ClientComplaint:
    """Close the complaint as resolved, settled (with the amount paid) or rejected."""
    complaint = _locked(complaint)
    require(actor, "discipline.resolve_complaint", complaint.employee)
    errors = Errors()
    outcome = str(data.get("status") or "").strip()
    if outcome not in (ComplaintStatus.RESOLVED, ComplaintStatus.SETTLED, ComplaintStatus.REJECTED):
        errors.add("status", _("Choose resolved, settled or rejected."))
    note = errors.text(data.get("resolution"), "resolution", max_length=5000, required=True)
    amount = None
    if outcome == ComplaintStatus.SETTLED:
        amount = errors.amount(data.get("settled_amount"), "settled_amount")
    if complaint.status != ComplaintStatus.OPEN:
        errors.add("status", _("The complaint is already closed."))
    errors.raise_if_any()
    complaint.status, complaint.resolution, complaint.settled_amount = outcome, note, amount
    complaint.resolved_by, complaint.resolved_at = actor, timezone.now()
    complaint.save()
    evidence.record(complaint.company_id, actor, f"complaint.{outcome}", complaint, employee=complaint.employee_id,
                    data={"title": complaint.client, "resolution": note, "settled_amount": amount})
    return complaint
