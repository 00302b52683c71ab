"""工作台, the home page of every role: each sees their own to-dos, what they started, and HR the warnings."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from hrguard.people.models import Employee, EmployeeStatus

from .conftest import TODAY, contract, inapp, leave_request, request_leave, submit_claim, undeliverable

pytestmark = pytest.mark.django_db(transaction=True)


def kinds(html: str, section: str) -> list[str]:
    block = re.search(rf'data-section="{section}">(.*?)</ul>', html, re.S)
    assert block, section
    return re.findall(r'data-kind="(\w+)"', block.group(1))


def test_home_requires_login(client):
    resp = client.get(reverse("home"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_every_role_lands_on_the_workbench_in_chinese(world, client_for):
    for role in ("admin", "hr", "legal", "finance", "manager", "employee", "hrbp"):
        resp = client_for(world.users[role]).get(reverse("home"))
        assert resp.status_code == 200, role  # the employee is no longer sent to their profile
        html = resp.content.decode()
        assert "<h1 class=\"h3 mb-0\">工作台</h1>" in html and "My to-dos" not in html, role
    english = client_for(world.users["employee"], lang="en").get(reverse("home")).content.decode()
    assert "Workbench" in english and "工作台" not in english


def test_manager_sees_the_leave_to_approve_and_the_employee_sees_it_waiting(world, other_world, client_for):
    request = request_leave(world, "east_rep", start=TODAY + dt.timedelta(days=3))
    request_leave(other_world, "east_rep", start=TODAY)  # another company's: never shown
    manager = client_for(world.users["manager"]).get(reverse("home")).content.decode()
    assert kinds(manager, "todos") == ["task"] and "张测试" in manager
    assert re.search(r'href="/processes/tasks/\d+/"', manager)
    employee = client_for(world.users["employee"]).get(reverse("home")).content.decode()
    assert kinds(employee, "todos") == [] and kinds(employee, "started") == ["process"]  # once, not twice
    assert 'id="alerts"' not in employee and 'id="workbench-charts"' not in employee
    engineer = client_for(world.users["engineer"]).get(reverse("home")).content.decode()
    assert kinds(engineer, "todos") == [] and kinds(engineer, "started") == []  # not his team, not his request
    from hrguard.leave import services

    services.decide_leave(world.users["manager"], request, True)
    assert kinds(client_for(world.users["manager"]).get(reverse("home")).content.decode(), "todos") == []
    assert kinds(client_for(world.users["employee"]).get(reverse("home")).content.decode(), "started") == []


def test_leave_filed_by_hr_shows_as_waiting_for_the_employee(world, client_for):
    leave_request(world, "east_rep", start=TODAY)  # a record without a process of the employee's
    employee = client_for(world.users["employee"]).get(reverse("home")).content.decode()
    assert kinds(employee, "started") == ["leave_request"]


def test_hr_warnings_link_to_their_records(world, other_world, client_for):
    Employee.objects.filter(pk=world.employees["engineer"].pk).update(status=EmployeeStatus.PROBATION)
    contract(world, "engineer", "HT-P", end=TODAY + dt.timedelta(days=700), probation_end=TODAY + dt.timedelta(days=10),
             start=TODAY - dt.timedelta(days=80))
    contract(world, "east_rep", "HT-SOON", end=TODAY + dt.timedelta(days=20))
    contract(world, "sales_rep", "HT-PAST", end=TODAY - dt.timedelta(days=45))  # working on, no new contract
    contract(world, "sales_manager", "HT-LATER", end=TODAY + dt.timedelta(days=90))  # outside the window
    contract(other_world, "east_rep", "HT-OTHER", end=TODAY + dt.timedelta(days=5))
    undeliverable(world, "wb-fail", "合同到期提醒")
    html = client_for(world.users["hr"]).get(reverse("home")).content.decode()
    assert kinds(html, "probation") == ["probation"]
    assert f'href="/people/{world.employees["engineer"].pk}/#contracts"' in html
    assert kinds(html, "renewal") == ["renewal", "renewal"]
    assert html.index("HT-PAST") < html.index("HT-SOON")  # the most urgent first
    assert "双倍工资" in html and "《劳动合同法》第82条" in html and "HT-LATER" not in html and "HT-OTHER" not in html
    assert kinds(html, "undelivered") == ["undelivered"] and "合同到期提醒" in html
    assert kinds(html, "unsigned") == []
    # An HR business partner sees the warnings of the departments they partner only (研发部: the engineer).
    hrbp = client_for(world.users["hrbp"]).get(reverse("home")).content.decode()
    assert kinds(hrbp, "probation") == ["probation"] and kinds(hrbp, "renewal") == []
    assert kinds(hrbp, "undelivered") == []  # the problems page is HR's
    for role in ("manager", "finance", "employee"):
        page = client_for(world.users[role]).get(reverse("home")).content.decode()
        assert 'id="alerts"' not in page and "HT-SOON" not in page, role


def test_hr_sees_headcount_tiles_and_chart_data(world, client_for):
    Employee.objects.filter(pk=world.employees["sales_rep"].pk).update(status=EmployeeStatus.LEAVING)
    html = client_for(world.users["hr"]).get(reverse("home")).content.decode()
    tiles = {k: int(v) for k, v in re.findall(r'data-status="(\w+)">(\d+)<', html)}
    assert tiles == {"all": 4, "pending": 0, "probation": 0, "active": 3, "leaving": 1, "left": 0}
    data = re.search(r'<script id="workbench-charts" type="application/json">(.*?)</script>', html, re.S)
    assert data and "vendor/echarts/echarts.min.js" in html and "hrguard/workbench.js" in html
    import json

    charts = json.loads(data.group(1))
    assert len(charts["months"]) == 12 and charts["months"][-1] == f"{TODAY:%Y-%m}"
    heads = {s["name"]: s["data"][-1] for s in charts["headcount"]["series"]}
    assert heads == {"销售部": 3, "研发部": 1}  # the children of the single root 总部
    assert [s["name"] for s in charts["movements"]["series"]] == ["入职", "转正", "调动", "离职"]


def test_chart_cache_is_dropped_when_an_employee_changes(world, client_for):
    c = client_for(world.users["hr"])
    assert 'data-status="all">4<' in c.get(reverse("home")).content.decode()
    emp = world.employees["engineer"]
    emp.status = EmployeeStatus.LEFT
    emp.save()
    assert 'data-status="left">1<' in c.get(reverse("home")).content.decode()


def test_unread_badge_in_the_navigation(world, client_for):
    c = client_for(world.users["employee"])
    html = c.get(reverse("home")).content.decode()
    assert 'data-unread="0"' in html and "data-unread-badge" not in html
    inapp(world, world.users["employee"], "wb-1", "请确认员工手册")
    inapp(world, world.users["employee"], "wb-2", "请签署劳动合同")
    inapp(world, world.users["hr"], "wb-3", "给人事的")
    html = c.get(reverse("people:my_profile")).content.decode()  # on every page with the bar
    assert re.search(r'data-unread-badge>2<', html)
    from hrguard.notify import services

    services.open_message(world.users["employee"], services.inbox(world.users["employee"])[0].pk)
    assert re.search(r'data-unread-badge>1<', c.get(reverse("home")).content.decode())


def test_finance_sees_the_claims_waiting_for_finance(world, other_world, client_for):
    from hrguard.expenses import services
    from hrguard.workflows.selectors import open_tasks_for

    claim = submit_claim(world)
    submit_claim(other_world, "99.00")
    assert kinds(client_for(world.users["finance"]).get(reverse("home")).content.decode(), "todos") == []
    manager = client_for(world.users["manager"]).get(reverse("home")).content.decode()
    assert kinds(manager, "todos") == ["task"]
    services.decide(world.users["manager"], claim, True)
    finance = client_for(world.users["finance"]).get(reverse("home")).content.decode()
    assert kinds(finance, "todos") == ["task"] and open_tasks_for(user=other_world.users["finance"]) == []
    assert "99.00" not in finance
