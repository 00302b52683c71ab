"""Key-person figures on seed 001's core salesperson (30% of revenue through her): replacement cost within
1.5–2× salary, churn, successors, missing salary shown missing, the PDF report text, the supplementary
agreement sent for signature, the section in the departure risk report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from hrguard.cases import keyperson, keyperson_services
from hrguard.evidence.models import EvidenceEvent
from hrguard.platform.pdf.poppler import extract_text, squash_whitespace

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world: Any) -> Any:
    """欧阳娜娜 serves 3 clients (15% + 10% + 5% of company revenue); 张测试 is ready on one of them."""
    from hrguard.calculators.models import WageMonth
    from hrguard.clients import services

    hr, rep, east = world.users["hr"], world.employees["sales_rep"], world.employees["east_rep"]
    today = dt.date.today()
    for n in range(1, 13):
        y, m = today.year, today.month - n
        while m <= 0:
            y, m = y - 1, m + 12
        WageMonth.objects.create(company=world.company, employee=rep, year=y, month=m, amount=Decimal("20000"))
    specs = [("华东汽车", "15", "3000000", dt.date(2012, 5, 1)), ("星海电子", "10", "2000000", dt.date(2019, 3, 1)),
             ("远航物流", "5", "1000000", today.replace(year=today.year - 1))]
    made = []
    for name, share, revenue, since in specs:
        client = services.save_client(actor=hr, name=name, revenue_share=share, annual_revenue=revenue, since=since)
        services.set_coverage(actor=hr, client_id=client.pk, employee=rep, revenue_share=Decimal(share) * 3)
        made.append(client)
    services.set_coverage(actor=hr, client_id=made[0].pk, employee=east, role="secondary", readiness="ready")
    return world


def test_figures_of_core_salesperson(seeded: Any) -> None:
    rep = seeded.employees["sales_rep"]
    a = keyperson.assess(rep)
    assert a.core is True
    assert a.company_share == Decimal(30)
    assert a.annual_salary == Decimal("240000.00")
    assert Decimal("1.5") * a.annual_salary <= a.recruit_low <= a.recruit_high <= 2 * a.annual_salary
    assert (a.recruit_low, a.recruit_high) == (Decimal("360000.00"), Decimal("480000.00"))
    assert a.revenue_through == Decimal(6000000)
    assert (a.ramp_risk_low, a.ramp_risk_high) == (Decimal("3000000.00"), Decimal("6000000.00"))
    # churn: >10 years 15%, 3–10 years 30%, <3 years 50%
    assert a.churn_loss == Decimal("450000.00") + Decimal("600000.00") + Decimal("500000.00")
    assert [s.name for s in a.successors] == ["张测试"] and a.successors[0].readiness == "ready"
    assert a.recommendation == "transition"
    assert any("50%" in line for line in a.plan)
    assert a.missing == []


def test_missing_salary_and_clients_are_missing_not_zero(world: Any) -> None:
    a = keyperson.assess(world.employees["engineer"])
    assert a.annual_salary is None and a.recruit_low is None and a.company_share is None and a.churn_loss is None
    assert len(a.missing) == 2
    text = " ".join(str(s.pairs) for s in keyperson_services.sections(a))
    assert "缺失" in text or "missing" in text
    assert "0.00" not in text


def test_contract_wage_when_no_wage_history(world: Any) -> None:
    from hrguard.people.models import Contract

    emp = world.employees["engineer"]
    Contract.objects.create(company=world.company, employee=emp, contract_no="HT-8", contract_type="open_ended",
                            start_date=dt.date(2020, 1, 6), wage=Decimal(15000), work_location="上海")
    a = keyperson.assess(emp)
    assert a.annual_salary == Decimal("180000.00") and a.salary_months == 0
    assert (a.recruit_low, a.recruit_high) == (Decimal("270000.00"), Decimal("360000.00"))


def test_report_pdf_text(seeded: Any) -> None:
    hr, rep = seeded.users["hr"], seeded.employees["sales_rep"]
    pdf = keyperson_services.report_pdf(actor=hr, employee=rep)
    text = squash_whitespace(extract_text(pdf))
    for needle in ("华东汽车", "星海电子", "远航物流", "360,000.00", "480,000.00", "张测试", "欧阳娜娜"):
        assert needle in text, needle
    assert "核心人员风险评估" in text and "过渡计划" in text and "补充协议" in text
    assert EvidenceEvent.objects.filter(action="keyperson.report_generated", employee_id=rep.pk).count() == 1


def test_permissions(seeded: Any, other_world: Any) -> None:
    rep = seeded.employees["sales_rep"]
    for user in (other_world.users["hr"], seeded.users["engineer"], seeded.users["manager"],
                 seeded.users["finance"]):
        with pytest.raises(PermissionDenied):
            keyperson_services.view(actor=user, employee=rep)
        with pytest.raises(PermissionDenied):
            keyperson_services.report_pdf(actor=user, employee=rep)
    keyperson_services.view(actor=seeded.users["legal"], employee=rep)
    with pytest.raises(PermissionDenied):
        keyperson_services.send_agreement(actor=seeded.users["legal"], employee=rep)


def test_send_supplementary_agreement(seeded: Any) -> None:
    from hrguard.core.models import User
    from hrguard.documents import tracker

    hr, rep = seeded.users["hr"], seeded.employees["sales_rep"]
    rep.user = User.objects.create_user(username="acme-rep", password="pw-x", company=seeded.company, role="employee")
    rep.save(update_fields=["user"])
    from hrguard.people.models import Contract

    Contract.objects.create(company=seeded.company, employee=rep, contract_no="HT-9", contract_type="open_ended",
                            start_date=dt.date(2020, 1, 6), wage=Decimal(20000), work_location="上海")
    request = keyperson_services.send_agreement(actor=hr, employee=rep)
    envelopes = tracker.rows(request)
    assert [e.employee_id for e in envelopes] == [rep.pk]
    assert "补充协议" in request.title or "Supplementary" in request.title
    assert EvidenceEvent.objects.filter(action="keyperson.agreement_sent", employee_id=rep.pk).exists()


def test_departure_risk_report_has_keyperson_section(seeded: Any) -> None:
    from hrguard.calculators.risk_report import departure_risk_report

    pdf = departure_risk_report(actor=seeded.users["hr"], employee=seeded.employees["sales_rep"])
    text = squash_whitespace(extract_text(pdf))
    assert "华东汽车" in text and "480,000.00" in text
