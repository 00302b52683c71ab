"""Creating departments and positions (HR only): validation, permission check and evidence, in one
transaction. The pages have no such service yet; this belongs in ``hrguard.core`` once it has a
services module — kept here so the API does not write to tables without one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Department, Position, User
from hrguard.core.validation import clean_plain_text, merge_errors
from hrguard.evidence import services as evidence


def _require_hr(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_hr and actor.company_id):
        raise PermissionDenied("core.manage_org")


Spec = tuple[tuple[str, int, bool], ...]


def _texts(data: dict[str, Any], spec: Spec, errors: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, max_len, required in spec:
        try:
            out[key] = clean_plain_text(data.get(key), key, max_length=max_len, required=required)
        except ValidationError as exc:
            merge_errors(errors, exc)
    return out


def _department(actor: User, value: Any, field: str, errors: dict[str, list[str]]) -> Department | None:
    if value in (None, ""):
        return None
    found = Department.objects.filter(company_id=actor.company_id, pk=value).first()
    if found is None:
        errors.setdefault(field, []).append(_("Unknown department: %(v)s") % {"v": value})
    return found


@transaction.atomic
def create_department(actor: User, data: dict[str, Any]) -> Department:
    _require_hr(actor)
    errors: dict[str, list[str]] = {}
    texts = _texts(data, (("name", 100, True), ("code", 50, False), ("cost_center", 50, False)), errors)
    parent = _department(actor, data.get("parent"), "parent", errors)
    if texts.get("name") and Department.objects.filter(
        company_id=actor.company_id, parent=parent, name=texts["name"]
    ).exists():
        errors.setdefault("name", []).append(_("A department with this name already exists here."))
    if errors:
        raise ValidationError(errors)
    dept = Department.objects.create(company_id=actor.company_id, parent=parent, **texts)
    evidence.record(
        actor.company, actor, "department.created", dept,
        {"name": dept.name, "code": dept.code, "parent": parent.name if parent else None, "path": dept.path},
    )
    return dept


@transaction.atomic
def create_position(actor: User, data: dict[str, Any]) -> Position:
    _require_hr(actor)
    errors: dict[str, list[str]] = {}
    texts = _texts(data, (("name", 100, True), ("code", 50, False), ("level", 20, False)), errors)
    department = _department(actor, data.get("department"), "department", errors)
    headcount = data.get("headcount", 1)
    if not isinstance(headcount, int) or not 0 <= headcount <= 1_000_000:
        errors.setdefault("headcount", []).append(_("Headcount must be a whole number from 0 to 1,000,000."))
    if texts.get("name") and Position.objects.filter(company_id=actor.company_id, name=texts["name"]).exists():
        errors.setdefault("name", []).append(_("A position with this name already exists."))
    if errors:
        raise ValidationError(errors)
    position = Position.objects.create(
        company_id=actor.company_id, department=department, headcount=headcount,
        is_core=bool(data.get("is_core")), confidentiality_duty=bool(data.get("confidentiality_duty")), **texts,
    )
    evidence.record(
        actor.company, actor, "position.created", position,
        {"name": position.name, "is_core": position.is_core, "department": department.name if department else None},
    )
    return position
