"""Violations (with files, investigation, decision, acknowledgement/refusal, escalation ladder) and
client complaints: services, bad input, who may do what."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.discipline import complaints, selectors, violations
from hrguard.discipline.models import ClientComplaint, DisciplineReview, HandbookClause, Violation, ViolationAck
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.selectors import decoded
from hrguard.evidence.verify import verify_company
from hrguard.records.models import Attachment
from tests.records.conftest import evidence_count

pytestmark = pytest.mark.django_db
PDF = ("监控截图.pdf", b"%PDF-1.4 evidence")


@pytest.fixture
def clause(world, compliance):
    return violations.save_clause(compliance, world.company, {"code": "5.3", "title": "私下与客户交易"})


def record(world, user, clause, emp="east_rep", **over):
    data = {"clause": clause.pk, "occurred_on": "2025-03-03", "facts": "在店外与客户私下成交。"}
    data.update(over)
    return violations.record_violation(user, world.employees[emp], data, over.pop("uploads", [PDF]))


def test_record_with_file_decide_and_employee_acknowledges(world, compliance, clause):
    v = record(world, compliance, clause)
    att = Attachment.objects.get(owner_type="violation", owner_id=v.pk)
    assert att.sha256 == hashlib.sha256(PDF[1]).hexdigest() and att.name == "监控截图.pdf"
    assert att.file.read() == PDF[1]
    ev = EvidenceEvent.objects.get(action="violation.recorded", subject_id=str(v.pk))
    assert decoded(ev)["data"]["files"][0]["sha256"] == att.sha256
    violations.investigate(compliance, v, "调取监控，客户证实。")
    v = violations.decide(compliance, v, {"decision": "serious_warning", "decision_note": "违反手册5.3条"})
    assert (v.status, v.ack_state) == ("decided", ViolationAck.PENDING)
    v = violations.acknowledge(world.users["employee"], v, True, "已知悉")
    assert v.ack == ViolationAck.ACKNOWLEDGED and v.ack_recorded_by == world.users["employee"]
    actions = list(EvidenceEvent.objects.filter(employee_id=world.employees["east_rep"].pk).order_by("seq")
                   .exclude(action__startswith="notify.").exclude(action__startswith="process.")
                   .values_list("action", flat=True))
    assert actions == ["violation.recorded", "violation.investigated", "violation.decided", "violation.acknowledged"]
    # The decision was sent to the employee (and their manager) in the same transaction.
    queued = EvidenceEvent.objects.filter(employee_id=world.employees["east_rep"].pk, action="notify.queued")
    assert [decoded(e)["data"]["purpose"] for e in queued].count("violation.decided") == 2
    assert verify_company(world.company.pk).ok


def test_refusal_recorded_by_compliance_needs_witnesses(world, compliance, clause):
    v = violations.decide(compliance, record(world, compliance, clause),
                          {"decision": "warning", "decision_note": "迟到三次"})
    with pytest.raises(ValidationError) as err:
        violations.record_refusal(compliance, v, "")
    assert "ack_note" in err.value.message_dict
    v = violations.record_refusal(compliance, v, "拒绝签字，见证人：王经理、李工程")
    assert v.ack == ViolationAck.REFUSED
    with pytest.raises(ValidationError):  # nothing left to acknowledge
        violations.acknowledge(world.users["employee"], v, True)


def test_bad_violation_input_lists_every_field_and_saves_nothing(world, compliance, clause):
    before = (evidence_count(world.company), Violation.objects.count(), Attachment.objects.count())
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    with pytest.raises(ValidationError) as err:
        violations.record_violation(
            compliance, world.employees["east_rep"],
            {"clause": 99999, "occurred_on": future, "facts": "<script>x</script>"},
            [("payload.exe", b"MZ"), PDF],
        )
    assert set(err.value.message_dict) == {"clause", "occurred_on", "facts", "files"}
    assert (evidence_count(world.company), Violation.objects.count(), Attachment.objects.count()) == before


def test_decision_needs_its_details(world, compliance, clause):
    v = record(world, compliance, clause)
    with pytest.raises(ValidationError) as err:
        violations.decide(compliance, v, {"decision": "bonus_deduction", "deduction_amount": "-500",
                                          "decision_note": ""})
    assert set(err.value.message_dict) == {"deduction_amount", "decision_note"}
    with pytest.raises(ValidationError) as err:
        violations.decide(compliance, v, {"decision": "suspension", "decision_note": "x"})
    assert "suspension_days" in err.value.message_dict
    v = violations.decide(compliance, v, {"decision": "not_substantiated", "decision_note": "证据不足"})
    assert (v.status, v.ack_state, v.decision) == ("dismissed", "", "not_substantiated")


def test_escalation_ladder_opens_one_dismissal_review(world, compliance, clause):
    violations.save_rule(compliance, world.company, {"name": "两次违纪进入解除评审", "threshold": 2, "window_days": 365})
    first = violations.decide(compliance, record(world, compliance, clause, occurred_on="2025-01-10"),
                              {"decision": "warning", "decision_note": "一"})
    assert not DisciplineReview.objects.exists()
    # A violation of someone else does not count.
    violations.decide(compliance, record(world, compliance, clause, emp="sales_rep"),
                      {"decision": "warning", "decision_note": "他人"})
    assert not DisciplineReview.objects.exists()
    second = violations.decide(compliance, record(world, compliance, clause, occurred_on="2025-06-01"),
                               {"decision": "serious_warning", "decision_note": "二"})
    review = DisciplineReview.objects.get()
    assert review.employee_id == world.employees["east_rep"].pk and review.violation_ids == [first.pk, second.pk]
    violations.decide(compliance, record(world, compliance, clause, occurred_on="2025-07-01"),
                      {"decision": "warning", "decision_note": "三"})
    assert DisciplineReview.objects.count() == 1  # one open review per rule
    assert EvidenceEvent.objects.filter(action="discipline.review_opened").count() == 1


def test_ladder_window_excludes_old_violations(world, compliance, clause):
    violations.save_rule(compliance, world.company, {"name": "90天两次", "threshold": 2, "window_days": 90})
    violations.decide(compliance, record(world, compliance, clause, occurred_on="2024-01-10"),
                      {"decision": "warning", "decision_note": "旧"})
    violations.decide(compliance, record(world, compliance, clause, occurred_on="2025-01-10"),
                      {"decision": "warning", "decision_note": "新"})
    assert not DisciplineReview.objects.exists()


def test_who_may_see_and_do_what(world, other_world, compliance, clause):
    v = record(world, compliance, clause)
    emp = world.employees["east_rep"]
    # The line manager (销售部 manager) may record; the engineer, finance and the employee may not.
    record(world, world.users["manager"], clause)
    for key in ("engineer", "finance", "employee", "hrbp"):
        with pytest.raises(PermissionDenied):
            record(world, world.users[key], clause)
    with pytest.raises(PermissionDenied):
        record(world, other_world.users["hr"], clause)
    # Deciding: HR/legal/compliance, not the line manager.
    with pytest.raises(PermissionDenied):
        violations.decide(world.users["manager"], v, {"decision": "warning", "decision_note": "x"})
    # Acknowledging: only the employee.
    violations.decide(world.users["legal"], v, {"decision": "warning", "decision_note": "x"})
    with pytest.raises(PermissionDenied):
        violations.acknowledge(compliance, v, True)
    visible = {key: set(selectors.violations(world.users[key]).values_list("employee_id", flat=True))
               for key in ("hr", "legal", "manager", "employee", "engineer", "finance", "hrbp")}
    assert visible["hr"] == visible["legal"] == visible["manager"] == {emp.pk}
    assert visible["employee"] == {emp.pk}
    assert visible["engineer"] == visible["finance"] == visible["hrbp"] == set()
    assert not selectors.violations(other_world.users["hr"]).exists()
    assert selectors.violations(compliance).count() == 2


def test_complaint_lifecycle_links_and_visibility(world, other_world, compliance, client_service, clause):
    v = record(world, compliance, clause)
    emp = world.employees["east_rep"]
    c = complaints.record_complaint(client_service, emp, {
        "client": "李女士", "received_on": "2025-03-05", "claimed_loss": "12,000.50", "facts": "私下承诺收益",
        "violations": [v.pk],
    })
    assert c.claimed_loss == __import__("decimal").Decimal("12000.50") and list(c.violations.all()) == [v]
    # Open complaints: HR, legal, compliance and the line manager see them; the employee does not.
    for key in ("hr", "legal", "manager"):
        assert list(selectors.complaints(world.users[key], employee_id=emp.pk, status="open")) == [c]
    for key in ("employee", "finance", "engineer"):
        assert not selectors.complaints(world.users[key]).exists()
    assert not selectors.complaints(other_world.users["hr"]).exists()
    with pytest.raises(ValidationError) as err:
        complaints.resolve(compliance, c, {"status": "settled", "resolution": "赔付", "settled_amount": "abc"})
    assert "settled_amount" in err.value.message_dict
    assert ClientComplaint.objects.get(pk=c.pk).status == "open"
    c = complaints.resolve(compliance, c, {"status": "settled", "resolution": "赔付结案", "settled_amount": "8000"})
    assert (c.status, str(c.settled_amount)) == ("settled", "8000.00")
    with pytest.raises(ValidationError):
        complaints.resolve(compliance, c, {"status": "rejected", "resolution": "again"})


def test_complaint_bad_input(world, compliance, clause):
    other_v = record(world, compliance, clause, emp="sales_rep")
    before = (evidence_count(world.company), ClientComplaint.objects.count())
    with pytest.raises(ValidationError) as err:
        complaints.record_complaint(compliance, world.employees["east_rep"], {
            "client": "", "received_on": "yesterday", "claimed_loss": "-3", "facts": "",
            "violations": [other_v.pk],
        })
    assert set(err.value.message_dict) == {"client", "received_on", "claimed_loss", "facts", "violations"}
    assert (evidence_count(world.company), ClientComplaint.objects.count()) == before


def test_handbook_clause_codes_are_unique_per_company(world, other_world, compliance, clause):
    with pytest.raises(ValidationError):
        violations.save_clause(compliance, world.company, {"code": "5.3", "title": "重复"})
    violations.save_clause(other_world.users["hr"], other_world.company, {"code": "5.3", "title": "乙公司条款"})
    assert HandbookClause.objects.filter(code="5.3").count() == 2
    with pytest.raises(PermissionDenied):
        violations.save_clause(world.users["manager"], world.company, {"code": "9", "title": "x"})
