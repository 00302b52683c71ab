"""The generic case: opening numbers it and starts the key-person response on the engine, parties never
act or see, root cause is required to close, handling time adds up over reopenings."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hrguard.cases import selectors, services
from hrguard.evidence.models import EvidenceEvent
from hrguard.workflows import services as wf
from hrguard.workflows.models import Step

pytestmark = pytest.mark.django_db


def _steps(case: Any) -> list[Step]:
    return list(Step.objects.filter(instance_id=case.process_id).order_by("group", "order"))


def test_open_numbers_and_starts_three_steps(world: Any, open_keyperson: Any) -> None:
    first = open_keyperson()
    second = open_keyperson(title="第二个")
    assert first.number.startswith("AJ-") and first.number.endswith("-0001")
    assert second.number.endswith("-0002")
    steps = _steps(first)
    assert [s.key for s in steps] == ["hr_talk", "legal", "contingency"]
    assert [s.state for s in steps] == ["open", "waiting", "waiting"]
    assert steps[0].due_at is not None and steps[0].assignee_role == "hr"
    assert all(s.restricted for s in steps)
    assert EvidenceEvent.objects.filter(action="case.opened", subject_id=str(first.pk)).count() == 1


def test_three_steps_run_in_order_and_close_needs_root_cause(world: Any, open_keyperson: Any) -> None:
    hr, legal = world.users["hr"], world.users["legal"]
    case = open_keyperson()
    wf.act(actor=hr, step_id=_steps(case)[0].pk, action="complete", note="已面谈，员工表示考虑竞争对手邀请")
    legal_step = _steps(case)[1]
    assert legal_step.state == "open" and legal_step.assignee_role == "legal"
    with pytest.raises(ValidationError):  # steps still running
        services.close_case(actor=hr, case_id=case.pk, root_cause="competitor")
    wf.act(actor=legal, step_id=legal_step.pk, action="complete", note="竞业限制条款有效")
    contingency = _steps(case)[2]
    # the subject (欧阳娜娜) is in 销售部, whose head is 王经理
    assert contingency.assignee_user_id == world.users["manager"].pk
    wf.act(actor=world.users["manager"], step_id=contingency.pk, action="complete", note="客户由华东组接手")
    with pytest.raises(ValidationError) as err:
        services.close_case(actor=hr, case_id=case.pk, root_cause="")
    assert "root_cause" in err.value.message_dict
    closed = services.close_case(actor=hr, case_id=case.pk, root_cause="competitor", review_notes="薪酬低于市场")
    assert closed.state == "closed" and closed.handling_seconds is not None
    again = services.reopen_case(actor=hr, case_id=case.pk, reason="员工再次提出离职")
    assert again.state == "open" and again.reopen_count == 1
    assert selectors.handling_seconds(again) >= closed.handling_seconds


def test_party_never_acts_nor_sees(world: Any, open_keyperson: Any) -> None:
    from hrguard.core.models import User

    # an HR user who is also an employee becomes a witness
    witness_emp = world.employees["engineer"]
    hr2 = User.objects.create_user(username="acme-hr2", password="pw-x", company=world.company, role="hr")
    witness_emp.user = hr2
    witness_emp.save(update_fields=["user"])
    case = open_keyperson(witnesses=[witness_emp])
    with pytest.raises(Http404):
        selectors.case_for(hr2, case.pk)
    assert case not in selectors.case_list(hr2)
    with pytest.raises(PermissionDenied):
        wf.act(actor=hr2, step_id=_steps(case)[0].pk, action="complete")
    with pytest.raises(Http404):
        services.close_case(actor=hr2, case_id=case.pk, root_cause="other")
    # the subject (an employee) sees nothing either
    subject_user = world.users["employee"]
    assert selectors.case_list(subject_user) == []


def test_witness_added_later_becomes_engine_party(world: Any, open_keyperson: Any) -> None:
    from hrguard.core.models import User

    hr2 = User.objects.create_user(username="acme-hr3", password="pw-x", company=world.company, role="hr")
    emp = world.employees["engineer"]
    emp.user = hr2
    emp.save(update_fields=["user"])
    case = open_keyperson()
    services.add_party(actor=world.users["hr"], case_id=case.pk, employee=emp, kind="witness")
    with pytest.raises(PermissionDenied):
        wf.act(actor=hr2, step_id=_steps(case)[0].pk, action="complete")


def test_confidentiality_levels(world: Any, open_keyperson: Any) -> None:
    from tests.security.objects import compliance_user

    compliance = compliance_user(world)
    legal, admin, hr = world.users["legal"], world.users["admin"], world.users["hr"]
    normal = open_keyperson()
    restricted = open_keyperson(confidentiality="restricted")
    strict = open_keyperson(actor=admin, confidentiality="strict")
    assert {c.pk for c in selectors.case_list(compliance)} == {normal.pk}
    assert {c.pk for c in selectors.case_list(legal)} == {normal.pk, restricted.pk}
    assert {c.pk for c in selectors.case_list(hr)} == {normal.pk, restricted.pk}
    assert {c.pk for c in selectors.case_list(admin)} == {normal.pk, restricted.pk, strict.pk}
    services.add_member(actor=admin, case_id=strict.pk, user=legal)
    assert strict.pk in {c.pk for c in selectors.case_list(legal)}
    assert legal.has_perm("cases.view_case", strict)
    services.record_view(actor=legal, case=strict)
    services.record_view(actor=hr, case=normal)
    assert EvidenceEvent.objects.filter(action="case.viewed", subject_id=str(strict.pk)).count() == 1
    assert not EvidenceEvent.objects.filter(action="case.viewed", subject_id=str(normal.pk)).exists()


def test_other_company_and_employee_see_nothing(world: Any, other_world: Any, open_keyperson: Any) -> None:
    case = open_keyperson()
    for user in (other_world.users["hr"], other_world.users["admin"], world.users["engineer"],
                 world.users["finance"]):
        assert selectors.case_list(user) == []
        with pytest.raises(Http404):
            selectors.case_for(user, case.pk)
    with pytest.raises(PermissionDenied):
        services.open_case(actor=world.users["engineer"], case_type="keyperson", title="x")


def test_bad_input_refused(world: Any) -> None:
    hr = world.users["hr"]
    with pytest.raises(ValidationError) as err:
        services.open_case(actor=hr, case_type="nope", title="x")
    assert "case_type" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.open_case(actor=hr, case_type="keyperson", title="  ")
    assert "title" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.open_case(actor=hr, case_type="keyperson", title="x", category="zzz")
    assert "category" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.open_case(actor=hr, case_type="general", title="x", confidentiality="top")
    assert "confidentiality" in err.value.message_dict


def test_generic_link(world: Any, open_keyperson: Any) -> None:
    case = open_keyperson()
    services.link(actor=world.users["hr"], case_id=case.pk, target_type="risk.alert", target_id=17,
                  label="预警 #17", url="/risk/alerts/17/")
    services.link(actor=world.users["hr"], case_id=case.pk, target_type="risk.alert", target_id=17)
    detail = selectors.case_detail(world.users["hr"], case.pk)
    assert [(link.target_type, link.target_id) for link in detail.links] == [("risk.alert", "17")]
    with pytest.raises(ValidationError):
        services.link(actor=world.users["hr"], case_id=case.pk, target_type="alert", target_id=1)
    with pytest.raises(ValidationError):
        services.link(actor=world.users["hr"], case_id=case.pk, target_type="risk.alert", target_id=2,
                      url="https://evil.example/")


def test_overdue_step_escalates_and_clock_shows(world: Any, open_keyperson: Any) -> None:
    """The deadline handler's escalation: remind (level 1), then the owner's superior, then HR."""
    case = open_keyperson()
    step = _steps(case)[0]
    assert step.due_at is not None
    wf.escalate(step_id=step.pk)
    step.refresh_from_db()
    assert step.escalation_level == 1 and step.state == "open"
    wf.escalate(step_id=step.pk)
    step.refresh_from_db()
    assert step.escalation_level == 2
    Step.objects.filter(pk=step.pk).update(due_at=step.due_at.replace(year=step.due_at.year - 1))
    detail = selectors.case_detail(world.users["hr"], case.pk)
    assert detail.steps[0].overdue is True and detail.steps[1].overdue is False
    wf.pause(actor=world.users["hr"], step_id=step.pk, reason="等待员工回复")
    assert selectors.case_detail(world.users["hr"], case.pk).steps[0].paused is True


def test_statistics(world: Any, open_keyperson: Any) -> None:
    hr = world.users["hr"]
    general = [services.open_case(actor=hr, case_type="general", title=f"事件{n}", category="conduct")
               for n in range(3)]
    services.close_case(actor=hr, case_id=general[0].pk, root_cause="process")
    services.close_case(actor=hr, case_id=general[1].pk, root_cause="process")
    services.close_case(actor=hr, case_id=general[2].pk, root_cause="conduct")
    open_keyperson()
    s = selectors.case_stats(hr)
    assert s.total == 4 and s.open == 1
    assert dict(s.by_type) == {"一般事件": 3, "核心人员事件": 1} or dict(s.by_type) == {
        "General incident": 3, "Key-person incident": 1}
    assert sorted(n for _, n in s.by_root_cause) == [1, 2]
    assert s.median_hours is not None and s.median_hours >= 0
    # a party, another company, an employee: statistics count nothing of what they may not see
    assert selectors.case_stats(world.users["engineer"]).total == 0
