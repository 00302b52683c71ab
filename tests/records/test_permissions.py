"""Permission matrix of activity records, pages and API alike: one record of every kind for 张测试 (S002,
华东组 under 销售部 managed by 王经理), then for every role: which records it sees (API lists and
detail, page detail and file download) and which it does not — including another company's HR.

Employees see their own records (violations only once decided); managers their departments; violations
and complaints only HR / legal / compliance and the line manager (complaints never the employee);
finance sees expenses, not conduct or attendance."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hrguard.core.models import User
from hrguard.people.pages import may_open

from .conftest import Records

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activity"
ROLES = ("admin", "hr", "legal", "compliance", "finance", "manager", "employee", "engineer", "hrbp", "other_hr")
# Who sees S002's records of each kind.
SCOPE = {"admin", "hr", "legal", "compliance", "manager", "employee"}
EXPENSES = {"admin", "hr", "finance", "manager", "employee"}
VIOLATIONS = {"admin", "hr", "legal", "compliance", "manager", "employee"}
VIOLATIONS_UNDECIDED = VIOLATIONS - {"employee"}
COMPLAINTS = {"admin", "hr", "legal", "compliance", "manager"}


API_EXPECTED = {
    "leave-requests": SCOPE, "reviews": SCOPE, "improvement-plans": SCOPE,
    "trips": EXPENSES, "expense-claims": EXPENSES, "advances": EXPENSES,
    "violations": VIOLATIONS, "violations-undecided": VIOLATIONS_UNDECIDED, "complaints": COMPLAINTS,
}


def api(user: User) -> APIClient:
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user)
    return c


def listed(resp: Any) -> set[int]:
    if resp.status_code in (403, 404):
        return set()
    assert resp.status_code == 200, resp.content
    rows = resp.data["results"] if isinstance(resp.data, dict) else resp.data
    return {row["id"] for row in rows}


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(role: str, users: dict[str, User], records: Records) -> None:
    client = api(users[role])
    for kind, who in API_EXPECTED.items():
        route = kind.removesuffix("-undecided")
        pk = records.ids[kind]
        expected = role in who
        assert (pk in listed(client.get(f"{BASE}/{route}/"))) is expected, (role, kind, "list")
        status = client.get(f"{BASE}/{route}/{pk}/").status_code
        assert status == (200 if expected else 404), (role, kind, "detail", status)
    days = client.get(f"{BASE}/attendance-days/", {"start": "2025-03-03"})
    day_rows = days.data["results"] if days.status_code == 200 else []
    assert any(r["employee_no"] == "S002" for r in day_rows) is (role in SCOPE), (role, "attendance-days")
    month = client.get(f"{BASE}/attendance-monthly/", {"month": "2025-03"})
    rows = month.data if month.status_code == 200 else []
    assert any(r["employee__employee_no"] == "S002" for r in rows) is (role in SCOPE), (role, "attendance-monthly")


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(role: str, users: dict[str, User], records: Records, client_for: Any) -> None:
    client = client_for(users[role])

    def status(name: str, *args: Any) -> int:
        return client.get(reverse(f"activity:{name}", args=args)).status_code

    ok = {True: 200, False: 404}
    assert status("violation_detail", records.ids["violations"]) == ok[role in VIOLATIONS], role
    assert status("violation_detail", records.ids["violations-undecided"]) == ok[role in VIOLATIONS_UNDECIDED]
    assert status("attachment", records.files["violation"]) == ok[role in VIOLATIONS], role
    assert status("complaint_detail", records.ids["complaints"]) == ok[role in COMPLAINTS], role
    assert status("attachment", records.files["expense"]) == ok[role in EXPENSES], role
    assert status("review", records.cycle, records.employee) == ok[role in SCOPE], role
    daily = client.get(reverse("activity:attendance_daily"), {"date": "2025-03-03"})
    assert daily.status_code == (200 if may_open(users[role], "activity:attendance_daily") else 403), role
    assert ("张测试" in daily.content.decode()) is (role in SCOPE), role


@pytest.mark.parametrize("role", ROLES)
def test_employee_page_section_matrix(role: str, users: dict[str, User], records: Records, world: Any, client_for: Any) -> None:
    """The profile page's activity section shows each part only to who may see it."""
    resp = client_for(users[role]).get(reverse("people:employee_detail", args=[records.employee]))
    if role not in SCOPE:  # the profile itself is out of reach
        assert resp.status_code in (403, 404), role
        return
    html = resp.content.decode()
    assert "data-activity-section" in html
    assert ('data-open-complaints="1"' in html) is (role in COMPLAINTS), role
    assert ('data-violations="1"' in html) is (role in VIOLATIONS), role
    assert ("data-balance=" in html) is (role in SCOPE), role


@pytest.mark.parametrize(("role", "allowed"), [
    ("hr", True), ("admin", True), ("manager", False), ("employee", False), ("finance", False), ("legal", False),
])
def test_hr_only_pages(role: str, allowed: bool, users: dict[str, User], client_for: Any) -> None:
    client = client_for(users[role])
    for name in ("attendance_import", "shift_list", "calendar"):
        assert client.get(reverse(f"activity:{name}")).status_code == (200 if allowed else 403), (role, name)
    assert (api(users[role]).get(f"{BASE}/punch-imports/").status_code == 200) is allowed
