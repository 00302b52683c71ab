"""Issue 8 §3.11 / §3.12: finance records advances through the API it is documented for; one attendance
day is read by id without the list's period parameters."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hrguard.attendance.models import AttendanceDay
from hrguard.expenses.models import Advance

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activity"


def api(user) -> APIClient:
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user)
    return c


def advance(world, employee="engineer"):
    return {"employee": world.employees[employee].pk, "kind": "advance", "amount": "3000.00",
            "issued_on": "2025-03-03", "purpose": "出差备用金"}


def test_finance_issues_an_advance_to_an_employee_it_does_not_see_on_the_roster(world):
    resp = api(world.users["finance"]).post(f"{BASE}/advances/", advance(world), format="json")
    assert resp.status_code == 201, resp.content
    assert Advance.objects.get(pk=resp.data["id"]).employee_id == world.employees["engineer"].pk


@pytest.mark.parametrize("key", ["employee", "legal", "hrbp"])
def test_others_still_cannot_issue_advances(world, key):
    resp = api(world.users[key]).post(f"{BASE}/advances/", advance(world), format="json")
    assert resp.status_code in (403, 404)
    assert Advance.objects.count() == 0


def test_finance_cannot_issue_to_another_company(world, other_world):
    resp = api(world.users["finance"]).post(
        f"{BASE}/advances/", advance(other_world), format="json"
    )
    assert resp.status_code == 404 and Advance.objects.count() == 0


def test_one_attendance_day_by_id_without_start_and_end(world):
    hr = api(world.users["hr"])
    hr.post(f"{BASE}/punch-imports/batch/", {"punches": [
        {"employee_no": "S002", "time": "2025-03-03 09:07", "direction": "in"},
        {"employee_no": "S002", "time": "2025-03-03 18:02", "direction": "out"},
    ]}, format="json")
    day = AttendanceDay.objects.get()
    resp = hr.get(f"{BASE}/attendance-days/{day.pk}/")
    assert resp.status_code == 200, resp.content
    assert resp.data["id"] == day.pk and resp.data["status"] == "late"
    assert api(world.users["engineer"]).get(f"{BASE}/attendance-days/{day.pk}/").status_code == 404  # scope kept
    assert hr.get(f"{BASE}/attendance-days/").status_code == 400  # the list still needs its period
