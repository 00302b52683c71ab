"""Every activity record lands on the employee's evidence timeline (hash chain intact), and every record
kind has an Excel export, scoped like its pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hrguard.evidence import selectors as evidence
from hrguard.evidence.verify import verify_company

from .conftest import Records

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = pytest.mark.django_db

EXPECTED_ACTIONS = {
    "attendance.punches_recorded", "leave.requested", "trip.submitted", "expense.submitted", "advance.issued",
    "review.kpis_set", "improvement_plan.created", "violation.recorded", "violation.decided",
    "complaint.recorded",
}


def test_every_record_is_on_the_employee_timeline(world: Any, users: Any, records: Records, client_for: Any) -> None:
    actions = {e.action for e in evidence.for_employee(world.company.pk, records.employee)}
    assert actions >= EXPECTED_ACTIONS, EXPECTED_ACTIONS - actions
    html = client_for(users["hr"]).get(reverse("evidence:employee_timeline", args=[records.employee])).content
    text = html.decode()
    for title in ("杭州", "高铁", "借款", "2025Q1", "提升回款", "私下与客户交易", "周女士"):
        assert title in text, title
    assert verify_company(world.company.pk).ok


EXPORTS = [
    ("attendance_export_days", [], {"date": "2025-03-01", "end": "2025-03-31"}),
    ("attendance_export_monthly", [], {"month": "2025-03"}),
    ("leave_export", [], {}),
    ("expense_export", ["claims"], {}),
    ("expense_export", ["trips"], {}),
    ("expense_export", ["advances"], {}),
    ("cycle_export", ["cycle"], {}),
    ("plan_export", [], {}),
    ("violation_export", [], {}),
    ("complaint_export", [], {}),
]


def sheet_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c is not None)


@pytest.mark.parametrize(("name", "args", "params"), EXPORTS, ids=[f"{n}{a}" for n, a, _ in EXPORTS])
def test_each_record_kind_exports_to_excel(name: str, args: list[str], params: dict[str, str], users: Any,
                                           records: Records, client_for: Any) -> None:
    url = reverse(f"activity:{name}", args=[records.cycle if a == "cycle" else a for a in args])
    resp = client_for(users["hr"]).get(url, params)
    assert resp.status_code == 200, resp.content[:300]
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "S002" in sheet_text(resp.content), name
    # Another company's HR never gets this company's rows.
    theirs = client_for(users["other_hr"]).get(url, params)
    assert theirs.status_code in (403, 404) or "S002" not in sheet_text(theirs.content)


def test_exports_follow_record_visibility(users: Any, records: Records, client_for: Any) -> None:
    """Finance exports expense claims but gets no violation or complaint rows; the employee exports
    their own claims."""
    finance = client_for(users["finance"])
    assert "S002" in sheet_text(finance.get(reverse("activity:expense_export", args=["claims"])).content)
    for name in ("violation_export", "complaint_export"):
        resp = finance.get(reverse(f"activity:{name}"))
        assert resp.status_code in (403, 404) or "S002" not in sheet_text(resp.content), name
    employee = client_for(users["employee"])
    resp = employee.get(reverse("activity:complaint_export"))
    assert resp.status_code in (403, 404) or "周女士" not in sheet_text(resp.content)
