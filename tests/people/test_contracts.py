"""Contracts: statutory probation check at the boundary, clause library, key clauses, supplements."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hrguard.evidence.models import EvidenceEvent
from hrguard.people import contracts as svc
from hrguard.people.models import ClauseTemplate, Contract, ContractClause

pytestmark = pytest.mark.django_db


@pytest.fixture
def clauses(world):
    hr = world.users["hr"]
    fin = svc.save_clause_template(
        hr, world.company,
        {"code": "FIN", "title": "个人财务状况披露", "body": "员工应如实说明个人债务引发的催收情况。",
         "category": "finance_disclosure", "key_by_default": True},
    )
    conf = svc.save_clause_template(
        hr, world.company, {"code": "CONF", "title": "保密义务", "body": "保守商业秘密。", "category": "confidentiality"}
    )
    return fin, conf


def data(**over):
    d = {
        "contract_no": "HT-2025-001", "contract_type": "fixed_term", "start_date": "2025-01-01",
        "end_date": "2027-12-31", "probation_months": 6, "wage": "20000", "probation_wage": "16000",
        "work_location": "上海",
    }
    d.update(over)
    return d


def test_contract_with_key_clauses(world, clauses):
    fin, conf = clauses
    emp = world.employees["east_rep"]
    contract = svc.create_contract(world.users["hr"], emp, data(), clauses=[(fin.pk, True), (conf.pk, False)])
    assert contract.probation_end_date.isoformat() == "2025-06-30"
    agreed = list(contract.clauses.all())
    assert [(c.title, c.is_key) for c in agreed] == [("个人财务状况披露", True), ("保密义务", False)]
    # Later edits to the library do not change the agreed text.
    svc.save_clause_template(
        world.users["hr"], world.company,
        {"code": "FIN", "title": "改过的标题", "body": "新文本", "category": "finance_disclosure"}, instance=fin,
    )
    assert ContractClause.objects.get(pk=agreed[0].pk).body == "员工应如实说明个人债务引发的催收情况。"
    ev = EvidenceEvent.objects.get(action="contract.created", employee_id=emp.pk)
    assert "个人财务状况披露" in ev.record
    svc.set_clause_key(world.users["hr"], agreed[1], True)
    assert ContractClause.objects.get(pk=agreed[1].pk).is_key


def test_probation_too_long_names_the_article_and_saves_nothing(world):
    emp = world.employees["east_rep"]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as err:
        svc.create_contract(world.users["hr"], emp, data(end_date="2025-12-31", probation_months=3))
    msg = " ".join(err.value.message_dict["probation_months"])
    assert "第十九条" in msg and "2" in msg
    with translation.override("en"), pytest.raises(ValidationError) as err:
        svc.create_contract(world.users["hr"], emp, data(end_date="2025-12-31", probation_months=3))
    assert "Art. 19" in " ".join(err.value.message_dict["probation_months"])
    assert not Contract.objects.filter(employee=emp).exists()


def test_second_probation_with_same_employer_refused(world):
    emp = world.employees["east_rep"]
    svc.create_contract(world.users["hr"], emp, data())
    with pytest.raises(ValidationError) as err:
        svc.create_contract(world.users["hr"], emp, data(contract_no="HT-2", start_date="2028-01-01",
                                                         end_date="2030-12-31", probation_months=1))
    assert "probation_months" in err.value.message_dict


def test_bad_dates_types_and_amounts(world):
    emp = world.employees["east_rep"]
    with pytest.raises(ValidationError) as err:
        svc.create_contract(
            world.users["hr"], emp,
            data(contract_type="forever", start_date="2025-13-01", wage="-5", work_location="<b>x</b>"),
        )
    assert {"contract_type", "start_date", "wage", "work_location"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        svc.create_contract(world.users["hr"], emp, data(start_date="2025-06-01", end_date="2025-01-01"))
    assert "end_date" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.create_contract(world.users["hr"], emp, data(contract_type="open_ended", end_date="2030-01-01"))
    assert "end_date" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.create_contract(world.users["hr"], emp, data(probation_wage="1000"))
    assert "probation_wage" in err.value.message_dict


def test_clause_from_another_company_is_refused(world, other_world):
    foreign = ClauseTemplate.objects.create(company=other_world.company, code="X", title="外部", body="x")
    with pytest.raises(ValidationError) as err:
        svc.create_contract(world.users["hr"], world.employees["east_rep"], data(), clauses=[(foreign.pk, True)])
    assert "clauses" in err.value.message_dict


def test_only_hr_writes_contracts(world):
    for key in ("manager", "employee", "hrbp"):
        with pytest.raises(PermissionDenied):
            svc.create_contract(world.users[key], world.employees["east_rep"], data())


def test_supplementary_agreement(world):
    contract = svc.create_contract(world.users["hr"], world.employees["east_rep"], data())
    sup = svc.add_supplementary(
        world.users["hr"], contract, {"title": "客户资源交接补充协议", "body": "双方约定……", "effective_date": "2026-01-01"}
    )
    assert sup.contract == contract
    with pytest.raises(ValidationError) as err:
        svc.add_supplementary(world.users["hr"], contract, {"title": "", "body": "x", "effective_date": "2020-01-01"})
    assert {"title", "effective_date"} <= set(err.value.message_dict)
