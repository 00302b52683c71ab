"""The engine's internals, called by ``services`` inside its transaction (never directly by other apps):
creating instances, opening the steps whose dependencies are done, closing steps, finishing instances,
escalation — each with its evidence events and notifications."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.core.roles import Role
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee

from . import assignees, clock, gates, notices, registry
from .models import (
    OPEN_STATES,
    InstanceState,
    PartyRole,
    ProcessInstance,
    ProcessParty,
    ProcessTemplate,
    Step,
    StepKind,
    StepState,
    TemplateVersion,
)
from .templates import flatten

FINAL = (StepState.DONE, StepState.SKIPPED)


# ---- who may do what -------------------------------------------------------------------------------

def party_users(instance: ProcessInstance) -> set[int]:
    cached = getattr(instance, "_party_users", None)
    if cached is None:
        cached = set(ProcessParty.objects.filter(company_id=instance.company_id, instance=instance)
                     .exclude(user__isnull=True).values_list("user_id", flat=True))
        instance._party_users = cached  # type: ignore[attr-defined]
    return cached


def is_party(user: User, instance: ProcessInstance) -> bool:
    return user.pk in party_users(instance)


def may_act(actor: User, step: Step) -> bool:
    if actor is None or not actor.is_authenticated or actor.company_id != step.company_id:
        return False
    if step.assignee_user_id:
        mine = step.assignee_user_id == actor.pk
    else:
        mine = bool(step.assignee_role) and actor.role == step.assignee_role
    if not mine:
        return False
    # A party never acts on the process about them, whatever their role — except on a step the
    # template gives to the subject themself (e.g. acknowledging a decision).
    return not is_party(actor, step.instance) or (step.assignee_rule == "subject" and step.assignee_user_id == actor.pk)


def oversees(actor: User, instance: ProcessInstance) -> bool:
    return (actor.company_id == instance.company_id and actor.has_perm("workflows.oversee")
            and not is_party(actor, instance))


def may_cancel(actor: User, instance: ProcessInstance) -> bool:
    return (actor.company_id == instance.company_id and instance.started_by_id == actor.pk) or oversees(actor, instance)


def may_start(actor: User, subject_employee: Employee | None) -> bool:
    if subject_employee is None:
        return actor.role in (Role.ADMIN, Role.HR)
    return actor.has_perm("workflows.start_about", subject_employee)


# ---- evidence --------------------------------------------------------------------------------------

def record(actor: Any, instance: ProcessInstance, action: str, step: Step | None = None,
           data: Mapping[str, Any] | None = None) -> None:
    payload: dict[str, Any] = {"title": instance.title or instance.template_key, "process": instance.template_key,
                               "version": instance.template_version_id, "subject": f"{instance.subject_type}:"
                               f"{instance.subject_id}"}
    if step is not None:
        payload.update({"step": step.key, "step_name": step.name, "state": step.state})
    payload.update(data or {})
    evidence.record(instance.company_id, actor, action, instance, payload, employee=instance.subject_employee_id)


# ---- templates ----------------------------------------------------------------------------------

def current_version(company: Company, template_key: str) -> TemplateVersion:
    template = ProcessTemplate.objects.filter(company=company, key=template_key, is_active=True).first()
    if template is None:
        from .defaults import DEFAULTS, ensure_default_templates

        if template_key in DEFAULTS:
            ensure_default_templates(company)
            template = ProcessTemplate.objects.filter(company=company, key=template_key, is_active=True).first()
    version = template.versions.order_by("-number").first() if template is not None else None
    if version is None:
        raise ValidationError(_("This company has no active process “%(key)s”.") % {"key": template_key})
    return version


def step_defs(instance: ProcessInstance) -> dict[str, dict[str, Any]]:
    cached = getattr(instance, "_step_defs", None)
    if cached is None:
        cached = {s.key: s.raw for s in flatten(instance.template_version.definition)}
        instance._step_defs = cached  # type: ignore[attr-defined]
    return cached


def gate_context(instance: ProcessInstance) -> registry.InstanceContext:
    return registry.InstanceContext(
        company_id=instance.company_id, template_key=instance.template_key, subject_type=instance.subject_type,
        subject_id=instance.subject_id, subject_employee=instance.subject_employee, instance=instance,
        context=instance.context,
    )


def run_actions(names: Any, *, instance: ProcessInstance, step: Step | None, actor: Any) -> None:
    for name in names or []:
        fn = registry.get_action(name)
        if fn is None:  # validated on save; a hook removed since then fails closed
            raise ValidationError(_("The process names an action that no longer exists: %(name)s.") % {"name": name})
        fn(instance=instance, step=step, actor=actor)


# ---- instances ----------------------------------------------------------------------------------

def _party_rows(company: Company, instance: ProcessInstance, subject_employee: Employee | None,
                parties: Mapping[str, Iterable[Employee]]) -> list[ProcessParty]:
    rows: dict[tuple[int, str], ProcessParty] = {}
    pairs = [(PartyRole.SUBJECT.value, subject_employee)] if subject_employee is not None else []
    for role, people in parties.items():
        pairs += [(role if role in PartyRole.values else PartyRole.OTHER.value, p) for p in people]
    for role, person in pairs:
        if person.company_id != company.pk:
            raise ValidationError(_("A party belongs to another company."))
        rows[(person.pk, role)] = ProcessParty(company=company, instance=instance, employee=person,
                                               user_id=person.user_id, role=role)
    return list(rows.values())


def create_instance(*, actor: User | None, company: Company, version: TemplateVersion, subject: Any,
                    subject_employee: Employee | None, parties: Mapping[str, Iterable[Employee]],
                    context: dict[str, Any], title: str) -> ProcessInstance:
    instance = ProcessInstance.objects.create(
        company=company, template_version=version, template_key=version.template.key,
        title=(title or version.template.name)[:200],
        subject_type=f"{subject._meta.app_label}.{subject._meta.model_name}", subject_id=str(subject.pk),
        subject_employee=subject_employee, started_by=actor, context=context,
    )
    rows = _party_rows(company, instance, subject_employee, parties)
    ProcessParty.objects.bulk_create(rows)
    instance._party_users = {r.user_id for r in rows if r.user_id}  # type: ignore[attr-defined]
    defs = flatten(version.definition)
    Step.objects.bulk_create([
        Step(company=company, instance=instance, key=d.key, name=d.name, kind=d.kind, group=d.group, order=d.order,
             restricted=bool(d.raw.get("restricted")), assignee_rule=str((d.raw.get("assignee") or {}).get("rule", "")))
        for d in defs
    ])
    record(actor, instance, "process.started", None, {"parties": {r.role: r.employee_id for r in rows}})
    advance(actor, instance)
    return instance


def _steps(instance: ProcessInstance) -> list[Step]:
    return list(Step.objects.filter(company_id=instance.company_id, instance=instance)
                .select_related("assignee_user").order_by("group", "order"))


def advance(actor: Any, instance: ProcessInstance) -> None:
    """Open every waiting step whose dependencies are done; finish the instance when nothing is left."""
    steps = _steps(instance)
    defs = flatten(instance.template_version.definition)
    after = {d.key: d.after for d in defs}
    done = {s.key for s in steps if s.state in FINAL}
    for step in steps:
        if step.state == StepState.WAITING and all(k in done for k in after.get(step.key, [])):
            open_step(actor, instance, step)
    if all(s.state in FINAL for s in steps):
        approved = any(s.kind == StepKind.APPROVAL for s in steps)
        finish(actor, instance, InstanceState.COMPLETED, "approved" if approved else "done")


def open_step(actor: Any, instance: ProcessInstance, step: Step) -> None:
    raw = step_defs(instance).get(step.key, {})
    now = timezone.now()
    step.state, step.opened_at = StepState.OPEN, now
    if step.kind == StepKind.WAIT:
        step.due_at = clock.wait_until(instance.context, raw.get("until")) or clock.due_at(
            instance.company_id, now, raw.get("due")) or now
    else:
        got = assignees.resolve(raw.get("assignee") or {}, company_id=instance.company_id,
                                subject_employee=instance.subject_employee, parties=party_users(instance))
        step.assignee_user_id, step.assignee_role, step.assignee_note = got.user_id, got.role, got.note[:300]
        step.due_at = clock.due_at(instance.company_id, now, raw.get("due"))
    step.save(update_fields=["state", "opened_at", "due_at", "assignee_user", "assignee_role", "assignee_note"])
    clock.schedule_next(step, raw)
    record(actor, instance, "process.step_opened", step, {
        "assignee_user": step.assignee_user_id, "assignee_role": step.assignee_role, "due_at": step.due_at,
        "assignee_note": step.assignee_note,
    })
    if step.kind != StepKind.WAIT:  # a role's step needs no user read back; a person's is read by its id
        _notify(step, instance, "assigned", notices.assignees(step, party_users(instance)), actor)


def _notify(step: Step | None, instance: ProcessInstance, event: str, users: Iterable[User | None], actor: Any,
            level: int = 0, note: str = "") -> None:
    subject, body = notices.texts(event, instance, step, note or (step.note if step is not None else ""))
    notices.send(step, instance, event, users, actor=actor, subject=subject, body=body, level=level)


def _people_concerned(instance: ProcessInstance, step: Step | None = None) -> list[User | None]:
    """The starter and the subject — but a party never hears of a restricted step (nor of the end of a
    process with restricted steps, which could tell a reported employee of a dismissed report)."""
    subject_user = instance.subject_employee.user if instance.subject_employee_id else None
    users = [instance.started_by, subject_user]
    hidden = step.restricted if step is not None else Step.objects.filter(
        company_id=instance.company_id, instance=instance, restricted=True).exists()
    if hidden:
        parties = party_users(instance)
        users = [u for u in users if u is not None and u.pk not in parties]
    return users


def _close(step: Step, state: str, actor: Any, note: str, data: dict[str, Any]) -> None:
    now = timezone.now()
    opened = step.opened_at or now
    step.state, step.closed_at, step.acted_by, step.note = state, now, actor, note
    step.data = {**step.data, **data}
    step.duration_seconds = max(0, int((now - opened).total_seconds()) - step.paused_seconds)
    step.save(update_fields=["state", "closed_at", "acted_by", "note", "data", "duration_seconds"])
    clock.stop(step)


def complete_step(actor: Any, step: Step, note: str, data: dict[str, Any], *, approved: bool) -> Step:
    instance = step.instance
    raw = step_defs(instance).get(step.key, {})
    gates.require(raw.get("gate"), gate_context(instance))
    _close(step, StepState.DONE, actor, note, {**data, "outcome": "approved" if approved else "done"})
    run_actions(raw.get("on_complete"), instance=instance, step=step, actor=actor)
    if approved:
        run_actions(raw.get("on_approved"), instance=instance, step=step, actor=actor)
    record(actor, instance, "process.step_approved" if approved else "process.step_completed", step, {"note": note})
    advance(actor, instance)
    if approved and instance.state == InstanceState.RUNNING:  # the end of the process has its own notice
        _notify(step, instance, "approved", _people_concerned(instance, step), actor)
    return step


def reject_step(actor: User, step: Step, note: str, data: dict[str, Any]) -> Step:
    instance = step.instance
    raw = step_defs(instance).get(step.key, {})
    _close(step, StepState.REJECTED, actor, note, {**data, "outcome": "rejected"})
    run_actions(raw.get("on_rejected"), instance=instance, step=step, actor=actor)
    record(actor, instance, "process.step_rejected", step, {"note": note})
    finish(actor, instance, InstanceState.REJECTED, "rejected", note=note, step=step)
    return step


def finish(actor: Any, instance: ProcessInstance, state: str, outcome: str, *, note: str = "",
           step: Step | None = None) -> None:
    now = timezone.now()
    open_ones = [s for s in _steps(instance) if s.state in (*OPEN_STATES, StepState.WAITING)]
    for s in open_ones:
        s.state = StepState.SKIPPED if s.state == StepState.WAITING else StepState.CANCELLED
        s.closed_at = now
        clock.stop(s)
    Step.objects.bulk_update(open_ones, ["state", "closed_at"])
    definition = instance.template_version.definition
    if state == InstanceState.COMPLETED:
        gates.require(definition.get("gate"), gate_context(instance))
    paused = sum(Step.objects.filter(instance=instance).values_list("paused_seconds", flat=True))
    instance.state, instance.outcome, instance.ended_at = state, outcome, now
    instance.total_seconds = max(0, int((now - instance.started_at).total_seconds()))
    instance.paused_seconds = paused
    instance.save(update_fields=["state", "outcome", "ended_at", "total_seconds", "paused_seconds"])
    events = {InstanceState.COMPLETED: ["on_complete"] + (["on_approved"] if outcome == "approved" else []),
              InstanceState.REJECTED: ["on_rejected"], InstanceState.CANCELLED: ["on_cancelled"]}[state]
    for event in events:
        run_actions(definition.get(event), instance=instance, step=step, actor=actor)
    record(actor, instance, f"process.{state}", None, {"outcome": outcome, "note": note,
                                                       "total_seconds": instance.total_seconds})
    event = {"completed": "completed", "rejected": "rejected", "cancelled": "cancelled"}[state]
    users: list[User | None] = list(_people_concerned(instance, step if state == InstanceState.REJECTED else None))
    if state == InstanceState.CANCELLED:
        for s in open_ones:
            users += notices.assignees(s, party_users(instance))
    _notify(step if state == InstanceState.REJECTED else None, instance, event, users, actor, note=note)


def delegate(actor: User, step: Step, delegate_to: Any, note: str) -> Step:
    target_id = getattr(delegate_to, "pk", delegate_to)
    target = User.objects.filter(company_id=actor.company_id, pk=target_id, is_active=True).first() if isinstance(
        target_id, int) else None
    if target is None:
        raise ValidationError({"delegate_to": _("Choose an active colleague of your company.")})
    if target.pk == actor.pk:
        raise ValidationError({"delegate_to": _("The task is already yours.")})
    if is_party(target, step.instance):
        raise PermissionDenied(_("%(name)s is a party to this matter and cannot act on it.")
                               % {"name": target.get_full_name() or target.username})
    step.assignee_user, step.assignee_role = target, ""
    step.assignee_note = (_("Delegated by %(name)s") % {"name": actor.get_full_name() or actor.username})[:300]
    step.note = note
    step.save(update_fields=["assignee_user", "assignee_role", "assignee_note", "note"])
    record(actor, step.instance, "process.step_delegated", step, {"to": target.pk, "note": note})
    _notify(step, step.instance, "assigned", [target], actor)
    return step


def stop_clock(step: Step) -> None:
    clock.stop(step)


def resume_step(actor: User, step: Step, reason: str) -> None:
    now = timezone.now()
    seconds = max(0, int((now - (step.paused_at or now)).total_seconds()))
    step.state, step.paused_at = StepState.OPEN, None
    step.paused_seconds += seconds
    if step.due_at is not None:
        step.due_at += timezone.timedelta(seconds=seconds)
    step.save(update_fields=["state", "paused_at", "paused_seconds", "due_at"])
    pause = step.pauses.filter(resumed_at__isnull=True).order_by("-paused_at").first()
    if pause is not None:
        pause.resumed_by, pause.resumed_at, pause.resume_reason, pause.seconds = actor, now, reason, seconds
        pause.save(update_fields=["resumed_by", "resumed_at", "resume_reason", "seconds"])
    ProcessInstance.objects.filter(pk=step.instance_id).update(paused_seconds=F("paused_seconds") + seconds)
    clock.schedule_next(step, step_defs(step.instance).get(step.key, {}))
    record(actor, step.instance, "process.step_resumed", step, {"reason": reason, "paused_seconds": seconds})


def _reassign_target(step: Step, level: Mapping[str, Any]) -> assignees.Assignment:
    if level.get("user"):
        return assignees.resolve({"rule": "user", "user": level["user"]}, company_id=step.company_id,
                                 subject_employee=step.instance.subject_employee, parties=party_users(step.instance))
    return assignees.Assignment(None, str(level.get("role") or assignees.FALLBACK_ROLE))


def escalate_step(step: Step) -> Step:
    instance = step.instance
    raw = step_defs(instance).get(step.key, {})
    levels = clock.ladder(raw)
    if step.escalation_level >= len(levels):
        return step
    n = step.escalation_level
    level = levels[n]
    parties = party_users(instance)
    current = notices.assignees(step, parties)
    if n == 0 or level["action"] == "remind":
        _notify(step, instance, "overdue", current, None, level=n)
    to: dict[str, Any] = {}
    if level["action"] == "notify_superior":
        boss = assignees.superior_of(step.assignee_user, step.company_id)
        targets = [boss] if boss is not None and boss.pk not in parties else notices.role_users(
            step.company_id, assignees.FALLBACK_ROLE, parties)
        to = {"users": [u.pk for u in targets if u is not None]}
        _notify(step, instance, "escalated", targets, None, level=n)
    elif level["action"] == "reassign":
        got = _reassign_target(step, level)
        step.assignee_user_id, step.assignee_role = got.user_id, got.role
        step.assignee_note = (got.note or _("Reassigned after the due date passed."))[:300]
        to = {"user": got.user_id, "role": got.role}
    step.escalation_level = n + 1
    step.save(update_fields=["escalation_level", "assignee_user", "assignee_role", "assignee_note"])
    if level["action"] == "reassign":
        step = Step.objects.select_related("assignee_user", "instance").get(pk=step.pk)
        step.instance = instance
        _notify(step, instance, "escalated", notices.assignees(step, parties), None, level=n)
    record(None, instance, "process.step_escalated", step, {"level": n + 1, "action": level["action"], **to})
    clock.schedule_next(step, raw)
    return step
