"""Fixtures for activity tests: the shared two-company world plus a compliance user, and helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hrguard.core.models import User
from hrguard.evidence.models import EvidenceEvent


@pytest.fixture(autouse=True)
def english() -> Any:
    """Assert on the English msgids: the zh-hans catalog is filled later by a translator pass."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def compliance(world: Any) -> Any:
    return User.objects.create_user(
        username="acme-compliance", password="pw-compliance", company=world.company, role="compliance"
    )


@pytest.fixture
def client_service(world: Any) -> Any:
    return User.objects.create_user(
        username="acme-cs", password="pw-cs", company=world.company, role="client_service"
    )


def evidence_count(company: Any) -> int:
    return EvidenceEvent.objects.filter(company=company).count()


def csv_bytes(lines: list[str], header: str = "工号,时间,类型") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


@dataclass
class Records:
    ids: dict[str, int]
    cycle: int
    employee: int
    files: dict[str, int]


@pytest.fixture
def users(world: Any, other_world: Any) -> dict[str, User]:
    """The world's users plus a compliance officer and the other company's HR ("other_hr")."""
    out = dict(world.users)
    out["compliance"] = User.objects.create_user(username="acme-compliance", password="pw-compliance-1",
                                                 company=world.company, role="compliance")
    out["other_hr"] = other_world.users["hr"]
    return out


@pytest.fixture
def records(world: Any, users: dict[str, User]) -> Records:
    """One record of every kind for 张测试 (S002): attendance, leave, trip, claim with a receipt, loan,
    KPIs, improvement plan, a decided violation with a file, an undecided one, a client complaint."""
    from hrguard.attendance import importer
    from hrguard.discipline import complaints, violations
    from hrguard.expenses import services as expenses
    from hrguard.leave import services as leave
    from hrguard.performance import services as performance
    from hrguard.records.models import Attachment

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
