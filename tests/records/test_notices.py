"""Leave requests, leave decisions and violation decisions notify the people concerned through the
outbox: once per event and person (idempotent), in the same transaction (nothing when the change fails)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hrguard.discipline import violations
from hrguard.leave import services as leave_services
from hrguard.leave.models import LeaveRequest
from hrguard.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def inbox_of(user):
    return list(OutboxMessage.objects.filter(user=user, channel="inapp").order_by("pk"))


def ask(world):
    return leave_services.request_leave(
        world.users["employee"], world.employees["east_rep"],
        {"leave_type": "personal", "start_date": "2025-03-03", "end_date": "2025-03-04", "reason": "家事"},
    )


def test_leave_request_reaches_the_line_manager_once(world):
    leave = ask(world)
    messages = inbox_of(world.users["manager"])  # 王经理 manages 销售部, above 华东组
    assert len(messages) == 1 and messages[0].purpose == "workflows.assigned"
    assert "张测试" in messages[0].body and messages[0].about_type == "workflows.step"
    assert messages[0].link.startswith("/processes/tasks/")
    assert inbox_of(world.users["employee"]) == []  # the requester is not told about their own request
    assert leave.status == "pending"


def test_without_a_line_manager_hr_hears_of_the_request(world):
    leave = leave_services.request_leave(
        world.users["hr"], world.employees["engineer"],  # 研发部 has no manager
        {"leave_type": "personal", "start_date": "2025-03-03", "end_date": "2025-03-03", "reason": "x"},
    )
    assert inbox_of(world.users["hr"]) == []  # HR asked on their behalf: not to self
    assert LeaveRequest.objects.filter(pk=leave.pk).exists()
    leave_services.request_leave(
        world.users["engineer"], world.employees["engineer"],
        {"leave_type": "personal", "start_date": "2025-03-05", "end_date": "2025-03-05", "reason": "y"},
    )
    assert [m.purpose for m in inbox_of(world.users["hr"])] == ["workflows.assigned"]


@pytest.mark.parametrize("approve", [True, False])
def test_the_decision_reaches_the_employee(world, approve):
    leave = ask(world)
    leave_services.decide_leave(world.users["manager"], leave, approve, "" if approve else "人手不足")
    messages = inbox_of(world.users["employee"])
    assert len(messages) == 1
    assert messages[0].purpose == ("workflows.completed" if approve else "workflows.rejected")
    assert ("已批准" in messages[0].subject) is approve
    if not approve:
        assert "人手不足" in messages[0].body


def test_a_refused_change_sends_nothing(world):
    before = OutboxMessage.objects.count()
    with pytest.raises(ValidationError):
        leave_services.request_leave(
            world.users["employee"], world.employees["east_rep"],
            {"leave_type": "personal", "start_date": "2025-03-05", "end_date": "2025-03-01"},
        )
    assert OutboxMessage.objects.count() == before


def test_violation_decision_reaches_the_employee_and_the_manager(world, compliance):
    clause = violations.save_clause(compliance, world.company, {"code": "5.3", "title": "私下与客户交易"})
    v = violations.record_violation(
        compliance, world.employees["east_rep"],
        {"clause": clause.pk, "occurred_on": "2025-03-03", "facts": "在店外与客户私下成交。"}, [],
    )
    assert inbox_of(world.users["employee"]) == []  # under investigation: the employee is not told
    violations.decide(compliance, v, {"decision": "serious_warning", "decision_note": "违反手册5.3条"})
    mine = inbox_of(world.users["employee"])
    decided = [m for m in mine if m.purpose == "violation.decided"]
    assert len(decided) == 1 and decided[0].link.endswith(f"/violations/{v.pk}/")
    # Besides, the acknowledgement is on the employee's task list (the engine's step) — and nothing else:
    # the restricted investigation and decision steps are not announced to the employee.
    assert sorted(m.idempotency_key.split(":")[2] for m in mine if m not in decided) == ["assigned"]
    assert len(inbox_of(world.users["manager"])) == 1


def test_a_dismissed_report_is_not_sent_to_the_employee(world, compliance):
    clause = violations.save_clause(compliance, world.company, {"code": "5.4", "title": "迟到"})
    v = violations.record_violation(
        compliance, world.employees["east_rep"], {"clause": clause.pk, "occurred_on": "2025-03-03", "facts": "x"}, [],
    )
    violations.decide(compliance, v, {"decision": "not_substantiated", "decision_note": "证据不足"})
    assert inbox_of(world.users["employee"]) == []
    assert len(inbox_of(world.users["manager"])) == 1


def test_expense_claim_goes_manager_then_finance_and_the_employee_hears_each_step(world):
    from hrguard.expenses import services as expenses

    c = expenses.submit_claim(
        world.users["employee"], world.employees["east_rep"],
        {"category": "lodging", "spent_on": "2025-03-04", "amount": "1280.50", "description": "上海住宿两晚"},
        [("发票.jpg", b"\xff\xd8\xff receipt")],
    )
    assert [m.purpose for m in inbox_of(world.users["manager"])] == ["workflows.assigned"]
    assert inbox_of(world.users["finance"]) == []
    expenses.decide(world.users["manager"], c, True)
    assert [m.purpose for m in inbox_of(world.users["finance"])] == ["workflows.assigned"]
    expenses.decide(world.users["finance"], c, False, "发票抬头不符")
    mine = inbox_of(world.users["employee"])
    assert [m.purpose for m in mine] == ["workflows.approved", "workflows.rejected"]
    assert "发票抬头不符" in mine[1].body
