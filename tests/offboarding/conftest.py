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


@pytest.fixture
def contracted(world: Any) -> Any:
    """张测试 (east_rep) with a fixed-term contract and the default document templates: what the exit's
    documents state (contract term)."""
    from decimal import Decimal

    from hrguard.documents.library import ensure_default_templates
    from hrguard.people.models import Contract

    ensure_default_templates(world.company)
    Contract.objects.create(company=world.company, employee=world.employees["east_rep"], contract_no="HT-2020-001",
                            contract_type="fixed_term", start_date=dt.date(2020, 1, 6), end_date=dt.date(2027, 1, 5),
                            wage=Decimal("12000"), work_location="上海")
    return world


def persuasion_exit(start: Any, *, ended: bool = False, **kw: Any) -> Any:
    """A 劝退 recorded as an agreement proposed by the company (Art. 36), dated from today: the last day
    five days ago (``ended``: the end-of-employment deadline has run) or in ten days."""
    from django.utils import timezone

    from hrguard.deadlines import services as deadlines

    today = timezone.localdate()
    last = today - dt.timedelta(days=5) if ended else today + dt.timedelta(days=10)
    ex = start(kind="mutual", ground="art36_employer", persuasion=True, notice_date=today - dt.timedelta(days=20),
               last_day=last, reason="双方协商一致", **kw)
    if ended:
        deadlines.sweep()
        ex.refresh_from_db()
        assert ex.employment_ended
    return ex
