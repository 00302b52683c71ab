"""Fixtures for care: an approved emergency aid loan, run through the engine as HR and finance would."""

from __future__ import annotations

from typing import Any

import pytest


def open_steps(subject: Any) -> list[Any]:
    from hrguard.workflows.models import Step
    from hrguard.workflows.selectors import instance_for

    instance = instance_for(subject=subject)
    return list(Step.objects.filter(instance=instance, state="open").order_by("group", "order"))


def approve_all(world: Any, loan: Any) -> Any:
    from hrguard.workflows import services as engine

    for role in ("hr", "finance"):
        (step,) = open_steps(loan)
        assert step.assignee_role == role
        engine.act(actor=world.users[role], step_id=step.pk, action="approve", note="同意")
    loan.refresh_from_db()
    return loan


@pytest.fixture
def loan(world: Any) -> Any:
    """张测试 applies for 12,000 herself; HR and finance approve."""
    from hrguard.care import aid

    made = aid.apply(actor=world.users["employee"], employee=world.employees["east_rep"], amount="12000",
                     reason="家人住院，急需医疗费")
    return approve_all(world, made)
