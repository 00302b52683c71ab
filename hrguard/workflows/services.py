"""The process engine's state changes. Each one: keyword-only, one transaction, a permission check,
evidence events and outbox messages in that transaction.

* ``start(*, actor, company, template_key, subject, subject_employee=None, parties=None, context=None)``
* ``act(*, actor, step_id, action, note="", data=None, delegate_to=None)`` — approve | reject | complete |
  delegate. The step row is locked first, so acting twice (or two people at once) leaves one decision.
* ``pause`` / ``resume`` (the SLA clock, with reasons), ``escalate`` (the deadline handler), ``cancel``;
* ``add_party`` — a party named after the start (a witness added to a case);
* ``backdate_for_demo`` — the demo seed only: an instance as if started days ago.
Template changes (``create_template``, ``new_version``) are in ``hrguard.workflows.editing``."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.core.validation import clean_free_text
from hrguard.deadlines import services as deadlines
from hrguard.evidence import services as evidence
from hrguard.notify import services as notify
from hrguard.people.models import Employee

from . import engine
from .models import (
    OPEN_STATES,
    InstanceState,
    PartyRole,
    ProcessInstance,
    ProcessParty,
    Step,
    StepKind,
    StepPause,
    StepState,
)

F = TypeVar("F", bound=Callable[..., Any])


def _transition(fn: F) -> F:
    """One transaction; the company's channel set-up read once for every notice the change sends; the
    change's evidence events (the step's, the next step's, their notices') appended together at its end,
    in that transaction."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic(), notify.config_scope(), evidence.batched():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


ACTIONS = ("approve", "reject", "complete", "delegate")
KIND_ACTIONS = {
    StepKind.APPROVAL: ("approve", "reject", "delegate"),
    StepKind.TASK: ("complete", "delegate"),
    StepKind.SIGNATURE: ("complete", "delegate"),
    StepKind.WAIT: (),
}


def _reason(value: Any, field: str, *, required: bool = False, max_length: int = 300) -> str:
    return clean_free_text(value, field, required=required, max_length=max_length,
                           required_message=_("Give a reason."))


@_transition
def start(
    *,
    actor: User | None,
    company: Company,
    template_key: str,
    subject: Any,
    subject_employee: Employee | None = None,
    parties: Mapping[str, Iterable[Employee]] | None = None,
    context: Mapping[str, Any] | None = None,
    title: str = "",
) -> ProcessInstance:
    """Start the company's current version of ``template_key`` about ``subject`` (a model instance).
    ``parties``: {"complainant": [Employee, …]}; the subject employee is always a party."""
    if actor is not None and actor.company_id != company.pk:
        raise PermissionDenied(_("You can only start processes of your own company."))
    if subject_employee is not None and subject_employee.company_id != company.pk:
        raise ValidationError(_("The employee belongs to another company."))
    if getattr(subject, "company_id", company.pk) != company.pk:
        raise ValidationError(_("The record belongs to another company."))
    if actor is not None and not engine.may_start(actor, subject_employee):
        raise PermissionDenied(_("You may not start this process."))
    version = engine.current_version(company, template_key)
    return engine.create_instance(
        actor=actor, company=company, version=version, subject=subject, subject_employee=subject_employee,
        parties=parties or {}, context=dict(context or {}), title=title,
    )


def _locked_step(actor: User | None, step_id: Any) -> Step:
    try:
        pk = int(step_id)
    except (TypeError, ValueError):
        raise Http404(_("No such task.")) from None
    qs = Step.objects.select_for_update(of=("self",)).select_related("instance", "assignee_user")
    if actor is not None:
        qs = qs.filter(company_id=actor.company_id)
    step = qs.filter(pk=pk).first()
    if step is None:
        raise Http404(_("No such task."))
    return step


def _refuse_closed(step: Step) -> None:
    if step.state == StepState.PAUSED:
        raise ValidationError(_("This step is paused; resume it first."), code="paused")
    if step.state != StepState.OPEN:
        raise ValidationError(
            _("This step is already closed (%(state)s); nothing was changed.") % {"state": step.get_state_display()},
            code="closed",
        )


@_transition
def act(
    *,
    actor: User,
    step_id: int,
    action: str,
    note: str = "",
    data: Mapping[str, Any] | None = None,
    delegate_to: User | int | None = None,
) -> Step:
    """Approve, reject, complete or delegate an open step assigned to the actor (or their role)."""
    if action not in ACTIONS:
        raise ValidationError({"action": _("Choose approve, reject, complete or delegate.")})
    step = _locked_step(actor, step_id)
    _refuse_closed(step)
    if not engine.may_act(actor, step):
        raise PermissionDenied(_("This task is not yours to act on."))
    if action not in KIND_ACTIONS[step.kind]:
        raise ValidationError({"action": _("A step of this kind cannot be “%(action)s”.") % {"action": action}})
    text = _reason(note, "note", required=action == "reject", max_length=500)
    if data is not None and (not isinstance(data, Mapping) or len(str(data)) > 5000):
        raise ValidationError({"data": _("The form data is an object of at most 5,000 characters.")})
    if action == "delegate":
        return engine.delegate(actor, step, delegate_to, text)
    if action == "reject":
        return engine.reject_step(actor, step, text, dict(data or {}))
    return engine.complete_step(actor, step, text, dict(data or {}), approved=action == "approve")


@_transition
def pause(*, actor: User, step_id: int, reason: str) -> Step:
    """Stop the step's SLA clock (e.g. waiting for the employee); the reason is kept in its history."""
    step = _locked_step(actor, step_id)
    text = _reason(reason, "reason", required=True, max_length=300)
    if step.state != StepState.OPEN:
        raise ValidationError(_("Only an open step can be paused."), code="not_open")
    if not (engine.may_act(actor, step) or engine.oversees(actor, step.instance)):
        raise PermissionDenied(_("You may not pause this step."))
    now = timezone.now()
    step.state, step.paused_at = StepState.PAUSED, now
    step.save(update_fields=["state", "paused_at"])
    StepPause.objects.create(company_id=step.company_id, step=step, reason=text, paused_by=actor, paused_at=now)
    engine.stop_clock(step)
    engine.record(actor, step.instance, "process.step_paused", step, {"reason": text})
    return step


@_transition
def resume(*, actor: User, step_id: int, reason: str) -> Step:
    """Restart the clock; the pause is added to the step's paused time and its due date moves by as much."""
    step = _locked_step(actor, step_id)
    text = _reason(reason, "reason", required=True, max_length=300)
    if step.state != StepState.PAUSED:
        raise ValidationError(_("Only a paused step can be resumed."), code="not_paused")
    if not (engine.may_act(actor, step) or engine.oversees(actor, step.instance)):
        raise PermissionDenied(_("You may not resume this step."))
    engine.resume_step(actor, step, text)
    return step


@_transition
def escalate(*, step_id: int) -> Step | None:
    """The next level of an overdue step's escalation ladder (called by the deadline handler). A step
    closed or paused since the deadline was set is left alone."""
    step = _locked_step(None, step_id)
    if step.state != StepState.OPEN:
        return None
    return engine.escalate_step(step)


@_transition
def finish_wait(*, step_id: int) -> Step | None:
    """A wait step's date has come (the deadline handler): it completes and the process moves on."""
    step = _locked_step(None, step_id)
    if step.state != StepState.OPEN or step.kind != StepKind.WAIT:
        return None
    return engine.complete_step(None, step, "", {}, approved=False)


@_transition
def cancel(*, actor: User | None, instance_id: int, reason: str) -> ProcessInstance:
    """Withdraw a running process (its starter, or HR); open steps are cancelled, their clocks stopped."""
    text = _reason(reason, "reason", required=actor is not None, max_length=300)
    qs = ProcessInstance.objects.select_for_update(of=("self",))
    if actor is not None:
        qs = qs.filter(company_id=actor.company_id)
    instance = qs.filter(pk=instance_id).first()
    if instance is None:
        raise Http404(_("No such process."))
    if instance.state != InstanceState.RUNNING:
        raise ValidationError(_("This process is no longer running; nothing was changed."), code="closed")
    if actor is not None and not engine.may_cancel(actor, instance):
        raise PermissionDenied(_("You may not cancel this process."))
    engine.finish(actor, instance, InstanceState.CANCELLED, "cancelled", note=text)
    return instance


@transaction.atomic
def add_party(*, actor: User | None, instance_id: int, employee: Employee, role: str) -> bool:
    """Make ``employee`` a party of a running process after its start (e.g. a witness named later on a
    case): from now on they never act on it nor see its restricted steps. Returns False if already one."""
    qs = ProcessInstance.objects.select_for_update(of=("self",)).filter(pk=instance_id)
    if actor is not None:
        qs = qs.filter(company_id=actor.company_id)
    instance = qs.first()
    if instance is None:
        raise Http404(_("No such process."))
    if employee.company_id != instance.company_id:
        raise ValidationError(_("A party belongs to another company."))
    role = role if role in PartyRole.values else PartyRole.OTHER.value
    made = ProcessParty.objects.get_or_create(
        company_id=instance.company_id, instance=instance, employee=employee, role=role,
        defaults={"user_id": employee.user_id})[1]
    if made:
        engine.record(actor, instance, "process.party_added", None, {"employee": employee.pk, "role": role})
    return made


@_transition
def backdate_for_demo(*, instance_id: int, age: dt.timedelta, why: str) -> list[Step]:
    """The demo seed's running approvals made old (``hrguard demo`` only): the instance's start and its open
    steps' opened / due times move back by ``age`` (the due offset is kept), their pending step deadlines are
    cancelled, and each step gets a ``demo.process_backdated`` evidence event saying so — all in one
    transaction (``_transition``: a failure half-way moves nothing). Returns the moved steps (the caller
    escalates those now past due). An instance without an open dated step is left alone.

    No actor and no permission check: no page or API reaches it; only the seed of ``hrguard demo`` and the
    bench generator's ``--history`` call it, on the company they have just generated."""
    if age <= dt.timedelta(0):
        raise ValidationError({"age": _("The age must be positive.")})
    # Only the instance's row is locked: PostgreSQL refuses FOR UPDATE on the outer join's nullable side.
    instances = ProcessInstance.objects.select_for_update(of=("self",)).select_related("subject_employee")
    instance = instances.get(pk=instance_id)
    now = timezone.now()
    steps = list(Step.objects.filter(company_id=instance.company_id, instance_id=instance.pk, state__in=OPEN_STATES,
                                     due_at__isnull=False).order_by("group", "order"))
    if not steps:
        return []
    ProcessInstance.objects.filter(pk=instance.pk).update(started_at=instance.started_at - age)
    for step in steps:
        deadlines.cancel(f"workflows.step:{step.pk}:")
        step.opened_at = (step.opened_at or now) - age
        step.due_at = step.due_at - age
        Step.objects.filter(pk=step.pk).update(opened_at=step.opened_at, due_at=step.due_at)
        evidence.record(instance.company_id, None, "demo.process_backdated", step,
                        employee=instance.subject_employee_id, data={
                            "title": instance.title, "instance": instance.pk, "step": step.key,
                            "opened_at": step.opened_at, "due_at": step.due_at, "days": age.days, "why": why,
                        })
    return steps


def open_step_states() -> tuple[str, ...]:
    return tuple(str(s) for s in OPEN_STATES)
