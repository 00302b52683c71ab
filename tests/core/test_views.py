"""Home page per role: HR dashboard (headcount by status), manager's team, employee → own profile."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hrguard.people.models import Employee, EmployeeStatus

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = pytest.mark.django_db


def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-status="(\w+)">(\d+)<', html)}


def test_home_requires_login(client):
    resp = client.get(reverse("home"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_hr_dashboard_counts_by_status_for_own_company(world, other_world, client_for):
    Employee.objects.filter(pk=world.employees["engineer"].pk).update(status=EmployeeStatus.PROBATION)
    Employee.objects.filter(pk=world.employees["sales_rep"].pk).update(status=EmployeeStatus.LEAVING)
    html = client_for(world.users["hr"]).get(reverse("home")).content.decode()
    assert counts(html) == {"all": 4, "pending": 0, "probation": 1, "active": 2, "leaving": 1, "left": 0}
    assert 'href="/people/?status=probation"' in html and 'href="/people/"' in html


def test_dashboard_headcount_is_one_group_by_query(world, client_for):
    c = client_for(world.users["hr"])
    c.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        c.get(reverse("home"))
    employee_queries = [q["sql"] for q in ctx.captured_queries if "people_employee" in q["sql"]]
    counting = [q for q in employee_queries if "COUNT(" in q]
    assert len(counting) == 1 and "GROUP BY" in counting[0]
    # Any other employee query is a keyed lookup (the viewer's own record for the nav), never a scan.
    assert all('"user_id" =' in q or '"id" =' in q for q in employee_queries if q not in counting)


def test_manager_home_shows_team(world, client_for):
    html = client_for(world.users["manager"]).get(reverse("home")).content.decode()
    ids = {int(m) for m in re.findall(r'href="/people/(\d+)/"', html)}
    assert ids == {world.employees[k].pk for k in ("sales_manager", "east_rep", "sales_rep")}
    assert "data-status" not in html


def test_hrbp_home_shows_partnered_team(world, client_for):
    html = client_for(world.users["hrbp"]).get(reverse("home")).content.decode()
    ids = {int(m) for m in re.findall(r'href="/people/(\d+)/"', html)}
    assert ids == {world.employees["engineer"].pk}


def test_employee_lands_on_own_profile(world, client_for):
    c = client_for(world.users["employee"])
    resp = c.get(reverse("home"))
    assert resp.status_code == 302 and resp["Location"] == reverse("people:my_profile")
    assert "张测试" in c.get(resp["Location"]).content.decode()


def test_user_without_record_or_team_gets_a_plain_home(world, client_for):
    resp = client_for(world.users["finance"]).get(reverse("home"))
    assert resp.status_code == 200 and "data-status" not in resp.content.decode()


def test_healthz(client, db):
    assert client.get(reverse("healthz")).json() == {"ok": True}
