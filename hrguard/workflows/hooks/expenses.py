"""Trips and expense claims on the engine (``expenses.trip``, ``expenses.claim``: manager → finance by
default); the outcome is written back by ``expenses.apply_outcome``. Facts for gates (exit clearance
and others): ``advances_outstanding`` (yuan still owed by the subject employee) and
``claims_pending`` (their claims still in approval)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hrguard.expenses import selectors as expense_selectors
from hrguard.expenses import services as expense_services

from .. import registry
from ..models import ProcessInstance, Step
from ..registry import FactValue, InstanceContext, Reason
from .leave import OUTCOMES, last_note

SUBJECTS = {"expenses.trip": "trip", "expenses.expenseclaim": "claim"}


@registry.action("expenses.apply_outcome")
def apply_outcome(*, instance: ProcessInstance, step: Step | None, actor: Any) -> None:
    outcome = OUTCOMES.get(instance.state)
    kind = SUBJECTS.get(instance.subject_type)
    if outcome is None or kind is None:
        return
    expense_services.apply_outcome(kind=kind, pk=int(instance.subject_id), outcome=outcome, actor=actor,
                                   note=last_note(instance, step))


def _outstanding(ctx: InstanceContext) -> Any:
    return expense_selectors.outstanding_for(ctx.subject_employee) if ctx.subject_employee is not None else None


@registry.fact("advances_outstanding", label="Cash advances and loans still owed (yuan)")
def advances_outstanding(ctx: InstanceContext) -> FactValue:
    money = _outstanding(ctx)
    if money is None:
        return FactValue(0.0)
    link = reverse("activity:finance")
    reasons = [Reason(text, link) for text in money.reasons()[: len(money.items)]]
    return FactValue(float(money.total), reasons)


@registry.fact("claims_pending", label="Expense claims still in approval")
def claims_pending(ctx: InstanceContext) -> FactValue:
    money = _outstanding(ctx)
    if money is None or not money.pending_claims:
        return FactValue(0)
    return FactValue(money.pending_claims, [Reason(money.reasons()[-1], reverse("activity:finance"))])
