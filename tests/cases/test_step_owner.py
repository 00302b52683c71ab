"""The owner of a step of a case they may not read (the department head's 业务应急预案 of a restricted
key-person case) sees, on the case page, only their own step — its form, due time and their outcome —
and nothing restricted (description, parties, the other steps' outcomes, linked records); the view is
evidence. Another department head, and a party to the case, get 404 and can never act."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from hrguard.cases import selectors
from hrguard.evidence.models import EvidenceEvent
from hrguard.workflows import services as wf
from hrguard.workflows.models import Step

HR_NOTE = "已面谈，员工表示考虑竞争对手邀请"
LEGAL_NOTE = "竞业限制条款有效"
DESCRIPTION = "员工私下透露已拿到竞争对手的录用通知"


def _steps(case: Any) -> list[Step]:
    return list(Step.objects.filter(instance_id=case.process_id).order_by("group", "order"))


@pytest.fixture
def at_contingency(world: Any, open_keyperson: Any) -> Any:
    """A restricted key-person case about 欧阳娜娜 (销售部, head 王经理) at its third step, with a linked
    alert and a witness."""
    case = open_keyperson(confidentiality="restricted", description=DESCRIPTION,
                          witnesses=[world.employees["east_rep"]],
                          links=[{"target_type": "risk.alert", "target_id": "5", "label": "预警 迟到"}])
    wf.act(actor=world.users["hr"], step_id=_steps(case)[0].pk, action="complete", note=HR_NOTE)
    wf.act(actor=world.users["legal"], step_id=_steps(case)[1].pk, action="complete", note=LEGAL_NOTE)
    return case


def test_step_owner_sees_only_their_step_and_acts_from_the_case_page(world: Any, at_contingency: Any,
                                                                     client_for: Any) -> None:
    case, manager = at_contingency, world.users["manager"]
    assert not manager.has_perm("cases.view_case", case)
    client = client_for(manager)
    resp = client.get(reverse("cases:detail", args=[case.pk]))
    assert resp.status_code == 200
    page = html.unescape(resp.content.decode())
    assert case.number in page and "我的步骤" in page and "业务应急预案" in page and "欧阳娜娜" in page
    assert 'data-step="contingency"' in page and "data-due" in page and "data-act-form" in page
    for secret in (HR_NOTE, LEGAL_NOTE, DESCRIPTION, "面谈", "法务", "预警 迟到", "张测试", case.title):
        assert secret not in page, secret
    assert 'data-step="hr_talk"' not in page and 'id="links"' not in page and 'id="parties"' not in page
    event = EvidenceEvent.objects.filter(action="case.step_viewed", actor_id=manager.pk).get()
    assert json.loads(event.record)["data"]["steps"] == [_steps(case)[2].pk]
    assert not EvidenceEvent.objects.filter(action="case.viewed", actor_id=manager.pk).exists()
    # acting from the case page: the engine's form, back to the same page, the outcome shown
    step = _steps(case)[2]
    done = client.post(reverse("workflows:step_action", args=[step.pk, "act"]),
                       {"action": "complete", "note": "客户由华东组接手", "next": reverse("cases:detail", args=[case.pk])})
    assert done.status_code == 302
    step.refresh_from_db()
    assert step.state == "done" and step.acted_by_id == manager.pk
    after = html.unescape(client.get(reverse("cases:detail", args=[case.pk])).content.decode())
    assert "客户由华东组接手" in after and "data-act-form" not in after and HR_NOTE not in after


def test_other_department_head_and_parties_get_404(world: Any, at_contingency: Any, client_for: Any) -> None:
    case = at_contingency
    rnd = world.depts["rnd"]
    rnd.manager = world.employees["engineer"]  # 李工程 heads 研发部, not the subject's department
    rnd.save()
    other = world.users["engineer"]
    assert client_for(other).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not other.has_perm("cases.view_own_step", case)
    # the witness (张测试) and the subject see nothing
    assert client_for(world.users["employee"]).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # a step owner who becomes a party loses even their own step
    from hrguard.cases import services

    services.add_party(actor=world.users["hr"], case_id=case.pk, employee=world.employees["sales_manager"],
                       kind="witness")
    manager = world.users["manager"]
    assert client_for(manager).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    step = _steps(case)[2]
    resp = client_for(manager).post(reverse("workflows:step_action", args=[step.pk, "act"]),
                                    {"action": "complete", "note": "x"})
    step.refresh_from_db()
    assert step.state == "open" and resp.status_code in (302, 403, 404)


def test_a_reader_still_gets_the_whole_case(world: Any, at_contingency: Any, client_for: Any) -> None:
    page = html.unescape(client_for(world.users["hr"]).get(reverse("cases:detail", args=[at_contingency.pk]))
                         .content.decode())
    assert HR_NOTE in page and 'id="links"' in page and "我的步骤" not in page
    with pytest.raises(Http404):
        selectors.own_steps(world.users["hr"], at_contingency.pk)
    assert client_for(world.users["hr"]).get(reverse("cases:detail", args=["999999"])).status_code == 404
