"""Fixtures for exits: the world's company with the roles the exit process needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

NOTICE = dt.date(2026, 11, 2)


@pytest.fixture
def staff(world: Any) -> dict[str, Any]:
    """One user for each role the default exit process assigns (compliance, client service, finance, IT)."""
    from hrguard.core.models import User

    out = {"hr": world.users["hr"], "finance": world.users["finance"], "manager": world.users["manager"],
           "admin": world.users["admin"]}
    for role in ("compliance", "client_service", "it"):
        out[role] = User.objects.create_user(username=f"acme-{role}", password="pw-x", company=world.company, role=role)
    return out


@pytest.fixture
def start(world: Any) -> Any:
    from hrguard.offboarding import services

    def run(employee_key: str = "east_rep", *, actor: Any = None, kind: str = "resignation", **kw: Any) -> Any:
        kw.setdefault("notice_date", NOTICE)
        return services.start_exit(actor=actor or world.users["hr"], employee=world.employees[employee_key],
                                   kind=kind, **kw)

    return run


@pytest.fixture
def complaint(world: Any) -> Any:
    """An open client complaint against 张测试 (seed 003: a client's loss of 200,000)."""
    from hrguard.discipline import complaints

    def make(employee_key: str = "east_rep", loss: str = "200000") -> Any:
        return complaints.record_complaint(world.users["hr"], world.employees[employee_key], {
            "client": "李某", "received_on": dt.date(2026, 10, 1), "claimed_loss": loss,
            "facts": "私下接受客户委托买卖股票，造成客户账户亏损。"})

    return make


def open_steps(exit_: Any) -> list[Any]:
    from hrguard.workflows.models import Step

    return list(Step.objects.filter(instance_id=exit_.process_id, state="open").order_by("group", "order"))


def act_as(step: Any, users: dict[str, Any]) -> Any:
    """Complete a step as the person it is assigned to (or a holder of its role)."""
    from hrguard.workflows import services as engine

    user = step.assignee_user or next(u for u in users.values() if u.role == step.assignee_role)
    return engine.act(actor=user, step_id=step.pk, action="complete", note="ok")


def confirm_all(exit_: Any, users: dict[str, Any]) -> None:
    from hrguard.offboarding import items

    for item in exit_.items.filter(state="pending"):
        user = item.receiver or next(u for u in users.values() if u.role == item.receiver_role)
        items.confirm_item(actor=user, item_id=item.pk)
