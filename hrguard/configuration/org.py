"""The organisation tree on the settings pages: departments (create, rename, move without cycles, set
the manager and the HR partner, delete when empty) and positions (with the core-position flag).

The one service for the org structure: the settings page (``views_org``) and the REST API
(``/api/v1/departments/``, ``/api/v1/positions/``) both call it. Each function is one transaction with the
``configuration.manage_org`` check (predicate ``permissions.shapes_org_structure``: the company administrator
and HR) and an evidence event in that transaction. (These would sit in ``hrguard.core``, but core is below
the evidence log and may not write to it.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Department, Position, User
from hrguard.core.roles import Role
from hrguard.core.validation import clean_plain_text, merge_errors
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require

PERM = "configuration.manage_org"
HRBP_ROLES = (Role.HRBP, Role.HR, Role.ADMIN)


def _text(value: Any, field: str, max_length: int, errors: dict[str, list[str]], *, required: bool) -> str:
    try:
        return clean_plain_text(value, field, max_length=max_length, required=required)
    except ValidationError as exc:
        merge_errors(errors, exc)
        return ""


def _dept(actor: User, pk: Any, field: str, errors: dict[str, list[str]], *, lock: bool = False) -> Department | None:
    if pk in (None, ""):
        return None
    qs = Department.objects.filter(company_id=actor.company_id)
    found = (qs.select_for_update() if lock else qs).filter(pk=_int(pk)).first()
    if found is None:
        errors.setdefault(field, []).append(_("No such department."))
    return found


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _name_taken(actor: User, parent: Department | None, name: str, exclude: int | None = None) -> bool:
    qs = Department.objects.filter(company_id=actor.company_id, parent=parent, name=name)
    return qs.exclude(pk=exclude).exists() if exclude else qs.exists()


@transaction.atomic
def create_department(*, actor: User, name: str, parent_id: Any = None, code: str = "",
                      cost_center: str = "") -> Department:
    require(actor, PERM)
    errors: dict[str, list[str]] = {}
    name = _text(name, "name", 100, errors, required=True)
    code = _text(code, "code", 50, errors, required=False)
    cost_center = _text(cost_center, "cost_center", 50, errors, required=False)
    parent = _dept(actor, parent_id, "parent", errors)
    if name and _name_taken(actor, parent, name):
        errors.setdefault("name", []).append(_("A department with this name already exists here."))
    if errors:
        raise ValidationError(errors)
    dept = Department.objects.create(company_id=actor.company_id, parent=parent, name=name, code=code,
                                     cost_center=cost_center)
    evidence.record(actor.company_id, actor, "department.created", dept,
                    {"name": name, "code": code, "cost_center": cost_center,
                     "parent": parent.name if parent else None, "path": dept.path})
    return dept


@transaction.atomic
def rename_department(*, actor: User, department_id: Any, name: str, code: str = "") -> Department:
    require(actor, PERM)
    errors: dict[str, list[str]] = {}
    dept = _dept(actor, department_id, "department", errors, lock=True)
    name = _text(name, "name", 100, errors, required=True)
    code = _text(code, "code", 50, errors, required=False)
    if dept and name and _name_taken(actor, dept.parent, name, exclude=dept.pk):
        errors.setdefault("name", []).append(_("A department with this name already exists here."))
    if errors:
        raise ValidationError(errors)
    assert dept is not None
    before = {"name": dept.name, "code": dept.code}
    dept.name, dept.code = name, code
    dept.save(update_fields=["name", "code"])
    evidence.record(actor.company_id, actor, "department.renamed", dept, {"from": before, "to": {"name": name,
                                                                                             "code": code}})
    return dept


@transaction.atomic
def move_department(*, actor: User, department_id: Any, parent_id: Any) -> Department:
    """Move a department (with its subtree and its employees' scope paths) under another parent, or to the
    top when ``parent_id`` is empty. A department cannot move under itself or its own descendants."""
    require(actor, PERM)
    errors: dict[str, list[str]] = {}
    dept = _dept(actor, department_id, "department", errors, lock=True)
    parent = _dept(actor, parent_id, "parent", errors)
    if dept and parent and parent.path.startswith(dept.path):
        errors.setdefault("parent", []).append(
            _("A department cannot be moved under itself or one of its sub-departments."))
    if dept and not errors and _name_taken(actor, parent, dept.name, exclude=dept.pk):
        errors.setdefault("parent", []).append(_("The new parent already has a department of this name."))
    if errors:
        raise ValidationError(errors)
    assert dept is not None
    before = dept.parent.name if dept.parent_id and dept.parent else None
    dept.parent = parent
    dept.save()  # Department.save moves the subtree's paths and the employees' copies
    evidence.record(actor.company_id, actor, "department.moved", dept,
                    {"from": before, "to": parent.name if parent else None, "path": dept.path})
    return dept


@transaction.atomic
def set_department_people(*, actor: User, department_id: Any, manager_no: str = "",
                          hrbp_id: Any = None) -> Department:
    """Set (or clear, when empty) the department's manager (an employee, by 工号) and HR partner (a login
    with an HR role)."""
    require(actor, PERM)
    errors: dict[str, list[str]] = {}
    dept = _dept(actor, department_id, "department", errors, lock=True)
    manager = hrbp = None
    manager_no = str(manager_no or "").strip()
    if manager_no:
        manager = Employee.objects.filter(company_id=actor.company_id, employee_no=manager_no).first()
        if manager is None:
            errors.setdefault("manager", []).append(
                _("No employee with number %(no)s.") % {"no": manager_no[:50]})
    if hrbp_id not in (None, ""):
        hrbp = User.objects.filter(company_id=actor.company_id, pk=_int(hrbp_id), is_active=True,
                                   role__in=HRBP_ROLES).first()
        if hrbp is None:
            errors.setdefault("hrbp", []).append(_("The HR partner must be an active login with an HR role."))
    if errors:
        raise ValidationError(errors)
    assert dept is not None
    dept.manager, dept.hrbp = manager, hrbp
    dept.save(update_fields=["manager", "hrbp"])
    evidence.record(actor.company_id, actor, "department.people_set", dept, {
        "manager": manager.employee_no if manager else None, "hrbp": hrbp.username if hrbp else None})
    return dept


@transaction.atomic
def delete_department(*, actor: User, department_id: Any) -> None:
    """Delete a department that has no sub-departments, employees or positions (they would be orphaned)."""
    require(actor, PERM)
    errors: dict[str, list[str]] = {}
    dept = _dept(actor, department_id, "department", errors, lock=True)
    if dept is not None:
        if Department.objects.filter(parent=dept).exists():
            errors.setdefault("department", []).append(_("It still has sub-departments."))
        if Employee.objects.filter(company_id=actor.company_id, department=dept).exists():
            errors.setdefault("department", []).append(_("It still has employees (former ones included)."))
        if Position.objects.filter(department=dept).exists():
            errors.setdefault("department", []).append(_("Positions still belong to it."))
    if errors:
        raise ValidationError(errors)
    assert dept is not None
    evidence.record(actor.company_id, actor, "department.deleted", dept, {"name": dept.name, "path": dept.path})
    dept.delete()


def _position_fields(actor: User, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": _text(data.get("name"), "name", 100, errors, required=True),
        "code": _text(data.get("code"), "code", 50, errors, required=False),
        "level": _text(data.get("level"), "level", 20, errors, required=False),
        "department": _dept(actor, data.get("department"), "department", errors),
        "is_core": bool(data.get("is_core")),
        "confidentiality_duty": bool(data.get("confidentiality_duty")),
    }
    headcount = data.get("headcount", 1)
    try:
        headcount = int(headcount)
    except (TypeError, ValueError):
        headcount = -1
    if not 0 <= headcount <= 1_000_000:
        errors.setdefault("headcount", []).append(_("Headcount must be a whole number from 0 to 1,000,000."))
    fields["headcount"] = headcount
    return fields


@transaction.atomic
def save_position(*, actor: User, data: dict[str, Any], position_id: Any = None) -> Position:
    """Create a position, or change one (``position_id``)."""
    require(actor, PERM)
    errors: dict[str, list[str]] = {}
    position = None
    if position_id not in (None, ""):
        position = Position.objects.select_for_update().filter(company_id=actor.company_id,
                                                               pk=_int(position_id)).first()
        if position is None:
            errors.setdefault("position", []).append(_("No such position."))
    fields = _position_fields(actor, data, errors)
    taken = Position.objects.filter(company_id=actor.company_id, name=fields["name"])
    if fields["name"] and (taken.exclude(pk=position.pk) if position else taken).exists():
        errors.setdefault("name", []).append(_("A position with this name already exists."))
    if errors:
        raise ValidationError(errors)
    created = position is None
    position = position or Position(company_id=actor.company_id)
    for key, value in fields.items():
        setattr(position, key, value)
    position.save()
    dept = fields["department"]
    evidence.record(actor.company_id, actor, "position.created" if created else "position.changed", position, {
        "name": position.name, "is_core": position.is_core, "headcount": position.headcount,
        "department": dept.name if dept else None})
    return position


@transaction.atomic
def delete_position(*, actor: User, position_id: Any) -> None:
    require(actor, PERM)
    position = Position.objects.select_for_update().filter(company_id=actor.company_id, pk=_int(position_id)).first()
    if position is None:
        raise ValidationError({"position": [_("No such position.")]})
    if Employee.objects.filter(company_id=actor.company_id, position=position).exists():
        raise ValidationError({"position": [_("Employees (former ones included) still hold this position.")]})
    evidence.record(actor.company_id, actor, "position.deleted", position, {"name": position.name})
    position.delete()
