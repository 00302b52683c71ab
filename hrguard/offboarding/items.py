"""The handover checklist of an exit (交接清单), asset return and system access revocation: generated
from what the employee holds when the exit starts, each item confirmed by its receiver (or, for a system,
by the person responsible for it). HR may add items and mark one not applicable, with a note."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.roles import Role
from hrguard.core.validation import clean_plain_text
from hrguard.discipline import selectors as discipline
from hrguard.evidence import services as evidence
from hrguard.people.scope import scope_of
from hrguard.platform.errors import require
from hrguard.workflows import selectors as engine_selectors

from .models import Exit, ExitItem, ExitState, HandoverPreset, ItemKind, ItemState

# Every company starts with these presets (edited as data afterwards).
DEFAULT_PRESETS = (
    (ItemKind.DOCUMENT, "工作文档与资料", ""),
    (ItemKind.ASSET, "笔记本电脑", Role.ADMIN),
    (ItemKind.ASSET, "工牌、门禁卡", Role.ADMIN),
    (ItemKind.ACCESS, "OA 系统账号", Role.IT),
    (ItemKind.ACCESS, "企业邮箱", Role.IT),
    (ItemKind.ACCESS, "企业微信", Role.IT),
)
HANDOVER_KINDS = (ItemKind.HANDOVER, ItemKind.DOCUMENT, ItemKind.ASSET)  # clients and access: own gates
MAX_ITEMS = 200


def ensure_presets(company_id: int) -> list[HandoverPreset]:
    have = list(HandoverPreset.objects.filter(company_id=company_id))
    if not have:
        HandoverPreset.objects.bulk_create([
            HandoverPreset(company_id=company_id, kind=k, name=n, responsible_role=r) for k, n, r in DEFAULT_PRESETS
        ], ignore_conflicts=True)
        have = list(HandoverPreset.objects.filter(company_id=company_id))
    return [p for p in have if p.active]


def _manager_user(exit_: Exit) -> Any:
    """Who receives work handed over: the line manager, else the department head (with an account)."""
    employee = exit_.employee
    boss = employee.manager if employee.manager_id and employee.manager_id != employee.pk else None
    dept = employee.department
    hops = 0
    while boss is None and dept is not None and hops < 20:
        if dept.manager_id and dept.manager_id != employee.pk:
            boss = dept.manager
        dept, hops = dept.parent, hops + 1
    return boss.user if boss is not None and boss.user_id and boss.user.is_active else None


def generate(exit_: Exit, *, actor: Any) -> list[ExitItem]:
    """Items from the company presets, the clients named in the employee's open complaints and the
    process steps still assigned to them (work to hand over)."""
    receiver = _manager_user(exit_)
    rows: list[ExitItem] = []

    def add(kind: str, name: str, source: str, detail: str = "", role: str = "") -> None:
        user = None if role else receiver
        rows.append(ExitItem(company_id=exit_.company_id, exit=exit_, kind=kind, name=name[:200], detail=detail[:500],
                             source=source, receiver=user, receiver_role=role or ("" if user else Role.HR)))

    for preset in ensure_presets(exit_.company_id):
        add(preset.kind, preset.name, f"preset:{preset.pk}", role=preset.responsible_role)
    _count, complaints = discipline.open_complaints_of(exit_.employee)
    for client in dict.fromkeys(c.client for c in complaints):
        add(ItemKind.CLIENT, client, "complaints", _("Client with an open complaint"), role=Role.CLIENT_SERVICE)
    user = exit_.employee.user if exit_.employee.user_id else None
    if user is not None:
        for task in engine_selectors.open_tasks_for(user=user, limit=20):
            step = task.step
            add(ItemKind.HANDOVER, f"{step.name} · {task.instance.title or task.instance.template_key}",
                f"step:{step.pk}", _("Open process step assigned to the employee"))
    created = ExitItem.objects.bulk_create(rows)
    evidence.record(exit_.company_id, actor, "offboarding.items_generated", exit_, employee=exit_.employee_id,
                    data={"items": [{"kind": r.kind, "name": r.name, "source": r.source} for r in created]})
    return created


def _open_exit(actor: User, exit_id: Any) -> Exit:
    from .services import locked_exit

    exit_ = locked_exit(actor, exit_id)
    if exit_.state != ExitState.OPEN:
        raise ValidationError(_("This exit is no longer in progress; nothing was changed."), code="closed")
    return exit_


@transaction.atomic
def add_item(*, actor: User, exit_id: Any, kind: str, name: str, detail: str = "", receiver_id: Any = None,
             receiver_role: str = "") -> ExitItem:
    exit_ = _open_exit(actor, exit_id)
    require(actor, "offboarding.manage_exit", exit_)
    errors: dict[str, list[str]] = {}
    if kind not in ItemKind.values:
        errors["kind"] = [_("Choose what kind of item this is.")]
    try:
        name = clean_plain_text(name, "name", max_length=200, required=True)
        detail = clean_plain_text(detail, "detail", max_length=500)
    except ValidationError as exc:
        raise ValidationError({**errors, **exc.message_dict}) from None
    receiver = None
    if receiver_id not in (None, ""):
        receiver = User.objects.filter(company_id=actor.company_id, is_active=True, pk=_int(receiver_id)).first()
        if receiver is None:
            errors["receiver_id"] = [_("Choose an active colleague of your company.")]
        elif scope_of(receiver).employee_id == exit_.employee_id:
            errors["receiver_id"] = [_("The departing employee cannot receive their own handover.")]
    elif receiver_role not in Role.values:
        errors["receiver_role"] = [_("Name who confirms the item: a colleague or a role.")]
    if ExitItem.objects.filter(company_id=exit_.company_id, exit=exit_).count() >= MAX_ITEMS:
        errors["name"] = [_("At most %(n)d items per exit.") % {"n": MAX_ITEMS}]
    if errors:
        raise ValidationError(errors)
    item = ExitItem.objects.create(company_id=exit_.company_id, exit=exit_, kind=kind, name=name, detail=detail,
                                   source="manual", receiver=receiver, receiver_role="" if receiver else receiver_role)
    evidence.record(exit_.company_id, actor, "offboarding.item_added", item, employee=exit_.employee_id,
                    data={"exit": exit_.pk, "kind": kind, "name": name, "receiver": getattr(receiver, "pk", None),
                          "receiver_role": item.receiver_role})
    return item


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def receiver_label(item: ExitItem) -> str:
    if item.receiver_id and item.receiver is not None:
        return item.receiver.get_full_name() or item.receiver.username
    return str(Role(item.receiver_role).label) if item.receiver_role in Role.values else ""


def may_confirm(user: User, item: ExitItem) -> bool:
    if not user.is_authenticated or user.company_id != item.company_id:
        return False
    if scope_of(user).employee_id == item.exit.employee_id:
        return False  # the departing employee never confirms their own handover
    if item.receiver_id:
        return item.receiver_id == user.pk
    return bool(item.receiver_role) and user.role == item.receiver_role


@transaction.atomic
def confirm_item(*, actor: User, item_id: Any, outcome: str = "confirmed", note: str = "") -> ExitItem:
    """The receiver confirms (received / returned / revoked); HR may mark an item not applicable, saying why."""
    item = (ExitItem.objects.select_for_update(of=("self",)).select_related("exit", "exit__employee")
            .filter(company_id=actor.company_id, pk=_int(item_id)).first())
    if item is None or (not actor.has_perm("offboarding.view_exit", item.exit) and not may_confirm(actor, item)):
        raise Http404(_("No such item."))
    if item.exit.state != ExitState.OPEN:
        raise ValidationError(_("This exit is no longer in progress; nothing was changed."), code="closed")
    if item.state != ItemState.PENDING:
        raise ValidationError(_("This item was already confirmed; nothing was changed."), code="closed")
    if outcome == ItemState.CONFIRMED:
        if not may_confirm(actor, item):
            raise PermissionDenied(_("Only the receiver of this item can confirm it."))
        text = clean_plain_text(note, "note", max_length=300)
    elif outcome == ItemState.WAIVED:
        require(actor, "offboarding.manage_exit", item.exit)
        text = clean_plain_text(note, "note", max_length=300, required=True)
    else:
        raise ValidationError({"outcome": _("Choose confirmed or not applicable.")})
    item.state, item.confirmed_by, item.confirmed_at, item.note = outcome, actor, timezone.now(), text
    item.save(update_fields=["state", "confirmed_by", "confirmed_at", "note"])
    evidence.record(item.company_id, actor, f"offboarding.item_{outcome}", item, employee=item.exit.employee_id,
                    data={"exit": item.exit_id, "kind": item.kind, "name": item.name, "note": text})
    return item
