"""Violation handling and the dismissal review on the process engine: the process each record gets, who
may act on which step (never the subject on their own case, whatever their role), acting from the task
list, outcomes written by the engine's actions, the facts for gates with their reasons and links, and
template edits that leave running cases on their version."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hrguard.discipline import complaints, violations
from hrguard.discipline.models import DisciplineReview, Violation
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.verify import verify_company
from hrguard.workflows import editing, gates, selectors, services
from hrguard.workflows.engine import gate_context
from hrguard.workflows.models import ProcessTemplate, Step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def clause(world, compliance):
    return violations.save_clause(compliance, world.company, {"code": "5.3", "title": "私下与客户交易"})


def record(world, user, clause, emp="east_rep", day="2025-03-03"):
    return violations.record_violation(user, world.employees[emp], {
        "clause": clause.pk, "occurred_on": day, "facts": "在店外与客户私下成交。"}, [])


def steps_of(subject):
    instance = selectors.instance_for(subject=subject)
    return instance, {s.key: s for s in Step.objects.filter(instance=instance)}


def test_a_violation_runs_investigate_decide_acknowledge(world, compliance, clause):
    v = record(world, compliance, clause)
    instance, steps = steps_of(v)
    assert instance.template_key == "discipline.violation" and instance.subject_employee_id == v.employee_id
    assert {k: s.state for k, s in steps.items()} == {"investigate": "open", "decide": "waiting",
                                                      "acknowledge": "waiting"}
    assert steps["investigate"].restricted and steps["decide"].restricted and not steps["acknowledge"].restricted
    violations.investigate(compliance, v, "调取监控")
    violations.investigate(compliance, v, "调取监控，客户证实")  # notes can still be completed
    _, steps = steps_of(v)
    assert (steps["investigate"].state, steps["decide"].state) == ("done", "open")
    assert Violation.objects.get(pk=v.pk).investigation == "调取监控，客户证实"
    violations.decide(compliance, v, {"decision": "bonus_deduction", "deduction_amount": "500",
                                      "decision_note": "扣减当月奖金"})
    _, steps = steps_of(v)
    assert steps["decide"].acted_by == compliance and steps["acknowledge"].state == "open"
    assert steps["acknowledge"].assignee_user == world.users["employee"]  # the subject's own step
    v = Violation.objects.get(pk=v.pk)
    assert (v.decision, v.deduction_amount, v.ack_state) == ("bonus_deduction", Decimal("500.00"), "pending")
    violations.acknowledge(world.users["employee"], v, False, "不同意扣款")
    instance, steps = steps_of(v)
    assert instance.state == "completed" and steps["acknowledge"].acted_by == world.users["employee"]
    assert Violation.objects.get(pk=v.pk).ack == "refused"
    assert verify_company(world.company.pk).ok


def test_the_subject_never_acts_on_their_own_case_whatever_their_role(world, compliance, clause):
    hr = world.users["hr"]
    rep = world.employees["sales_rep"]
    rep.user = hr  # the HR officer is the employee concerned
    rep.save(update_fields=["user"])
    v = record(world, compliance, clause, emp="sales_rep")
    violations.investigate(compliance, v, "核实")
    instance, steps = steps_of(v)
    decide = steps["decide"]
    assert decide.assignee_role == "hr" and decide.state == "open"
    with pytest.raises(PermissionDenied):
        violations.decide(hr, v, {"decision": "warning", "decision_note": "自己处理自己"})
    with pytest.raises(PermissionDenied):
        services.act(actor=hr, step_id=decide.pk, action="approve", data={"decision": "warning"})
    assert decide.pk not in {t.step.pk for t in selectors.open_tasks_for(user=hr)}
    detail = selectors.instance_detail(user=hr, instance_id=instance.pk)
    assert {s.key for s in detail.steps} == {"acknowledge"}  # the restricted steps are hidden
    assert Step.objects.get(pk=decide.pk).state == "open" and Violation.objects.get(pk=v.pk).decision == ""
    # Another HR officer decides; the subject then acknowledges their own step.
    violations.decide(world.users["legal"], v, {"decision": "warning", "decision_note": "警告"})
    violations.acknowledge(hr, v, True, "知悉")
    assert Violation.objects.get(pk=v.pk).ack == "acknowledged"


def test_steps_acted_on_from_the_task_list(world, compliance, clause):
    v = record(world, compliance, clause)
    _, steps = steps_of(v)
    mine = {t.step.pk for t in selectors.open_tasks_for(user=compliance)}
    assert steps["investigate"].pk in mine
    services.act(actor=compliance, step_id=steps["investigate"].pk, action="complete")
    _, steps = steps_of(v)
    hr = world.users["hr"]
    # Approving the decision without one is refused (the decision is made on the violation's page) …
    with pytest.raises(ValidationError):
        services.act(actor=hr, step_id=steps["decide"].pk, action="approve")
    assert Step.objects.get(pk=steps["decide"].pk).state == "open"
    # … rejecting it finds the report not substantiated, with the note as its reasons.
    services.act(actor=hr, step_id=steps["decide"].pk, action="reject", note="证据不足")
    v = Violation.objects.get(pk=v.pk)
    instance, steps = steps_of(v)
    assert (v.status, v.decision_note, instance.state) == ("dismissed", "证据不足", "rejected")
    assert steps["acknowledge"].state == "skipped"
    assert EvidenceEvent.objects.filter(action="violation.decided", subject_id=str(v.pk)).count() == 1


def test_decide_twice_and_bad_input_change_nothing(world, compliance, clause):
    v = record(world, compliance, clause)
    violations.decide(compliance, v, {"decision": "warning", "decision_note": "警告"})
    before = EvidenceEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        violations.decide(compliance, v, {"decision": "serious_warning", "decision_note": "再次"})
    assert "status" in err.value.message_dict
    with pytest.raises(ValidationError):
        violations.record_refusal(compliance, v, "")  # witnesses are required
    assert EvidenceEvent.objects.count() == before
    assert Violation.objects.get(pk=v.pk).decision == "warning"


def test_dismissal_review_runs_on_the_engine(world, compliance, clause):
    violations.save_rule(compliance, world.company, {"name": "两次违纪", "threshold": 2})
    for day in ("2025-03-03", "2025-03-10"):
        violations.decide(compliance, record(world, compliance, clause, day=day),
                          {"decision": "warning", "decision_note": "警告"})
    review = DisciplineReview.objects.get()
    instance, steps = steps_of(review)
    assert instance.template_key == "discipline.dismissal_review" and steps["conclude"].state == "open"
    assert steps["conclude"].restricted
    with pytest.raises(PermissionDenied):  # the line manager may not conclude it
        violations.close_review(world.users["manager"], review, "解除")
    review = violations.close_review(world.users["legal"], review, "最后警告，不予解除")
    instance, steps = steps_of(review)
    assert (review.is_open, review.outcome, instance.state) == (False, "最后警告，不予解除", "completed")
    assert steps["conclude"].acted_by == world.users["legal"]
    with pytest.raises(ValidationError):
        violations.close_review(compliance, review, "again")


def test_a_cancelled_review_process_closes_the_review(world, compliance, clause):
    violations.save_rule(compliance, world.company, {"name": "一次即评审", "threshold": 1})
    violations.decide(compliance, record(world, compliance, clause), {"decision": "dismissal",
                                                                        "decision_note": "严重违纪"})
    review = DisciplineReview.objects.get()
    instance, _ = steps_of(review)
    services.cancel(actor=world.users["hr"], instance_id=instance.pk, reason="员工已主动辞职")
    review = DisciplineReview.objects.get(pk=review.pk)
    assert not review.is_open and review.outcome == "流程已撤销"


def test_facts_name_the_blocking_records_with_links(world, compliance, client_service, clause):
    emp = world.employees["east_rep"]
    c = complaints.record_complaint(client_service, emp, {"client": "李女士", "received_on": "2025-03-05",
                                                          "claimed_loss": "200000", "facts": "私下承诺收益"})
    record(world, compliance, clause)
    _version, _ = editing.create_template(actor=world.users["admin"], company=world.company, key="exit.check",
                                         name="离职检查", definition={
                                             "stages": [{"key": "hr", "name": "人事确认", "kind": "task",
                                                         "assignee": {"rule": "role", "role": "hr"},
                                                         "gate": "open_complaints == 0 && open_violations == 0"}]})
    instance = services.start(actor=world.users["hr"], company=world.company, template_key="exit.check",
                              subject=emp, subject_employee=emp)
    result = gates.evaluate("open_complaints == 0 && open_violations == 0", gate_context(instance))
    texts = [r.text for r in result.reasons]
    assert not result.passed
    assert f"客户投诉 #{c.pk} 未结 — 索赔 200,000" in texts
    assert any(t.startswith("违纪 #") and "5.3 私下与客户交易" in t for t in texts)
    assert f"/activity/complaints/{c.pk}/" in [r.url for r in result.reasons]
    step = Step.objects.get(instance=instance)
    with pytest.raises(gates.GateBlocked) as blocked:
        services.act(actor=world.users["hr"], step_id=step.pk, action="complete")
    assert "客户投诉" in str(blocked.value.messages)
    assert Step.objects.get(pk=step.pk).state == "open"


def test_an_edited_violation_template_applies_to_new_cases_only(world, compliance, clause):
    running = record(world, compliance, clause)
    template = ProcessTemplate.objects.get(company=world.company, key="discipline.violation")
    definition = template.versions.order_by("-number").first().definition
    extra = {"key": "legal_check", "name": "法务复核", "kind": "task", "restricted": True,
             "assignee": {"rule": "role", "role": "legal"}}
    edited = {**definition, "stages": [definition["stages"][0], extra, *definition["stages"][1:]]}
    editing.new_version(actor=world.users["admin"], template_id=template.pk, definition=edited)
    fresh = record(world, compliance, clause, emp="sales_rep")
    assert set(steps_of(running)[1]) == {"investigate", "decide", "acknowledge"}
    assert set(steps_of(fresh)[1]) == {"investigate", "legal_check", "decide", "acknowledge"}
    violations.investigate(compliance, fresh, "核实")
    with pytest.raises(ValidationError) as err:  # the decision waits for the legal check now
        violations.decide(compliance, fresh, {"decision": "warning", "decision_note": "x"})
    assert "法务复核" in str(err.value)
    violations.decide(compliance, running, {"decision": "warning", "decision_note": "x"})  # old version: no check
