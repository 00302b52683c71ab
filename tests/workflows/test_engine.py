"""The engine's services: acting (twice, on someone else's task), parties, gates with reasons, the SLA
clock, assignees that resolve to nobody, evidence in the same transaction, tenancy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from hrguard.evidence.models import EvidenceEvent
from hrguard.people.models import Employee
from hrguard.workflows import registry, selectors, services
from hrguard.workflows.gates import GateBlocked
from hrguard.workflows.models import ProcessInstance, Step, StepPause

pytestmark = pytest.mark.django_db

BLOCKERS: list[registry.Reason] = []


@registry.fact("test_open_blockers", label="Blockers (tests)", kinds=("test.gated",))
def _blockers(ctx: registry.InstanceContext) -> registry.FactValue:
    return registry.FactValue(len(BLOCKERS), list(BLOCKERS))


def one_step(**over: Any) -> dict[str, Any]:
    return {"stages": [{"key": "decide", "name": "决定", "kind": "approval",
                        "assignee": {"rule": "role", "role": "hr"}, **over}]}


def test_acting_twice_is_refused_and_nothing_is_duplicated(world: Any, make_template: Any, start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    first = instance.steps.get(key="manager")
    services.act(actor=world.users["manager"], step_id=first.pk, action="approve")
    events = EvidenceEvent.objects.filter(company=world.company).count()
    with pytest.raises(ValidationError):
        services.act(actor=world.users["manager"], step_id=first.pk, action="approve")
    with pytest.raises(ValidationError):
        services.act(actor=world.users["manager"], step_id=first.pk, action="reject", note="改主意")
    assert EvidenceEvent.objects.filter(company=world.company).count() == events
    assert Step.objects.filter(instance=instance, key="finance", state="open").count() == 1


def test_acting_on_someone_elses_task_is_refused(world: Any, make_template: Any, start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    step = instance.steps.get(key="manager")
    for key in ("finance", "hr", "engineer", "employee", "admin"):
        with pytest.raises(PermissionDenied):
            services.act(actor=world.users[key], step_id=step.pk, action="approve")
    with pytest.raises(ValidationError) as err:  # a rejection needs a reason
        services.act(actor=world.users["manager"], step_id=step.pk, action="reject")
    assert "note" in err.value.message_dict
    with pytest.raises(ValidationError):  # approvals are approved or rejected, not "completed"
        services.act(actor=world.users["manager"], step_id=step.pk, action="complete")
    assert Step.objects.get(pk=step.pk).state == "open"


def test_reject_ends_the_process_and_skips_the_rest(world: Any, make_template: Any, start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    services.act(actor=world.users["manager"], step_id=instance.steps.get(key="manager").pk, action="reject",
                 note="预算不足")
    instance.refresh_from_db()
    assert (instance.state, instance.outcome) == ("rejected", "rejected")
    assert instance.steps.get(key="finance").state == "skipped"
    assert instance.total_seconds is not None


def test_nobody_to_act_goes_to_hr_with_the_reason(world: Any, make_template: Any, start_for: Any) -> None:
    make_template()
    instance = start_for("engineer")  # 研发部 has no head and 李工程 no manager
    step = instance.steps.get(key="manager")
    assert step.assignee_user_id is None and step.assignee_role == "hr"
    assert "李工程" in step.assignee_note
    assert [t.step.pk for t in selectors.open_tasks_for(user=world.users["hr"])] == [step.pk]


def test_parties_never_act_nor_see_restricted_steps(world: Any, make_template: Any) -> None:
    hr = world.users["hr"]
    hr_person = Employee.objects.create(company=world.company, employee_no="H001", name="赵人事",
                                        department=world.depts["root"], hire_date=dt.date(2020, 1, 1), user=hr)
    make_template({"stages": [
        {"key": "investigate", "name": "调查", "kind": "task", "assignee": {"rule": "role", "role": "hr"},
         "restricted": True},
        {"key": "ack", "name": "本人确认", "kind": "task", "assignee": {"rule": "subject"}},
    ]}, key="test.case")
    complainant = world.employees["engineer"]
    instance = services.start(actor=world.users["admin"], company=world.company, template_key="test.case",
                              subject=hr_person, subject_employee=hr_person, parties={"complainant": [complainant]})
    step = instance.steps.get(key="investigate")
    assert selectors.open_tasks_for(user=hr) == []  # HR, but the subject: not their task
    with pytest.raises(PermissionDenied):
        services.act(actor=hr, step_id=step.pk, action="complete")
    with pytest.raises(PermissionDenied):  # nor can it be delegated to a party
        services.act(actor=world.users["admin"], step_id=step.pk, action="delegate", delegate_to=hr.pk)
    detail = selectors.instance_detail(user=hr, instance_id=instance.pk)
    assert [s.key for s in detail.steps] == ["ack"] and detail.hidden_steps == 1
    engineer_view = selectors.instance_detail(user=world.users["engineer"], instance_id=instance.pk)
    assert "investigate" not in [s.key for s in engineer_view.steps]
    other_hr = world.users["admin"]
    other_hr.role = "hr"
    other_hr.save()
    services.act(actor=other_hr, step_id=step.pk, action="complete", note="查实")
    ack = Step.objects.get(instance=instance, key="ack")
    assert ack.assignee_user_id == hr.pk  # the subject's own step is theirs
    services.act(actor=hr, step_id=ack.pk, action="complete")
    assert ProcessInstance.objects.get(pk=instance.pk).state == "completed"


def test_a_gate_blocks_with_reasons_and_links_then_lets_through(world: Any, make_template: Any) -> None:
    make_template(one_step(gate="test_open_blockers == 0"), key="test.gated")
    employee = world.employees["east_rep"]
    BLOCKERS[:] = [registry.Reason("客户投诉 #12 未结 — 索赔 200,000", "/activity/complaints/12/")]
    try:
        instance = services.start(actor=world.users["admin"], company=world.company, template_key="test.gated",
                                  subject=employee, subject_employee=employee)
        step = instance.steps.get()
        with pytest.raises(GateBlocked) as err:
            services.act(actor=world.users["hr"], step_id=step.pk, action="approve")
        assert "客户投诉 #12 未结" in err.value.messages[0]
        assert [r.url for r in err.value.reasons] == ["/activity/complaints/12/"]
        assert Step.objects.get(pk=step.pk).state == "open"
        BLOCKERS.clear()
        services.act(actor=world.users["hr"], step_id=step.pk, action="approve")
        assert ProcessInstance.objects.get(pk=instance.pk).state == "completed"
    finally:
        BLOCKERS.clear()


def test_pause_and_resume_keep_the_history_and_move_the_due_date(world: Any, make_template: Any,
                                                                 start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    step = instance.steps.get(key="manager")
    due = step.due_at
    manager = world.users["manager"]
    with pytest.raises(ValidationError):
        services.pause(actor=manager, step_id=step.pk, reason="")  # a reason is required
    services.pause(actor=manager, step_id=step.pk, reason="等员工补材料")
    with pytest.raises(ValidationError):  # a paused step is not decided
        services.act(actor=manager, step_id=step.pk, action="approve")
    Step.objects.filter(pk=step.pk).update(paused_at=timezone.now() - dt.timedelta(hours=5))
    services.resume(actor=manager, step_id=step.pk, reason="材料已补")
    step.refresh_from_db()
    assert step.state == "open" and step.paused_seconds >= 5 * 3600
    assert step.due_at - due == dt.timedelta(seconds=step.paused_seconds)
    pause = StepPause.objects.get(step=step)
    assert (pause.reason, pause.resume_reason, pause.seconds) == ("等员工补材料", "材料已补", step.paused_seconds)
    services.act(actor=manager, step_id=step.pk, action="approve")
    step.refresh_from_db()
    assert step.duration_seconds is not None and step.duration_seconds >= 0
    assert ProcessInstance.objects.get(pk=instance.pk).paused_seconds == step.paused_seconds
    with pytest.raises(PermissionDenied):  # someone else cannot stop the clock
        services.pause(actor=world.users["engineer"], step_id=instance.steps.get(key="finance").pk, reason="x")


def test_every_change_writes_evidence_in_the_same_transaction(world: Any, make_template: Any, start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    actions = list(EvidenceEvent.objects.filter(company=world.company, subject_type="workflows.processinstance",
                                                subject_id=str(instance.pk)).values_list("action", flat=True))
    assert actions == ["process.started", "process.step_opened"]
    step = instance.steps.get(key="manager")
    services.act(actor=world.users["manager"], step_id=step.pk, action="delegate",
                 delegate_to=world.users["hrbp"].pk, note="我出差")
    services.cancel(actor=world.users["hr"], instance_id=instance.pk, reason="重复提交")
    actions = list(EvidenceEvent.objects.filter(company=world.company, subject_id=str(instance.pk),
                                                subject_type="workflows.processinstance")
                   .order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["process.step_delegated", "process.cancelled"]
    assert EvidenceEvent.objects.filter(action="process.step_delegated", employee_id=instance.subject_employee_id)
    with pytest.raises(ValidationError):  # cancelled: nothing left to cancel
        services.cancel(actor=world.users["hr"], instance_id=instance.pk, reason="again")


def test_another_company_can_neither_see_nor_act(world: Any, other_world: Any, make_template: Any,
                                                 start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    step = instance.steps.get(key="manager")
    stranger = other_world.users["hr"]
    with pytest.raises(Http404):
        services.act(actor=stranger, step_id=step.pk, action="approve")
    with pytest.raises(Http404):
        services.cancel(actor=stranger, instance_id=instance.pk, reason="x")
    with pytest.raises(Http404):
        selectors.instance_detail(user=stranger, instance_id=instance.pk)
    assert selectors.open_tasks_for(user=other_world.users["manager"]) == []
    with pytest.raises(PermissionDenied):
        services.start(actor=stranger, company=world.company, template_key="test.flow",
                       subject=world.employees["east_rep"], subject_employee=world.employees["east_rep"])


def test_open_tasks_take_a_constant_number_of_queries(world: Any, make_template: Any, start_for: Any,
                                                      django_assert_max_num_queries: Any) -> None:
    make_template()
    start_for("east_rep")
    with django_assert_max_num_queries(8):
        first = selectors.open_tasks_for(user=world.users["manager"])
    for _ in range(25):
        start_for("sales_rep")
    with django_assert_max_num_queries(8):
        many = selectors.open_tasks_for(user=world.users["manager"])
    assert len(first) == 1 and len(many) == 26
    assert [t.step.due_at for t in many] == sorted(t.step.due_at for t in many)


def test_a_transition_reads_the_channel_set_up_once_whatever_the_notices(world: Any, make_template: Any,
                                                                         start_for: Any) -> None:
    """Approving notifies the starter and the subject and opens the finance step (its assignees are
    notified too), each on in-app and every chat channel: the company's channel configuration is read
    once for the whole transition, not per person and channel."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrguard.notify.models import OutboxMessage

    make_template()
    instance = start_for("east_rep")
    first = instance.steps.get(key="manager")
    before = OutboxMessage.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        services.act(actor=world.users["manager"], step_id=first.pk, action="approve")
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "notify_channelconfig"' in q["sql"]]
    assert OutboxMessage.objects.count() - before >= 2
    assert len(reads) == 1
