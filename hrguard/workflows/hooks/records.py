"""The engine behind ``hrguard.records.processes``, the one port the record apps below the engine run their
flows through (single decisions: leave, trips, claims; step by step: violations, the dismissal review)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from hrguard.core.roles import Role
from hrguard.records import processes

from .. import engine, selectors, services
from ..models import OPEN_STATES, InstanceState, ProcessInstance, Step, StepKind, StepState


def _running(subject: Any) -> ProcessInstance:
    instance = selectors.instance_for(subject=subject)
    if instance is None:
        raise ValidationError(_("This request has no approval process."))
    if instance.state != InstanceState.RUNNING:
        raise ValidationError({"status": _("This request was already decided (%(s)s).")
                               % {"s": instance.get_state_display()}})
    return instance


class RecordProcesses:
    def start(self, *, actor: Any, company: Any, template_key: str, subject: Any, subject_employee: Any,
              title: str, checked: bool) -> Any:
        if not checked:
            return services.start(actor=actor, company=company, template_key=template_key, subject=subject,
                                  subject_employee=subject_employee, title=title)
        # The record app checked the actor's permission on the record (a compliance officer may record a
        # violation, though the generic start is for HR and line managers).
        version = engine.current_version(company, template_key)
        return engine.create_instance(actor=actor, company=company, version=version, subject=subject,
                                      subject_employee=subject_employee, parties={}, context={}, title=title)

    def act(self, *, actor: Any, subject: Any, step_key: str, action: str, note: str, data: dict[str, Any]) -> None:
        instance = selectors.instance_for(subject=subject)
        if instance is None or instance.state != InstanceState.RUNNING:
            raise ValidationError({"status": _("This record's process is not running.")})
        step = (Step.objects.select_for_update(of=("self",)).select_related("assignee_user")
                .filter(company_id=instance.company_id, instance=instance, key=step_key).first())
        if step is None or step.state not in OPEN_STATES:
            raise ValidationError({"status": _("This step is not open; nothing was changed.")})
        if step.state == StepState.PAUSED:
            raise ValidationError({"status": _("This step is paused; resume it first.")})
        step.instance = instance
        own = step.assignee_rule == "subject" and step.assignee_user_id == actor.pk
        if engine.is_party(actor, instance) and not own:
            raise PermissionDenied(_("A party to this matter cannot act on it."))
        if action == "reject":
            engine.reject_step(actor, step, note, data)
        else:
            engine.complete_step(actor, step, note, data, approved=step.kind == StepKind.APPROVAL)

    def decide(self, *, actor: Any, subject: Any, approve: bool, note: str) -> None:
        instance = _running(subject)
        steps = Step.objects.filter(company_id=instance.company_id, instance=instance, state__in=OPEN_STATES)
        for step in steps.select_related("assignee_user").order_by("group", "order"):
            step.instance = instance
            if engine.may_act(actor, step):
                services.act(actor=actor, step_id=step.pk, action="approve" if approve else "reject", note=note)
                return
        raise PermissionDenied(_("This request is not waiting for your decision."))

    def cancel(self, *, actor: Any, subject: Any, reason: str) -> None:
        """The record app has checked that the actor may withdraw the record (e.g. their own request)."""
        instance = _running(subject)
        instance = ProcessInstance.objects.select_for_update(of=("self",)).get(pk=instance.pk)
        if instance.state == InstanceState.RUNNING:
            engine.finish(actor, instance, InstanceState.CANCELLED, "cancelled", note=reason)

    def pending_ids(self, *, user: Any, subject_type: str, limit: int) -> list[int]:
        tasks = selectors.open_tasks_for(user=user, limit=limit, subject_type=subject_type)
        return list(dict.fromkeys(int(t.instance.subject_id) for t in tasks))

    def status(self, *, subject_type: str, company_id: int, ids: list[int]) -> dict[int, processes.Progress]:
        instances = {
            int(i.subject_id): i for i in ProcessInstance.objects.filter(
                company_id=company_id, subject_type=subject_type, subject_id__in=[str(x) for x in ids]
            ).order_by("started_at", "id")
        }  # the latest instance per record wins
        steps: dict[int, list[Step]] = {}
        for step in Step.objects.filter(company_id=company_id, instance_id__in=[i.pk for i in instances.values()]) \
                .select_related("assignee_user__employee", "acted_by__employee").order_by("group", "order"):
            steps.setdefault(step.instance_id, []).append(step)
        return {sid: _progress(instance, steps.get(instance.pk, [])) for sid, instance in instances.items()}


    def flows(self, *, subject_type: str, company_id: int, ids: list[int]) -> dict[int, processes.Flow]:
        instances = _latest(subject_type, company_id, ids)
        steps: dict[int, list[processes.StepInfo]] = {}
        for step in (Step.objects.filter(company_id=company_id, instance_id__in=[i.pk for i in instances.values()])
                     .select_related("assignee_user", "acted_by").order_by("group", "order")):
            steps.setdefault(step.instance_id, []).append(_info(step))
        return {sid: processes.Flow(i.pk, i.state, steps.get(i.pk, [])) for sid, i in instances.items()}


def _latest(subject_type: str, company_id: int, ids: list[int]) -> dict[int, ProcessInstance]:
    """The latest process per record (later rows win)."""
    return {int(i.subject_id): i for i in ProcessInstance.objects.filter(
        company_id=company_id, subject_type=subject_type, subject_id__in=[str(x) for x in ids],
    ).order_by("started_at", "id")}


def _info(step: Step) -> processes.StepInfo:
    who = _account_name(step.assignee_user) if step.assignee_user_id else (
        str(Role(step.assignee_role).label) if step.assignee_role in Role.values else "")
    return processes.StepInfo(
        id=step.pk, key=step.key, name=step.name, state=step.state, assignee=who, due_at=step.due_at,
        closed_at=step.closed_at, acted_by=_account_name(step.acted_by) if step.acted_by_id else "", note=step.note)


def _account_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _name(user: Any) -> str:
    """The person's name on the roster (their account name when they have no employee record)."""
    if user is None:
        return ""
    employee = getattr(user, "employee", None) if hasattr(user, "_state") else None
    return employee.name if employee is not None else (user.get_full_name() or user.username)


def _progress(instance: ProcessInstance, steps: list[Step]) -> processes.Progress:
    acted = [s for s in steps if s.acted_by_id and s.closed_at]
    last = max(acted, key=lambda s: s.closed_at) if acted else None
    waiting = [s for s in steps if s.state in OPEN_STATES]
    who = [_name(s.assignee_user) if s.assignee_user_id else str(Role(s.assignee_role).label)
           for s in waiting if s.assignee_user_id or s.assignee_role in Role.values]
    return processes.Progress(
        state=instance.state, decided_by=_name(last.acted_by) if last else "",
        decided_at=last.closed_at if last else None, note=last.note if last else "", waiting_for=who,
        step_names=[s.name for s in waiting], instance_id=instance.pk,
    )


processes.register(RecordProcesses())
