"""Overdue steps escalate on the durable deadlines (deadlines.sweep), wait steps finish on their date,
notifications go out once per step, event and person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.notify.models import OutboxMessage
from hrguard.people.models import Employee
from hrguard.workflows import engine, services
from hrguard.workflows.models import ProcessInstance, Step

pytestmark = pytest.mark.django_db

LADDER = {"stages": [{
    "key": "manager", "name": "上级审批", "kind": "approval", "assignee": {"rule": "manager"},
    "due": {"days": 1, "unit": "calendar"},
    "escalation": [{"after_days": 0, "action": "remind"}, {"after_days": 1, "action": "notify_superior"},
                   {"after_days": 2, "action": "reassign", "role": "hr"}],
}]}


def inbox(user: Any) -> list[str]:
    return list(OutboxMessage.objects.filter(user=user, channel="inapp").order_by("pk").values_list("purpose", flat=True))


@pytest.fixture
def director(world: Any) -> Any:
    from hrguard.core.models import User

    user = User.objects.create_user(username="acme-director", password="x", company=world.company, role="employee")
    boss = Employee.objects.create(company=world.company, employee_no="D001", name="钱总监",
                                   department=world.depts["root"], hire_date=dt.date(2019, 1, 1), user=user)
    manager = world.employees["sales_manager"]
    manager.manager = boss
    manager.save(update_fields=["manager"])
    return user


def test_an_overdue_step_is_reminded_then_escalated_to_the_superior_then_reassigned(
        world: Any, make_template: Any, start_for: Any, director: Any) -> None:
    make_template(LADDER)
    instance = start_for("east_rep")
    step = instance.steps.get(key="manager")
    manager = world.users["manager"]
    assert inbox(manager) == ["workflows.assigned"]
    deadlines.sweep(now=step.due_at - dt.timedelta(minutes=1))
    assert inbox(manager) == ["workflows.assigned"]  # not due yet
    deadlines.sweep(now=step.due_at + dt.timedelta(minutes=1))
    assert inbox(manager) == ["workflows.assigned", "workflows.overdue"]
    assert inbox(director) == []
    deadlines.sweep(now=step.due_at + dt.timedelta(days=1, minutes=1))
    assert inbox(director) == ["workflows.escalated"]
    assert Step.objects.get(pk=step.pk).assignee_user_id == manager.pk  # told, not yet taken away
    deadlines.sweep(now=step.due_at + dt.timedelta(days=2, minutes=1))
    step.refresh_from_db()
    assert (step.assignee_user_id, step.assignee_role, step.escalation_level) == (None, "hr", 3)
    assert inbox(world.users["hr"]) == ["workflows.escalated"]
    before = OutboxMessage.objects.count()
    deadlines.sweep(now=step.due_at + dt.timedelta(days=9))  # nothing left on the ladder
    services.escalate(step_id=step.pk)  # a repeated handler call changes nothing
    assert OutboxMessage.objects.count() == before
    services.act(actor=world.users["hr"], step_id=step.pk, action="approve")
    assert ProcessInstance.objects.get(pk=instance.pk).state == "completed"


def test_a_decided_step_is_not_escalated(world: Any, make_template: Any, start_for: Any) -> None:
    make_template(LADDER)
    instance = start_for("east_rep")
    step = instance.steps.get(key="manager")
    services.act(actor=world.users["manager"], step_id=step.pk, action="approve")
    deadlines.sweep(now=step.due_at + dt.timedelta(days=5))
    assert "workflows.overdue" not in inbox(world.users["manager"])


def test_a_wait_step_finishes_on_its_date(world: Any, make_template: Any, start_for: Any) -> None:
    make_template({"stages": [{"key": "wait", "name": "等到离职日", "kind": "wait", "until": "last_day"},
                              {"key": "hr", "name": "办理", "kind": "task",
                               "assignee": {"rule": "role", "role": "hr"}}]}, key="test.wait")
    instance = start_for("east_rep", key="test.wait", context={"last_day": "2030-06-30"})
    wait = instance.steps.get(key="wait")
    assert wait.state == "open" and timezone.localtime(wait.due_at).date() == dt.date(2030, 6, 30)
    deadlines.sweep(now=wait.due_at - dt.timedelta(hours=1))
    assert Step.objects.get(pk=wait.pk).state == "open"
    deadlines.sweep(now=wait.due_at + dt.timedelta(minutes=1))
    assert Step.objects.get(pk=wait.pk).state == "done"
    assert Step.objects.get(instance=instance, key="hr").state == "open"


def test_notifications_are_idempotent_per_step_event_and_person(world: Any, make_template: Any,
                                                                start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    step = Step.objects.select_related("assignee_user").get(instance=instance, key="manager")
    before = OutboxMessage.objects.count()
    engine._notify(step, instance, "assigned", [world.users["manager"]], None)
    engine._notify(step, instance, "assigned", [world.users["manager"], world.users["manager"]], None)
    assert OutboxMessage.objects.count() == before
    assert inbox(world.users["manager"]) == ["workflows.assigned"]


def test_due_in_working_days_skips_the_national_day_holiday(world: Any) -> None:
    from hrguard.workflows import clock

    opened = timezone.make_aware(dt.datetime(2025, 9, 30, 10, 0))  # the day before 国庆节
    due = clock.due_at(world.company.pk, opened, {"days": 1, "unit": "working"})
    assert timezone.localtime(due).date() == dt.date(2025, 10, 9)  # 1–8 October off, 11 October a swapped workday
    calendar = clock.due_at(world.company.pk, opened, {"days": 1, "unit": "calendar"})
    assert timezone.localtime(calendar).date() == dt.date(2025, 10, 1)


def test_demo_backdating_moves_the_open_step_back_with_evidence_in_one_transaction(
        world: Any, make_template: Any, start_for: Any, monkeypatch: Any) -> None:
    from django.core.exceptions import ValidationError

    from hrguard.evidence.models import EvidenceEvent

    make_template(LADDER)
    instance = start_for("east_rep")
    step = instance.steps.get(key="manager")
    age = dt.timedelta(days=5)
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.backdate_for_demo(instance_id=instance.pk, age=dt.timedelta(0), why="demo")
    assert refused.value.message_dict == {"age": ["回溯的天数必须大于零。"]}

    # A failure after the first write (the evidence event) leaves the instance and its step as they were.
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("evidence store unavailable")

    monkeypatch.setattr(services.evidence, "record", broken)
    with pytest.raises(RuntimeError):
        services.backdate_for_demo(instance_id=instance.pk, age=age, why="demo")
    monkeypatch.undo()
    assert ProcessInstance.objects.get(pk=instance.pk).started_at == instance.started_at
    assert Step.objects.get(pk=step.pk).due_at == step.due_at

    (moved,) = services.backdate_for_demo(instance_id=instance.pk, age=age, why="demo data")
    assert ProcessInstance.objects.get(pk=instance.pk).started_at == instance.started_at - age
    fresh = Step.objects.get(pk=step.pk)
    assert (fresh.opened_at, fresh.due_at) == (step.opened_at - age, step.due_at - age) == (moved.opened_at, moved.due_at)
    import json

    event = EvidenceEvent.objects.get(action="demo.process_backdated")
    assert event.subject_id == str(step.pk) and event.employee_id == world.employees["east_rep"].pk
    assert '"days":5' in event.record.replace(" ", "") and "demo data" in json.dumps(event.record, ensure_ascii=False)
