"""The engine's steps on the 工作台: the assignee's to-do, the starter's "where it waits", HR's overdue steps."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hrguard.workflows import editing, services
from hrguard.workflows.models import Step

from .test_home import kinds

pytestmark = pytest.mark.django_db(transaction=True)

TWO_STEPS: dict[str, Any] = {
    "stages": [
        {"key": "manager", "name": "上级审批", "kind": "approval", "assignee": {"rule": "manager"},
         "due": {"days": 2, "unit": "calendar"}},
        {"key": "finance", "name": "财务审核", "kind": "approval", "assignee": {"rule": "role", "role": "finance"}},
    ],
}


def start(world: Any) -> Any:
    editing.create_template(actor=world.users["admin"], company=world.company, key="wb.flow", name="测试流程",
                            definition=TWO_STEPS)
    employee = world.employees["east_rep"]
    return services.start(actor=world.users["employee"], company=world.company, template_key="wb.flow",
                          subject=employee, subject_employee=employee, title="张测试的申请")


def test_steps_show_for_the_assignee_and_the_starter(world, other_world, client_for):
    instance = start(world)
    manager = client_for(world.users["manager"]).get(reverse("home")).content.decode()
    assert kinds(manager, "todos") == ["task"] and "上级审批 · 张测试的申请" in manager
    employee = client_for(world.users["employee"]).get(reverse("home")).content.decode()
    assert kinds(employee, "started") == ["process"] and "等待 acme-manager" in employee  # waits for the manager
    assert "task" not in kinds(employee, "todos")  # the subject does not approve their own request
    for role in ("finance", "engineer", "hr"):
        page = client_for(world.users[role]).get(reverse("home")).content.decode()
        assert "task" not in kinds(page, "todos"), role
    assert "上级审批" not in client_for(other_world.users["manager"]).get(reverse("home")).content.decode()
    step = Step.objects.get(instance=instance, key="manager")
    services.act(actor=world.users["manager"], step_id=step.pk, action="approve")
    finance = client_for(world.users["finance"]).get(reverse("home")).content.decode()
    assert kinds(finance, "todos") == ["task"] and "财务审核" in finance
    assert kinds(client_for(world.users["manager"]).get(reverse("home")).content.decode(), "todos") == []


def test_overdue_steps_are_marked_and_listed_for_hr(world, client_for):
    instance = start(world)
    Step.objects.filter(instance=instance, key="manager").update(due_at=timezone.now() - dt.timedelta(days=3))
    manager = client_for(world.users["manager"]).get(reverse("home")).content.decode()
    assert re.search(r'data-kind="task" data-overdue="true"', manager) and "已逾期" in manager
    hr = client_for(world.users["hr"]).get(reverse("home")).content.decode()
    assert kinds(hr, "overdue") == ["overdue_step"] and "上级审批 · 张测试的申请" in hr
    hrbp = client_for(world.users["hrbp"]).get(reverse("home")).content.decode()
    assert 'data-section="overdue"' not in hrbp  # company-wide: HR only
