"""Leave on the engine: the outcome of ``leave.request`` is written back by ``leave.apply_outcome``."""

from __future__ import annotations

from typing import Any

from hrguard.leave import services as leave_services

from .. import registry
from ..models import InstanceState, ProcessInstance, Step

OUTCOMES = {InstanceState.COMPLETED: "approved", InstanceState.REJECTED: "rejected",
            InstanceState.CANCELLED: "cancelled"}


def last_note(instance: ProcessInstance, step: Step | None) -> str:
    if step is not None and step.note:
        return step.note
    last = (Step.objects.filter(company_id=instance.company_id, instance=instance, acted_by__isnull=False)
            .exclude(note="").order_by("-closed_at", "-id").first())
    return last.note if last is not None else ""


@registry.action("leave.apply_outcome")
def apply_outcome(*, instance: ProcessInstance, step: Step | None, actor: Any) -> None:
    outcome = OUTCOMES.get(instance.state)
    if outcome is None or instance.subject_type != "leave.leaverequest":
        return
    leave_services.apply_outcome(leave_id=int(instance.subject_id), outcome=outcome, actor=actor,
                                 note=last_note(instance, step))
