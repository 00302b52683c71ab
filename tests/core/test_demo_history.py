"""``hrguard demo`` gives the demo company a year of history: every state of every record kind, through
the apps' services (so the evidence log verifies), idempotent, and every main page shows rows to HR, the
manager and the employee. Runs on SQLite and PostgreSQL (``HRGUARD_TEST_DB=postgres``)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrguard.attendance.models import AttendanceDay, DayStatus, Punch
from hrguard.core.models import Company, User
from hrguard.discipline.models import (
    ClientComplaint,
    ComplaintStatus,
    DisciplineReview,
    Violation,
    ViolationAck,
    ViolationStatus,
)
from hrguard.documents.models import DocumentTemplate, Envelope, EnvelopeStatus
from hrguard.evidence.models import EvidenceEvent
from hrguard.expenses.models import Advance, ApprovalStatus, ExpenseClaim, Trip
from hrguard.leave.models import LeaveRequest, LeaveStatus
from hrguard.notify.models import MessageState, OutboxMessage
from hrguard.people.models import Contract, EmployeeStatus, LifecycleEvent, LifecycleKind
from hrguard.performance.models import ImprovementPlan, PlanStatus, Review, ReviewCycle, ReviewStatus
from hrguard.workflows.models import OPEN_STATES, InstanceState, ProcessInstance, Step

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("own_keys_dir")]

EMPLOYEES = "40"
EMPTY = ("暂无。", "没有待您审批的事项。", "无人员。", "尚未发送任何文件。", "No one.", "None yet.")
ROW = re.compile(r"<tbody[^>]*>(.*?)</tbody>", re.S)


def _seed() -> Company:
    out = io.StringIO()
    call_command("demo", "--employees", EMPLOYEES, stdout=out)
    print(out.getvalue())  # the seconds per section, shown with -s
    return Company.objects.get(code="demo")


def _counts(company: Company) -> dict[str, int]:
    models = [LeaveRequest, Trip, ExpenseClaim, Advance, Review, ImprovementPlan, Violation, ClientComplaint,
              Envelope, LifecycleEvent, AttendanceDay, OutboxMessage, EvidenceEvent]
    counts = {m.__name__: m.objects.filter(company=company).count() for m in models}
    counts["Punch"] = Punch.objects.filter(company_id=company.pk).count()
    counts["User"] = User.objects.filter(company=company).count()
    return counts


def _values(model: Any, company: Company, field: str) -> set[str]:
    return set(model.objects.filter(company=company).values_list(field, flat=True))


def test_a_year_of_history_in_every_state_seeded_once_and_verified() -> None:
    company = _seed()
    today = timezone.localdate()
    assert _values(LeaveRequest, company, "status") == set(LeaveStatus.values)
    assert len(_values(LeaveRequest, company, "leave_type")) >= 5
    for model in (Trip, ExpenseClaim):
        assert set(ApprovalStatus.values) <= _values(model, company, "status"), model
    assert Advance.objects.filter(company=company, repaid__gt=0).exists()
    assert Advance.objects.filter(company=company, repaid=0).exists()
    statuses = _values(AttendanceDay, company, "status")
    assert {DayStatus.NORMAL, DayStatus.LATE, DayStatus.ABSENT, DayStatus.LEAVE, DayStatus.MISSING} <= statuses
    first = AttendanceDay.objects.filter(company=company).order_by("date").values_list("date", flat=True)[0]
    assert (today - first).days >= 360
    assert ReviewCycle.objects.filter(company=company, is_open=False).exists()
    assert ReviewCycle.objects.filter(company=company, is_open=True).exists()
    assert {ReviewStatus.PLANNED, ReviewStatus.SCORED} <= _values(Review, company, "status")
    assert PlanStatus.OPEN in _values(ImprovementPlan, company, "status")
    violations = list(Violation.objects.filter(company=company))
    assert set(ViolationStatus.values) <= {v.status for v in violations}
    assert {ViolationAck.PENDING, ViolationAck.ACKNOWLEDGED, ViolationAck.REFUSED} <= {v.ack_state for v in violations}
    assert DisciplineReview.objects.filter(company=company).exists()  # opened by the escalation ladder
    big = ClientComplaint.objects.get(company=company, status=ComplaintStatus.OPEN, claimed_loss=200000)
    assert big.violations.exists()
    assert set(ComplaintStatus.values) <= _values(ClientComplaint, company, "status")
    assert {EnvelopeStatus.SENT, EnvelopeStatus.OPENED, EnvelopeStatus.SIGNED, EnvelopeStatus.DECLINED,
            EnvelopeStatus.EXPIRED} <= _values(Envelope, company, "status")
    draft = DocumentTemplate.objects.get(company=company, name="居家办公协议")  # written, never sent
    assert not draft.versions.filter(requests__isnull=False).exists()
    assert OutboxMessage.objects.filter(company=company, state=MessageState.FAILED).exists()
    assert OutboxMessage.objects.filter(company=company, channel="inapp", read_at__isnull=True).exists()
    _assert_hr_warnings(company, today)
    _assert_movements(company, today)
    _assert_processes(company)
    before = _counts(company)
    _seed()  # second run: nothing doubled
    assert _counts(company) == before
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert f"company {company.pk}: OK" in out.getvalue()


def _assert_processes(company: Company) -> None:
    """Approvals on the engine: running ones (some overdue and escalated), completed, rejected, cancelled."""
    states = set(ProcessInstance.objects.filter(company=company).values_list("state", flat=True))
    assert set(InstanceState.values) <= states
    overdue = Step.objects.filter(company=company, state__in=OPEN_STATES, due_at__lt=timezone.now())
    assert overdue.filter(escalation_level__gt=0).exists()
    assert Step.objects.filter(company=company, state__in=OPEN_STATES, due_at__gte=timezone.now()).exists()
    assert EvidenceEvent.objects.filter(company=company, action="process.step_escalated").exists()


def _assert_hr_warnings(company: Company, today: dt.date) -> None:
    probation = Contract.objects.filter(
        company=company, employee__status=EmployeeStatus.PROBATION,
        probation_end_date__gte=today, probation_end_date__lte=today + dt.timedelta(days=15),
    )
    assert probation.exists()
    expiring = Contract.objects.filter(
        company=company, end_date__gte=today, end_date__lte=today + dt.timedelta(days=30),
    ).exclude(employee__status=EmployeeStatus.LEFT)
    assert expiring.exists()


def _assert_movements(company: Company, today: dt.date) -> None:
    """Hires, 转正, transfers and departures spread over the last twelve months."""
    since = today - dt.timedelta(days=366)
    events = LifecycleEvent.objects.filter(company=company, effective_date__gte=since)
    kinds = set(events.values_list("kind", flat=True))
    assert {LifecycleKind.HIRE, LifecycleKind.PROBATION_PASSED, LifecycleKind.TRANSFER,
            LifecycleKind.TERMINATION} <= kinds
    months = events.values_list("effective_date__year", "effective_date__month").annotate(n=Count("id"))
    assert len(months) >= 10


# Pages each role opens first, each of which must list something.
MAIN_PAGES = {
    # HR's approval queue stays empty: every department manager has an account, so no request falls to HR.
    "hr": ["/", "people:employee_list", "activity:attendance_daily", "activity:leave_list", "activity:cycles", "activity:violation_list", "activity:complaint_list", "activity:handbook",
           "documents:request_list", "documents:template_list", "notify:problems"],
    "manager": ["/", "people:employee_list", "activity:attendance_daily", "activity:leave_approvals",
                "activity:expense_approvals", "activity:my_leave", "notify:inbox"],
    "employee": ["/", "activity:my_leave", "activity:my_expenses", "notify:inbox", "documents:mine",
                 "activity:attendance_daily"],
    "finance": ["activity:finance"],
}


def _has_rows(html: str) -> bool:
    bodies = ROW.findall(html)
    if any("<tr" in b and "colspan" not in b for b in bodies):
        return True
    if 'class="card-body' in html.split("</nav>", 1)[-1]:  # approval queues are cards
        return True
    return "list-group-item" in html and not any(e in html for e in EMPTY)


def test_main_pages_show_rows_to_each_role() -> None:
    _seed()
    empty: list[str] = []
    for role, names in MAIN_PAGES.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
        client.force_login(User.objects.get(username=f"demo-{role}"))
        for name in names:
            url = name if name.startswith("/") else reverse(name)
            resp = client.get(url, follow=True)
            assert resp.status_code == 200, f"{role}: {url}"
            if url != "/" and not _has_rows(resp.content.decode()):
                empty.append(f"{role}: {url}")
    assert empty == [], empty
