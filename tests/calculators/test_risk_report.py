"""Departure risk report: the PDF's Chinese text (extracted back) names violations, complaints and claimed
losses, open gates (also those an exit app registers), key-person exposure, non-compete status and a
recommendation; HR/legal only; an evidence event per report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from hrguard.calculators import risk_report
from hrguard.calculators.risk_report import departure_risk_report, register_gate_source
from hrguard.discipline.models import ClientComplaint, HandbookClause, Violation
from hrguard.evidence.models import EvidenceEvent
from hrguard.expenses.models import Advance
from hrguard.people.models import Contract, ContractClause
from hrguard.platform.pdf.poppler import extract_text, squash_whitespace

from .conftest import give_wages, twelve_months

pytestmark = pytest.mark.django_db


def text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return squash_whitespace(extract_text(pdf)).replace(" ", "")


@pytest.fixture
def adviser(world: Any) -> Any:
    """Seed 003's adviser: an open complaint with a claimed loss, a decided violation, an advance, a
    non-compete clause, a core position with a confidentiality duty, and a wage history."""
    rep = world.employees["east_rep"]
    position = rep.position
    position.confidentiality_duty = True
    position.save(update_fields=["confidentiality_duty"])
    company = world.company
    clause = HandbookClause.objects.create(company=company, code="5.3", title="禁止私下代客理财")
    Violation.objects.create(company=company, employee=rep, clause=clause, occurred_on=dt.date(2026, 1, 10),
                             facts="私下为客户操作账户", decision="serious_warning", ack="pending")
    ClientComplaint.objects.create(company=company, employee=rep, client="客户甲", received_on=dt.date(2026, 2, 1),
                                   claimed_loss=Decimal(200000), facts="私下交易造成亏损")
    Advance.objects.create(company=company, employee=rep, kind="advance", amount=Decimal(3000),
                           issued_on=dt.date(2026, 1, 5), purpose="出差备用金")
    contract = Contract.objects.create(company=company, employee=rep, contract_no="HT-1", contract_type="open_ended",
                                       start_date=dt.date(2020, 1, 6), wage=Decimal(12000), work_location="上海")
    ContractClause.objects.create(contract=contract, title="竞业限制条款", body="…", category="non_compete",
                                  is_key=True)
    rep.termination_date = dt.date(2026, 3, 15)
    rep.save(update_fields=["termination_date"])
    give_wages(rep, twelve_months((2026, 2)), Decimal(12000))
    return rep


def test_report_names_every_risk(world: Any, adviser: Any) -> None:
    complaint = ClientComplaint.objects.get(employee=adviser)
    body = text(departure_risk_report(actor=world.users["legal"], employee=adviser))
    assert "离职风险报告" in body and "张测试" in body and "S002" in body
    assert "禁止私下代客理财" in body and "严重警告" in body
    assert f"客户投诉#{complaint.pk}未结—索赔200,000.00元" in body
    assert "未结投诉1件，索赔合计200,000.00元" in body
    assert "3000" in body  # the outstanding advance is an open gate
    assert "核心岗位是" in body and "竞业限制条款" in body
    assert "3,600.00" in body and "10,800.00" in body  # default 30% of 12,000; release 3 months
    assert "请法务审查" in body and "解除竞业限制" in body
    assert "Departure" not in body and "Recommendation" not in body
    event = EvidenceEvent.objects.get(action="risk_report.generated")
    assert event.employee_id == adviser.pk


def test_registered_gates_and_exit_facts(world: Any, adviser: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(risk_report, "_GATE_SOURCES", [])
    register_gate_source(lambda *, actor, employee, exit: ["交接清单：2项未确认"] if exit else [])
    exit = SimpleNamespace(get_kind_display=lambda: "员工辞职", notice_date=dt.date(2026, 2, 13),
                           last_day=dt.date(2026, 3, 15))
    body = text(departure_risk_report(actor=world.users["hr"], employee=adviser, exit=exit))
    assert "交接清单：2项未确认" in body and "员工辞职" in body and "2026-03-15" in body


def test_quiet_employee_and_missing_wages(world: Any) -> None:
    eng = world.employees["engineer"]
    eng.position = None
    eng.save(update_fields=["position"])
    body = text(departure_risk_report(actor=world.users["hr"], employee=eng))
    assert "无：没有阻止离职办结的事项" in body and "未发现特别风险" in body


def test_only_hr_legal_admin_and_own_company(world: Any, other_world: Any, client_for: Any) -> None:
    rep = world.employees["east_rep"]
    with pytest.raises(PermissionDenied):
        departure_risk_report(actor=world.users["finance"], employee=rep)
    assert client_for(world.users["employee"]).get(f"/calculators/risk-report/{rep.pk}/").status_code == 403
    assert client_for(other_world.users["hr"]).get(f"/calculators/risk-report/{rep.pk}/").status_code == 404
    r = client_for(world.users["hr"]).get(f"/calculators/risk-report/{rep.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
