"""Discipline on the engine: the default processes ``discipline.violation`` (investigate → decide →
acknowledge) and ``discipline.dismissal_review`` (opened by the escalation ladder), the actions that
write their outcome back to the records, the facts ``open_complaints`` / ``open_violations`` for gates,
(the discipline services act through the port ``hrguard.records.processes``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hrguard.discipline import selectors as discipline
from hrguard.discipline import violations
from hrguard.discipline.models import DisciplineReview, Violation
from hrguard.records import processes

from .. import defaults, registry
from ..models import InstanceState, ProcessInstance, Step, StepState

VIOLATION = processes.subject_type(Violation)
REVIEW = processes.subject_type(DisciplineReview)
REMIND = [{"after_days": 0, "action": "remind"}, {"after_days": 2, "action": "notify_superior"}]

defaults.register_default(violations.VIOLATION_PROCESS, gettext_noop("Violation handling"), {
    "stages": [
        {"key": "investigate", "name": "调查核实", "kind": "task", "restricted": True,
         "assignee": {"rule": "role", "role": "compliance"}, "due": {"days": 5, "unit": "working"},
         "escalation": REMIND, "on_complete": ["discipline.record_investigation"]},
        {"key": "decide", "name": "处理决定", "kind": "approval", "restricted": True,
         "assignee": {"rule": "role", "role": "hr"}, "due": {"days": 5, "unit": "working"},
         "escalation": REMIND, "on_approved": ["discipline.apply_decision"],
         "on_rejected": ["discipline.apply_decision"]},
        {"key": "acknowledge", "name": "员工签收", "kind": "task", "assignee": {"rule": "subject"},
         "due": {"days": 3, "unit": "working"}, "escalation": [{"after_days": 0, "action": "remind"}],
         "on_complete": ["discipline.apply_acknowledgement"]},
    ],
})
defaults.register_default(violations.REVIEW_PROCESS, gettext_noop("Dismissal review"), {
    "stages": [
        {"key": "conclude", "name": "解除评审结论", "kind": "task", "restricted": True,
         "assignee": {"rule": "role", "role": "hr"}, "due": {"days": 5, "unit": "working"}, "escalation": REMIND},
    ],
    "on_complete": ["discipline.close_review"], "on_rejected": ["discipline.close_review"],
    "on_cancelled": ["discipline.close_review"],
})


# ---- actions: the outcome back on the record --------------------------------------------------------

def _subject(instance: ProcessInstance, model: Any) -> Any:
    return model.objects.select_for_update(of=("self",)).select_related("employee").get(
        company_id=instance.company_id, pk=int(instance.subject_id))


@registry.action("discipline.record_investigation")
def record_investigation(*, instance: ProcessInstance, step: Step | None, actor: Any) -> None:
    text = str((step.data if step else {}).get("investigation") or "")
    violations.apply_investigation(actor, _subject(instance, Violation), text)


@registry.action("discipline.apply_decision")
def apply_decision(*, instance: ProcessInstance, step: Step | None, actor: Any) -> None:
    if step is None:
        return
    data = {k: step.data.get(k) for k in ("decision", "decision_note", "deduction_amount", "suspension_days")}
    violations.apply_decision(actor, _subject(instance, Violation), {k: v for k, v in data.items() if v is not None},
                              rejected=step.state == StepState.REJECTED, note=step.note)


@registry.action("discipline.apply_acknowledgement")
def apply_acknowledgement(*, instance: ProcessInstance, step: Step | None, actor: Any) -> None:
    if step is None:
        return
    data = step.data
    own = actor is not None and step.assignee_user_id == getattr(actor, "pk", None) and step.assignee_rule == "subject"
    if "accept" not in data and own:
        data = {**data, "accept": True}  # the employee completed their own step from the task list
    if "accept" not in data:
        raise ValidationError({"ack": _("Record the employee's acknowledgement or refusal on the violation's page.")})
    violations.apply_acknowledgement(actor, _subject(instance, Violation), accept=bool(data["accept"]),
                                     note=str(data.get("ack_note") or step.note or ""),
                                     witnessed=bool(data.get("witnessed")) and not own)


@registry.action("discipline.close_review")
def close_review(*, instance: ProcessInstance, step: Step | None, actor: Any) -> None:
    if instance.state == InstanceState.CANCELLED:
        text = _("Process cancelled")
    else:
        last = (Step.objects.filter(company_id=instance.company_id, instance=instance, closed_at__isnull=False)
                .exclude(state__in=(StepState.SKIPPED, StepState.CANCELLED)).order_by("-closed_at", "-id").first())
        text = str((last.data.get("review_outcome") or last.note) if last else "")
    violations.apply_review_outcome(actor, _subject(instance, DisciplineReview), text)


# ---- facts for gates ------------------------------------------------------------------------------

def _money(amount: Any) -> str:
    return f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"


@registry.fact("open_complaints", label=gettext_lazy("Open client complaints against the employee"))
def open_complaints(ctx: registry.InstanceContext) -> registry.FactValue:
    if ctx.subject_employee is None:
        return registry.FactValue(0)
    count, rows = discipline.open_complaints_of(ctx.subject_employee)
    return registry.FactValue(count, [
        registry.Reason(_("Client complaint #%(id)d open — claimed %(amount)s") % {
            "id": c.pk, "amount": _money(c.claimed_loss)}, reverse("activity:complaint_detail", args=[c.pk]))
        for c in rows])


@registry.fact("open_violations", label=gettext_lazy("Violations of the employee still being handled"))
def open_violations(ctx: registry.InstanceContext) -> registry.FactValue:
    if ctx.subject_employee is None:
        return registry.FactValue(0)
    count, rows = discipline.open_violations_of(ctx.subject_employee)
    return registry.FactValue(count, [
        registry.Reason(_("Violation #%(id)d not yet decided — %(clause)s")
                        % {"id": v.pk, "clause": f"{v.clause.code} {v.clause.title}"},
                        reverse("activity:violation_detail", args=[v.pk]))
        for v in rows])
