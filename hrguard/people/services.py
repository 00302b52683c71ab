"""State changes on people records. Each: one transaction, permission check, validation, evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.crypto import blind_index
from hrguard.core.models import Company, User
from hrguard.core.validation import clean_plain_text, merge_errors
from hrguard.evidence import services as evidence
from hrguard.platform.errors import require

from .inputs import apply_indexes, clean_employee
from .models import Employee, EmployeeStatus, LifecycleEvent, LifecycleKind

SENSITIVE_FIELDS = ("id_number", "phone", "bank_account")
# Encrypted at rest and never written to evidence in clear: a masked form and a keyed digest instead.
MASKED_IN_EVIDENCE = ("address",)
EVIDENCE_DIGEST_CONTEXT = "evidence.people.employee"
# Shown masked (screens, API, roster export) to roles that may not read them; revealed through an
# audited read (``reveal_sensitive``).
REVEALABLE = (*SENSITIVE_FIELDS, *MASKED_IN_EVIDENCE)
CONTACT_FIELDS = ("phone", "email", "address", "emergency_contact")


def _public(value: Any) -> Any:
    if hasattr(value, "pk"):
        return {"id": value.pk, "name": str(value)}
    return value


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed, with values for ordinary fields and only the field name for sensitive ones."""
    changed: dict[str, Any] = {}
    for key, new in after.items():
        old = before.get(key)
        if old == new:
            continue
        if key in SENSITIVE_FIELDS:
            changed[key] = "changed (encrypted; value not logged)"
        elif key in MASKED_IN_EVIDENCE:
            changed[key] = {"from": mask_address(old or ""), "to": mask_address(new or ""),
                            "to_digest": evidence_digest(key, new or "")}
        else:
            changed[key] = {"from": _public(old), "to": _public(new)}
    return changed


def _snapshot(employee: Employee, keys: Any) -> dict[str, Any]:
    return {k: getattr(employee, k) for k in keys}


@transaction.atomic
def create_employee(actor: User, company: Company, data: dict[str, Any]) -> Employee:
    require(actor, "people.add_employee")
    if actor.company_id != company.pk:
        raise ValidationError(_("You can only add employees to your own company."))
    cleaned = clean_employee(company, data)
    if cleaned.get("status") is None:
        cleaned["status"] = EmployeeStatus.ACTIVE
    employee = Employee(company=company, **cleaned)
    apply_indexes(employee)
    employee.save()
    LifecycleEvent.objects.create(
        company=company, employee=employee, kind=LifecycleKind.HIRE, effective_date=employee.hire_date,
        changes={"department": employee.department.name, "position": str(employee.position or "")},
        created_by=actor,
    )
    evidence.record(
        company, actor, "employee.created", employee, employee=employee,
        data={
            "employee_no": employee.employee_no, "name": employee.name,
            "department": employee.department.name, "hire_date": employee.hire_date,
            "sensitive_fields_set": [f for f in SENSITIVE_FIELDS if getattr(employee, f)],
        },
    )
    return employee


@transaction.atomic
def update_employee(actor: User, employee: Employee, data: dict[str, Any]) -> Employee:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    require(actor, "people.change_employee", employee)
    cleaned = clean_employee(employee.company, data, instance=employee, partial=True)
    if "employee_no" in cleaned and not cleaned["employee_no"]:
        raise ValidationError({"employee_no": _("This field is required.")})
    before = _snapshot(employee, cleaned.keys())
    for key, value in cleaned.items():
        setattr(employee, key, value)
    apply_indexes(employee)
    changes = _diff(before, cleaned)
    if not changes:
        return employee
    employee.save()
    evidence.record(employee.company, actor, "employee.updated", employee, {"changes": changes}, employee=employee)
    return employee


@transaction.atomic
def update_own_contact(actor: User, employee: Employee, data: dict[str, Any]) -> Employee:
    """Self-service: an employee updates their own contact details (audited)."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    require(actor, "people.change_own_contact", employee)
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({k: _("You cannot change this field yourself.") for k in sorted(unknown)})
    cleaned = clean_employee(employee.company, data, instance=employee, partial=True)
    before = _snapshot(employee, cleaned.keys())
    for key, value in cleaned.items():
        setattr(employee, key, value)
    apply_indexes(employee)
    changes = _diff(before, cleaned)
    if changes:
        employee.save()
        evidence.record(
            employee.company, actor, "employee.contact_updated", employee, {"changes": changes}, employee=employee
        )
    return employee


def reveal_sensitive(actor: User, employee: Employee, field: str) -> str:
    """Return an unmasked sensitive value and log the read in the evidence log."""
    if field not in REVEALABLE:
        raise ValidationError({field: _("Not a sensitive field.")})
    require(actor, "people.view_employee_sensitive", employee)
    value = getattr(employee, field)
    evidence.record_standalone(
        employee.company, actor, "sensitive.read", employee, {"field": field}, employee=employee
    )
    return value


def mask_address(value: str) -> str:
    """The first six characters (province, city or district) and stars: "北京市朝阳区****"."""
    if not value:
        return ""
    return value[:6] + "****" if len(value) > 6 else "****"


def evidence_digest(field: str, value: str) -> str:
    """A keyed digest of a value kept out of the evidence log: with the keys, an arbitrator can be shown
    that the stored value was the one recorded; without them the log does not reveal it."""
    return blind_index(value, f"{EVIDENCE_DIGEST_CONTEXT}.{field}") if value else ""


def mask(value: str, field: str) -> str:
    if not value:
        return ""
    if field == "address":
        return mask_address(value)
    if field == "phone":
        return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"
    if field == "id_number":
        return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:] if len(value) > 7 else "****"
    return "**** " + value[-4:] if len(value) > 4 else "****"


_STATUS_FLOW = {
    LifecycleKind.PROBATION_PASSED: {EmployeeStatus.PROBATION},
}


@transaction.atomic
def record_lifecycle(
    actor: User,
    employee: Employee,
    kind: str,
    effective_date: dt.date,
    *,
    department: Any = None,
    position: Any = None,
    status: str | None = None,
    note: str = "",
) -> LifecycleEvent:
    """入转调离: apply a personnel change and keep it as a lifecycle event."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    require(actor, "people.record_lifecycle", employee)
    errors: dict[str, list[str]] = {}
    try:
        note = clean_plain_text(note, "note", max_length=500)
    except ValidationError as exc:
        merge_errors(errors, exc)
    if kind not in LifecycleKind.values or kind == LifecycleKind.HIRE:
        errors.setdefault("kind", []).append(_("Unknown or not allowed here: %(v)s") % {"v": kind})
    if not isinstance(effective_date, dt.date):
        errors.setdefault("effective_date", []).append(_("This field is required."))
    elif effective_date < employee.hire_date:
        errors.setdefault("effective_date", []).append(_("Effective date is before the hire date."))
    update: dict[str, Any] = {}
    if kind == LifecycleKind.PROBATION_PASSED:
        if employee.status != EmployeeStatus.PROBATION:
            errors.setdefault("kind", []).append(_("The employee is not on probation."))
        update["status"] = EmployeeStatus.ACTIVE
    elif kind in (LifecycleKind.TRANSFER, LifecycleKind.PROMOTION):
        data: dict[str, Any] = {}
        if department not in (None, ""):
            data["department"] = department
        if position not in (None, ""):
            data["position"] = position
        if not data:
            errors.setdefault("department", []).append(_("Choose the new department and/or position."))
        else:
            try:
                update.update(clean_employee(employee.company, data, instance=employee, partial=True))
            except ValidationError as exc:
                merge_errors(errors, exc)
    elif kind in (LifecycleKind.STATUS_CHANGE, LifecycleKind.TERMINATION):
        target = EmployeeStatus.LEFT if kind == LifecycleKind.TERMINATION else status
        if target not in EmployeeStatus.values:
            errors.setdefault("status", []).append(_("Choose a valid status."))
        else:
            update["status"] = target
            if target == EmployeeStatus.LEFT:
                update["termination_date"] = effective_date
    if errors:
        raise ValidationError(errors)
    before = _snapshot(employee, update.keys())
    for key, value in update.items():
        setattr(employee, key, value)
    apply_indexes(employee)
    employee.save()
    changes = _diff(before, update)
    event = LifecycleEvent.objects.create(
        company=employee.company, employee=employee, kind=kind, effective_date=effective_date,
        changes={k: v for k, v in changes.items()}, note=note, created_by=actor,
    )
    evidence.record(
        employee.company, actor, f"lifecycle.{kind}", event, employee=employee,
        data={"effective_date": effective_date, "changes": changes, "note": note},
    )
    return event


EXIT_STATUSES = (EmployeeStatus.LEAVING, EmployeeStatus.LEFT, EmployeeStatus.ACTIVE, EmployeeStatus.PROBATION)


@transaction.atomic
def set_exit_status(
    *, employee: Employee, status: str, effective_date: dt.date, note: str = "", actor: User | None = None
) -> LifecycleEvent:
    """The status an exit gives the employee (``hrguard.offboarding`` calls it; the exit service checked the
    actor's permission on the exit, and the statutory last day arrives with no actor at all):
    待离职 while the exit runs, 已离职 (termination date set) when the employment ends, back to the
    previous status when an exit is withdrawn. A lifecycle event and its evidence either way."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if status not in EXIT_STATUSES:
        raise ValidationError({"status": _("Choose a valid status.")})
    ending = status == EmployeeStatus.LEFT
    update: dict[str, Any] = {"status": status}
    if ending:
        update["termination_date"] = effective_date
    before = _snapshot(employee, update.keys())
    for key, value in update.items():
        setattr(employee, key, value)
    employee.save(update_fields=[*update.keys(), "updated_at"])
    changes = _diff(before, update)
    kind = LifecycleKind.TERMINATION if ending else LifecycleKind.STATUS_CHANGE
    event = LifecycleEvent.objects.create(company=employee.company, employee=employee, kind=kind,
                                          effective_date=effective_date, changes=changes, note=note[:500],
                                          created_by=actor)
    evidence.record(employee.company, actor, f"lifecycle.{kind}", event, employee=employee,
                    data={"effective_date": effective_date, "changes": changes, "note": note[:500]})
    return event
