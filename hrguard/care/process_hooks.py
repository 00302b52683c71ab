"""Care on the engine (imported by ``WorkflowsConfig.ready``): the default template ``care.aid_loan``
(HR, then finance), its outcome action ``care.aid_outcome`` and the exit-clearance fact
``aid_outstanding`` (yuan the subject still owes on emergency aid loans, a double)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hrguard.workflows import defaults, registry
from hrguard.workflows.registry import FactValue, InstanceContext, Reason
from hrguard.workflows.types import InstanceState

from . import aid, selectors

SUBJECT = "care.aidloan"
OUTCOMES = {InstanceState.COMPLETED: "approved", InstanceState.REJECTED: "rejected",
            InstanceState.CANCELLED: "cancelled"}

defaults.register_default(aid.TEMPLATE, gettext_noop("Emergency aid approval"), {
    "stages": [
        {"key": "hr", "name": "人事审核", "kind": "approval", "assignee": {"rule": "role", "role": "hr"},
         "due": {"days": 2, "unit": "working"}, "escalation": [{"after_days": 0, "action": "remind"}]},
        {"key": "finance", "name": "财务审核", "kind": "approval", "assignee": {"rule": "role", "role": "finance"},
         "due": {"days": 3, "unit": "working"}, "escalation": [{"after_days": 0, "action": "remind"}]},
    ],
    "on_approved": ["care.aid_outcome"], "on_rejected": ["care.aid_outcome"], "on_cancelled": ["care.aid_outcome"],
})


@registry.action("care.aid_outcome")
def aid_outcome(*, instance: Any, step: Any, actor: Any) -> None:
    outcome = OUTCOMES.get(instance.state)
    if outcome is None or instance.subject_type != SUBJECT:
        return
    note = getattr(step, "note", "") if step is not None else ""
    aid.apply_outcome(loan_id=int(instance.subject_id), outcome=outcome, actor=actor, note=note)


@registry.fact("aid_outstanding", label=gettext_lazy("Emergency aid loans still owed (yuan)"))
def aid_outstanding(ctx: InstanceContext) -> FactValue:
    if ctx.subject_employee is None:
        return FactValue(0.0)
    loans = selectors.outstanding_loans(ctx.subject_employee)
    return FactValue(float(sum((loan.balance for loan in loans), 0)), [
        Reason(_("Emergency aid #%(n)s not repaid — balance %(b)s") % {"n": loan.pk, "b": aid.money(loan.balance)},
               reverse("care:aid_detail", args=[loan.pk]))
        for loan in loans[:20]])
