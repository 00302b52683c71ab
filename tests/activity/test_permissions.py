"""Permission matrix of activity records, pages and API alike: one record of every kind for 张测试 (S002,
华东组 under 销售部 managed by 王经理), then for every role: which records it sees (API lists and
detail, page detail and file download) and which it does not — including another company's HR.

Employees see their own records (violations only once decided); managers their departments; violations
and complaints only HR / legal / compliance and the line manager (complaints never the employee);
finance sees expenses, not conduct or attendance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hrguard.activity.attendance import importer
from hrguard.activity.discipline import complaints, violations
from hrguard.activity.expenses import services as expenses
from hrguard.activity.leave import services as leave
from hrguard.activity.models import Attachment
from hrguard.activity.performance import services as performance
from hrguard.core.models import User

from .conftest import client_for, csv_bytes

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activity"
ROLES = ("admin", "hr", "legal", "compliance", "finance", "manager", "employee", "engineer", "hrbp", "other_hr")
# Who sees S002's records of each kind.
SCOPE = {"admin", "hr", "legal", "compliance", "manager", "employee"}
EXPENSES = {"admin", "hr", "finance", "manager", "employee"}
VIOLATIONS = {"admin", "hr", "legal", "compliance", "manager", "employee"}
VIOLATIONS_UNDECIDED = VIOLATIONS - {"employee"}
COMPLAINTS = {"admin", "hr", "legal", "compliance", "manager"}


@dataclass
class Records:
    ids: dict[str, int]
    cycle: int
    employee: int
    files: dict[str, int]


@pytest.fixture
def users(world: Any, other_world: Any) -> dict[str, User]:
    out = dict(world.users)
    out["compliance"] = User.objects.create_user(username="acme-compliance", password="pw-compliance-1",
                                                 company=world.company, role="compliance")
    out["other_hr"] = other_world.users["hr"]
    return out


@pytest.fixture
def records(world: Any, users: dict[str, User]) -> Records:
    emp = world.employees["east_rep"]
    hr, me, boss, officer = users["hr"], users["employee"], users["manager"], users["compliance"]
    importer.import_file(hr, world.company, importer.get_default_profile(world.company),
                         csv_bytes(["S002,2025-03-03 09:30,上班", "S002,2025-03-03 18:00,下班"]), "p.csv")
    request = leave.request_leave(me, emp, {"leave_type": "sick", "start_date": "2025-03-04",
                                            "end_date": "2025-03-04", "reason": "发烧"})
    trip = expenses.submit_trip(me, emp, {"start_date": "2025-03-05", "end_date": "2025-03-06",
                                          "destination": "杭州", "purpose": "客户拜访"})
    claim = expenses.submit_claim(me, emp, {"category": "transport", "spent_on": "2025-03-05", "amount": "88",
                                            "description": "高铁"}, [("票据.pdf", b"%PDF-1.4 ticket")])
    advance = expenses.issue_advance(users["finance"], emp, {"kind": "loan", "amount": "1000",
                                                             "issued_on": "2025-03-01", "purpose": "借款"})
    cycle = performance.create_cycle(hr, world.company, {"name": "2025Q1", "start_date": "2025-01-01",
                                                         "end_date": "2025-03-31"})
    review = performance.set_kpis(boss, emp, cycle, [{"name": "销售额", "weight": "100"}])
    plan = performance.create_plan(boss, emp, {"goals": "提升回款", "start_date": "2025-03-01",
                                               "deadline": "2025-05-31"})
    clause = violations.save_clause(officer, world.company, {"code": "5.3", "title": "私下与客户交易"})
    decided = violations.record_violation(officer, emp, {"clause": clause.pk, "occurred_on": "2025-03-03",
                                                         "facts": "私下成交"}, [("截图.pdf", b"%PDF-1.4 x")])
    violations.decide(officer, decided, {"decision": "warning", "decision_note": "警告"})
    undecided = violations.record_violation(officer, emp, {"clause": clause.pk, "occurred_on": "2025-03-04",
                                                           "facts": "待调查"})
    complaint = complaints.record_complaint(officer, emp, {"client": "周女士", "received_on": "2025-03-05",
                                                           "facts": "未回访"})
    files = {kind: Attachment.objects.get(owner_type=kind, owner_id=pk).pk
             for kind, pk in (("expense", claim.pk), ("violation", decided.pk))}
    return Records(
        ids={"leave-requests": request.pk, "trips": trip.pk, "expense-claims": claim.pk, "advances": advance.pk,
             "reviews": review.pk, "improvement-plans": plan.pk, "violations": decided.pk,
             "violations-undecided": undecided.pk, "complaints": complaint.pk},
        cycle=cycle.pk, employee=emp.pk, files=files,
    )


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
def test_page_matrix(role: str, users: dict[str, User], records: Records) -> None:
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
    assert daily.status_code == 200
    assert ("张测试" in daily.content.decode()) is (role in SCOPE), role


@pytest.mark.parametrize("role", ROLES)
def test_employee_page_section_matrix(role: str, users: dict[str, User], records: Records, world: Any) -> None:
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
def test_hr_only_pages(role: str, allowed: bool, users: dict[str, User]) -> None:
    client = client_for(users[role])
    for name in ("attendance_import", "shift_list", "calendar"):
        assert client.get(reverse(f"activity:{name}")).status_code == (200 if allowed else 403), (role, name)
    assert (api(users[role]).get(f"{BASE}/punch-imports/").status_code == 200) is allowed
