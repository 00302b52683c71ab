"""The key-person parameters page (seed defaults, HR/admin edit with the basis in the evidence log, ranges
refused by field, the assessment reads the saved figures), and a case opened from an early-warning alert
(the alert page offers it prefilled; opening marks the alert acted on → the case)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from hrguard.cases import keyperson, keyperson_services
from hrguard.cases.models import Case
from hrguard.evidence.models import EvidenceEvent
from tests.risk.conftest import trip

pytestmark = pytest.mark.django_db
URL = "/cases/keyperson/parameters/"


def test_defaults_shown_until_changed(world: Any, client_for: Any) -> None:
    page = client_for(world.users["hr"]).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="using-defaults"' in html and 'id="no-history"' in html
    for value in ("1.5", "2", "6", "12", "50", "30", "15"):
        assert f'value="{value}"' in html, value


def test_hr_saves_with_basis_and_the_assessment_reads_it(world: Any, client_for: Any) -> None:
    from hrguard.people.models import Contract

    hr = client_for(world.users["hr"])
    data = {"recruit_multiple_low": "1.8", "recruit_multiple_high": "2", "ramp_months_low": "8",
            "ramp_months_high": "12", "churn_short": "50", "churn_medium": "30", "churn_long": "10",
            "basis": "2025年猎头发票平均为年薪1.8倍"}
    resp = hr.post(URL, data)
    assert resp.status_code == 302
    event = EvidenceEvent.objects.filter(company=world.company, action="keyperson.parameters_saved").get()
    record = json.loads(event.record)["data"]
    assert record["basis"] == data["basis"] and record["before"]["recruit_multiple_low"] in ("1.50", "1.5", 1.5)
    html = hr.get(URL).content.decode()
    assert data["basis"] in html and 'id="parameter-history"' in html and 'id="using-defaults"' not in html
    emp = world.employees["engineer"]
    Contract.objects.create(company=world.company, employee=emp, contract_no="HT-9", contract_type="open_ended",
                            start_date=dt.date(2020, 1, 6), wage=Decimal(10000), work_location="上海")
    a = keyperson.assess(emp)
    assert (a.recruit_low, a.recruit_high) == (Decimal("216000.00"), Decimal("240000.00"))
    assert a.params.ramp_months_low == 8


@pytest.mark.parametrize(("field", "value"), [("recruit_multiple_low", "abc"), ("recruit_multiple_high", "100"),
                                              ("ramp_months_low", "6.5"), ("ramp_months_high", "-1"),
                                              ("churn_long", "101"), ("recruit_multiple_low", "NaN")])
def test_bad_values_refused_by_field(world: Any, client_for: Any, field: str, value: str) -> None:
    resp = client_for(world.users["hr"]).post(URL, {field: value})
    assert resp.status_code == 400
    assert "is-invalid" in resp.content.decode()
    assert not EvidenceEvent.objects.filter(company=world.company, action="keyperson.parameters_saved").exists()


def test_low_above_high_refused(world: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        keyperson_services.save_parameters(actor=world.users["hr"], ramp_months_low="12", ramp_months_high="6")
    assert "ramp_months_high" in err.value.message_dict


def test_who_sees_and_edits(world: Any, client_for: Any) -> None:
    legal = client_for(world.users["legal"])
    page = legal.get(URL)
    assert page.status_code == 200 and "disabled" in page.content.decode()
    assert legal.post(URL, {"ramp_months_low": "3"}).status_code == 403
    for key in ("engineer", "employee", "manager"):
        assert client_for(world.users[key]).get(URL).status_code == 403
    assert client_for(world.users["admin"]).post(URL, {"ramp_months_low": "3"}).status_code == 302


def _travel_alert(world: Any) -> Any:
    from hrguard.risk import scan
    from hrguard.risk.defaults import ensure_default_rules
    from hrguard.risk.models import Alert

    rep = world.employees["sales_rep"]
    for month in range(5, 11):
        trip(rep, dt.date(2026, month, 5), 2)
    trip(rep, dt.date(2026, 11, 2), 5)
    ensure_default_rules(world.company, active=True)
    scan.run(world.company, as_of=dt.date(2026, 11, 20))
    return Alert.objects.get(company=world.company, employee=rep, rule__key="travel-up")


def test_case_opened_from_an_alert(world: Any, client_for: Any) -> None:
    alert = _travel_alert(world)
    hr = client_for(world.users["hr"])
    html = hr.get(reverse("risk:alert", args=[alert.pk])).content.decode()
    assert 'data-follow-up="open_case"' in html
    href = html.split('data-follow-up="open_case"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    query = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
    assert query["case_type"] == "keyperson" and query["subject"] == str(alert.employee_id)  # 客户经理 is core
    form = hr.get(href).content.decode()
    assert "出差天数高于本人基线30%" in form
    resp = hr.post(reverse("cases:new"), {**query, "confidentiality": "restricted"})
    assert resp.status_code == 302
    case = Case.objects.get(company=world.company)
    alert.refresh_from_db()
    assert (alert.status, alert.outcome, alert.link_type, alert.link_id) == ("acted", "case", "cases.case", case.pk)
    assert alert.link_url == f"/cases/{case.pk}/"
    link = case.links.get()
    assert (link.target_type, link.target_id, link.url) == ("risk.alert", str(alert.pk), f"/risk/alerts/{alert.pk}/")
    after = hr.get(reverse("risk:alert", args=[alert.pk])).content.decode()
    assert 'data-follow-up' not in after and case.number in after
    # legal may view alerts? whoever may not open cases is not offered the button
    assert 'data-follow-up' not in client_for(world.users["manager"]).get(
        reverse("risk:alert", args=[alert.pk])).content.decode()


def test_case_from_an_already_triaged_alert_keeps_the_triage(world: Any) -> None:
    from hrguard.cases import services
    from hrguard.risk import services as risk

    alert = _travel_alert(world)
    risk.dismiss(actor=world.users["hr"], alert_id=alert.pk, reason="出差为公司安排")
    case = services.open_case(actor=world.users["hr"], case_type="keyperson", title="t",
                              subject_employee=alert.employee,
                              links=[{"target_type": "risk.alert", "target_id": str(alert.pk)}])
    alert.refresh_from_db()
    assert alert.status == "dismissed" and case.links.count() == 1
