"""Browser scenarios of the process engine (issue 9): an employee requests leave, the manager sees it
in their tasks and approves, the employee sees the approval; an admin adds a finance step to the
expense template and the next claim waits for finance; a step goes overdue and escalates to the
superior."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from hrguard.core.models import User
from hrguard.deadlines import services as deadlines
from hrguard.deadlines.models import Deadline
from hrguard.expenses import services as expense_services
from hrguard.expenses.models import ExpenseClaim
from hrguard.leave.models import LeaveRequest
from hrguard.people.models import Employee
from hrguard.workflows import editing, selectors
from hrguard.workflows.defaults import DEFAULTS, ensure_default_templates
from hrguard.workflows.models import ProcessTemplate, Step

from .conftest import csp_violations, password_for, shoot
from .test_activity import sign_in

RECEIPT = ("发票.jpg", b"\xff\xd8\xff receipt")


def second_page(browser: Any, page: Any) -> Any:
    """A second signed-out browser on the same live server."""
    return browser.new_context(base_url="/".join(page.url.split("/", 3)[:3]), locale="zh-CN").new_page()


def test_leave_request_waits_in_the_managers_tasks_and_the_employee_sees_the_approval(
        page: Any, e2e_world: Any, console_log: Any, browser: Any) -> None:
    sign_in(page, "acme-employee", password_for("employee"))
    page.goto("/activity/leave/")
    page.select_option("#id_leave_type", "personal")
    page.fill("#id_start_date", "2025-03-12")
    page.fill("#id_end_date", "2025-03-13")
    page.fill("#id_reason", "家中有事")
    page.click("#leave-form button[type='submit']")
    row = page.locator("#my-requests tbody tr").first
    expect(row.locator("[data-leave-status]")).to_have_attribute("data-leave-status", "pending")
    expect(row.locator("[data-waiting-for]")).to_contain_text("直属上级审批：王经理")

    manager = second_page(browser, page)
    sign_in(manager, "acme-manager", password_for("manager"))
    manager.goto("/processes/tasks/")
    task = manager.locator("[data-task]").filter(has_text="张测试")
    expect(task).to_have_count(1)
    expect(task).to_contain_text("直属上级审批")
    task.locator("button[value='approve']").click()
    expect(manager.locator("#no-tasks")).to_be_visible()
    assert LeaveRequest.objects.get().status == "approved"
    shoot(manager, "/tmp/engine-tasks-after.png")  # noqa: S108

    page.reload()
    expect(page.locator("#my-requests [data-leave-status]").first).to_have_attribute("data-leave-status", "approved")
    assert csp_violations(console_log) == []


def test_admin_adds_a_finance_step_and_the_next_claim_waits_for_finance(
        page: Any, e2e_world: Any, console_log: Any) -> None:
    w = e2e_world
    ensure_default_templates(w.company)
    template = ProcessTemplate.objects.get(company=w.company, key="expenses.claim")
    # The company first runs claims past the manager only …
    only_manager = copy.deepcopy(DEFAULTS["expenses.claim"]["definition"])
    only_manager["stages"] = only_manager["stages"][:1]
    editing.new_version(actor=w.users["admin"], template_id=template.pk, definition=only_manager)
    first = expense_services.submit_claim(w.users["employee"], w.employees["east_rep"], {
        "category": "meals", "spent_on": "2025-03-04", "amount": "88", "description": "午餐"}, [RECEIPT])
    expense_services.decide(w.users["manager"], first, True)
    assert ExpenseClaim.objects.get(pk=first.pk).status == "approved"  # no finance step yet

    # … then the admin adds a finance step through the API the template page uses.
    from tests.conftest import api_client_for

    with_finance = copy.deepcopy(DEFAULTS["expenses.claim"]["definition"])
    resp = api_client_for(w.users["admin"]).post(f"/api/v1/processes/templates/{template.pk}/versions/",
                                                 {"definition": with_finance}, format="json")
    assert resp.status_code == 201, resp.content
    second = expense_services.submit_claim(w.users["employee"], w.employees["east_rep"], {
        "category": "lodging", "spent_on": "2025-03-05", "amount": "480", "description": "杭州住宿"}, [RECEIPT])
    expense_services.decide(w.users["manager"], second, True)
    assert ExpenseClaim.objects.get(pk=second.pk).status == "submitted"

    sign_in(page, "acme-finance", password_for("finance"))
    page.goto("/processes/tasks/")
    task = page.locator("[data-task]").filter(has_text="杭州住宿")
    expect(task).to_have_count(1)
    expect(task).to_contain_text("财务审核")
    task.locator("button[value='approve']").click()
    expect(page.locator("#no-tasks")).to_be_visible()
    assert ExpenseClaim.objects.get(pk=second.pk).status == "approved"
    assert csp_violations(console_log) == []


def test_an_overdue_step_escalates_to_the_superior(page: Any, e2e_world: Any, console_log: Any) -> None:
    w = e2e_world
    director_user = User.objects.create_user(username="acme-director", password=password_for("director"),
                                             company=w.company, role="employee")
    director = Employee.objects.create(company=w.company, employee_no="D001", name="钱总监",
                                       department=w.depts["root"], hire_date=dt.date(2019, 1, 1),
                                       user=director_user)
    boss = w.employees["sales_manager"]
    boss.manager = director
    boss.save(update_fields=["manager"])
    from hrguard.leave import services as leave_services

    leave = leave_services.request_leave(w.users["employee"], w.employees["east_rep"], {
        "leave_type": "personal", "start_date": "2025-03-12", "end_date": "2025-03-12", "reason": "看病"})
    step = Step.objects.get(instance__subject_id=str(leave.pk), key="manager")
    # The request has been waiting for two days past its due date (its clock row moved with it).
    past = timezone.now() - dt.timedelta(days=2)
    Step.objects.filter(pk=step.pk).update(due_at=past)
    Deadline.objects.filter(key__startswith=f"workflows.step:{step.pk}:").update(due_at=past)
    deadlines.sweep()  # overdue: the manager is reminded (and the next level is due a day later)
    deadlines.sweep()  # a day after the due date: the superior is told

    sign_in(page, "acme-manager", password_for("manager"))
    page.goto("/processes/tasks/")
    task = page.locator("[data-task]").filter(has_text="张测试")
    expect(task.locator("[data-overdue]")).to_be_visible()

    boss_page = second_page(page.context.browser, page)
    sign_in(boss_page, "acme-director", password_for("director"))
    boss_page.goto("/notify/inbox/")
    expect(boss_page.locator("body")).to_contain_text("张测试")
    shoot(boss_page, "/tmp/engine-escalated.png")  # noqa: S108
    assert [t.step.pk for t in selectors.open_tasks_for(user=w.users["manager"])] == [step.pk]
    assert csp_violations(console_log) == []
