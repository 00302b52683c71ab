"""Contract pages: contract from the clause library (key clauses, statutory probation), supplementary
agreements, clause library management."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent
from hrguard.people.models import ClauseTemplate, Contract, SupplementaryAgreement

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = pytest.mark.django_db


def field_errors(html: str, field: str) -> list[str]:
    return re.findall(rf'<div class="invalid-feedback d-block" data-field="{field}">([^<]*)</div>', html)


@pytest.fixture
def library(world):
    company = world.company
    return {
        "conf": ClauseTemplate.objects.create(
            company=company,
            code="CONF",
            title="保密条款",
            body="乙方应保守甲方商业秘密。",
            category="confidentiality",
            key_by_default=True,
        ),
        "fin": ClauseTemplate.objects.create(
            company=company,
            code="FIN",
            title="个人财务申报",
            body="乙方应如实申报个人财务状况。",
            category="finance_disclosure",
        ),
        "old": ClauseTemplate.objects.create(
            company=company,
            code="OLD",
            title="旧条款",
            body="已停用",
            active=False,
        ),
    }


def contract_post(**over):
    data = {
        "contract_no": "HT-2025-001",
        "contract_type": "fixed_term",
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "probation_months": "2",
        "wage": "12000",
        "probation_wage": "10000",
        "work_location": "上海",
        "task_description": "",
        "signed_date": "2024-12-30",
    }
    data.update(over)
    return data


def test_contract_form_lists_active_library_with_key_defaults(world, library, client_for):
    html = (
        client_for(world.users["hr"])
        .get(reverse("people:contract_create", args=[world.employees["east_rep"].pk]))
        .content.decode()
    )
    assert "保密条款" in html and "个人财务申报" in html and "旧条款" not in html
    assert re.search(rf'name="key_clauses" value="{library["conf"].pk}"[^>]*checked', html)
    assert not re.search(rf'name="key_clauses" value="{library["fin"].pk}"[^>]*checked', html)


def test_create_contract_with_clauses_and_key_flags(world, library, client_for):
    emp = world.employees["east_rep"]
    post = contract_post()
    post["clauses"] = [library["conf"].pk, library["fin"].pk]
    post["key_clauses"] = [library["fin"].pk]
    resp = client_for(world.users["hr"]).post(reverse("people:contract_create", args=[emp.pk]), post)
    assert resp.status_code == 302
    contract = Contract.objects.get(contract_no="HT-2025-001")
    assert contract.employee_id == emp.pk and contract.wage == Decimal("12000")
    assert [(c.title, c.is_key) for c in contract.clauses.all()] == [
        ("保密条款", False),
        ("个人财务申报", True),
    ]
    profile = (
        client_for(world.users["hr"]).get(reverse("people:employee_detail", args=[emp.pk])).content.decode()
    )
    assert "HT-2025-001" in profile and profile.count('text-bg-warning">Key clause') == 1


def test_statutory_probation_error_shows_under_probation_field(world, library, client_for):
    # A fixed-term contract of one to three years allows at most two months' probation.
    emp = world.employees["east_rep"]
    resp = client_for(world.users["hr"]).post(
        reverse("people:contract_create", args=[emp.pk]), contract_post(end_date="2026-06-30", probation_months="6")
    )
    html = resp.content.decode()
    errors = field_errors(html, "probation_months")
    assert resp.status_code == 200 and errors and "Art. 19" in errors[0]
    assert not Contract.objects.filter(contract_no="HT-2025-001").exists()


def test_contract_errors_all_shown_and_nothing_saved(world, library, client_for):
    emp = world.employees["east_rep"]
    events = EvidenceEvent.objects.count()
    resp = client_for(world.users["hr"]).post(
        reverse("people:contract_create", args=[emp.pk]),
        contract_post(contract_no="", wage="abc", work_location="<script>x</script>", end_date="2024-01-01"),
    )
    html = resp.content.decode()
    for field in ("contract_no", "wage", "work_location", "end_date"):
        assert field_errors(html, field), field
    assert not Contract.objects.exists() and EvidenceEvent.objects.count() == events


def test_contract_refuses_another_companys_clause(world, other_world, library, client_for):
    foreign = ClauseTemplate.objects.create(company=other_world.company, code="X", title="外部条款", body="x")
    post = contract_post()
    post["clauses"] = [foreign.pk]
    resp = client_for(world.users["hr"]).post(
        reverse("people:contract_create", args=[world.employees["east_rep"].pk]), post
    )
    assert resp.status_code == 200 and not Contract.objects.exists()


@pytest.mark.parametrize(
    ("user_key", "status"), [("manager", 403), ("hrbp", 404), ("employee", 403), ("legal", 403)]
)
def test_contract_create_permission(world, user_key, status, client_for):
    url = reverse("people:contract_create", args=[world.employees["east_rep"].pk])
    assert client_for(world.users[user_key]).get(url).status_code == status


def make_contract(world, key="east_rep"):
    return Contract.objects.create(
        company=world.company,
        employee=world.employees[key],
        contract_no=f"HT-{key}",
        contract_type="open_ended",
        start_date=dt.date(2020, 1, 6),
        wage=Decimal(9000),
        work_location="上海",
    )


def test_add_supplementary_agreement(world, client_for):
    contract = make_contract(world)
    c = client_for(world.users["hr"])
    url = reverse("people:supplementary_create", args=[contract.pk])
    assert c.get(url).status_code == 200
    resp = c.post(
        url, {"title": "调薪协议", "body": "自2025年起月薪调整为一万元。", "effective_date": "2025-01-01"}
    )
    assert resp.status_code == 302
    assert SupplementaryAgreement.objects.filter(contract=contract, title="调薪协议").exists()
    assert EvidenceEvent.objects.filter(action="contract.supplement_added").exists()


def test_supplementary_errors_and_scope(world, other_world, client_for):
    contract = make_contract(world)
    c = client_for(world.users["hr"])
    resp = c.post(
        reverse("people:supplementary_create", args=[contract.pk]),
        {"title": "", "body": "<script>1</script>", "effective_date": "2019-01-01"},
    )
    html = resp.content.decode()
    assert field_errors(html, "title") and field_errors(html, "body") and field_errors(html, "effective_date")
    assert not SupplementaryAgreement.objects.exists()
    foreign = make_contract(other_world)
    assert c.get(reverse("people:supplementary_create", args=[foreign.pk])).status_code == 404
    assert (
        client_for(world.users["manager"])
        .get(reverse("people:supplementary_create", args=[contract.pk]))
        .status_code
        == 403
    )


def test_employee_sees_own_contracts_manager_does_not(world, client_for):
    make_contract(world)
    own = client_for(world.users["employee"]).get(reverse("people:my_profile")).content.decode()
    assert "HT-east_rep" in own
    team = (
        client_for(world.users["manager"])
        .get(reverse("people:employee_detail", args=[world.employees["east_rep"].pk]))
        .content.decode()
    )
    assert "HT-east_rep" not in team


# --- Clause library ---------------------------------------------------------------------------------


def test_clause_library_list_create_edit(world, other_world, library, client_for):
    ClauseTemplate.objects.create(company=other_world.company, code="B", title="乙公司条款", body="b")
    c = client_for(world.users["hr"])
    listing = c.get(reverse("people:clause_list")).content.decode()
    assert "保密条款" in listing and "乙公司条款" not in listing
    resp = c.post(
        reverse("people:clause_create"),
        {
            "code": "NC",
            "title": "竞业限制",
            "category": "non_compete",
            "body": "离职后两年内…",
            "key_by_default": "on",
        },
    )
    assert resp.status_code == 302
    created = ClauseTemplate.objects.get(company=world.company, code="NC")
    assert created.key_by_default and created.category == "non_compete"
    edit_url = reverse("people:clause_edit", args=[created.pk])
    assert "竞业限制" in c.get(edit_url).content.decode()
    c.post(edit_url, {"code": "NC", "title": "竞业限制协议", "category": "non_compete", "body": "新文本"})
    created.refresh_from_db()
    assert created.title == "竞业限制协议" and not created.key_by_default


def test_clause_form_errors(world, library, client_for):
    resp = client_for(world.users["hr"]).post(
        reverse("people:clause_create"),
        {"code": "CONF", "title": "", "category": "other", "body": "<iframe>"},
    )
    html = resp.content.decode()
    assert field_errors(html, "code") and field_errors(html, "title") and field_errors(html, "body")
    assert ClauseTemplate.objects.filter(company=world.company).count() == 3


def test_clause_library_permission_and_tenancy(world, other_world, library, client_for):
    assert client_for(world.users["manager"]).get(reverse("people:clause_list")).status_code == 403
    assert client_for(world.users["employee"]).get(reverse("people:clause_create")).status_code == 403
    assert (
        client_for(other_world.users["hr"])
        .get(reverse("people:clause_edit", args=[library["conf"].pk]))
        .status_code
        == 404
    )
