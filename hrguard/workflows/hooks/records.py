"""The engine behind ``hrguard.records.approvals`` (the port the record apps call for their approvals)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from hrguard.core.roles import Role
from hrguard.records import approvals

from .. import engine, selectors, services
from ..models import OPEN_STATES, InstanceState, ProcessInstance, Step


def _running(subject: Any) -> ProcessInstance:
    instance = selectors.instance_for(subject=subject)
    if instance is None:
        raise ValidationError(_("This request has no approval process."))
    if instance.state != InstanceState.RUNNING:
        raise ValidationError({"status": _("This request was already decided (%(s)s).")
                               % {"s": instance.get_state_display()}})
    return instance


class RecordApprovals:
    def start(self, *, actor: Any, company: Any, template_key: str, subject: Any, subject_employee: Any,
              title: str) -> Any:
        return services.start(actor=actor, company=company, template_key=template_key, subject=subject,
                              subject_employee=subject_employee, title=title)

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

    def status(self, *, subject_type: str, company_id: int, ids: list[int]) -> dict[int, approvals.Progress]:
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


def _name(user: Any) -> str:
    """The person's name on the roster (their account name when they have no employee record)."""
    if user is None:
        return ""
    employee = getattr(user, "employee", None) if hasattr(user, "_state") else None
    return employee.name if employee is not None else (user.get_full_name() or user.username)


def _progress(instance: ProcessInstance, steps: list[Step]) -> approvals.Progress:
    acted = [s for s in steps if s.acted_by_id and s.closed_at]
    last = max(acted, key=lambda s: s.closed_at) if acted else None
    waiting = [s for s in steps if s.state in OPEN_STATES]
    who = [_name(s.assignee_user) if s.assignee_user_id else str(Role(s.assignee_role).label)
           for s in waiting if s.assignee_user_id or s.assignee_role in Role.values]
    return approvals.Progress(
        state=instance.state, decided_by=_name(last.acted_by) if last else "",
        decided_at=last.closed_at if last else None, note=last.note if last else "", waiting_for=who,
        step_names=[s.name for s in waiting], instance_id=instance.pk,
    )


approvals.register(RecordApprovals())
