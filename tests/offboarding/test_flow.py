"""The exit on the engine: gates blocking with reasons, the statutory last day untouched by them, party
rules, completion (former employee, retention clock, signal), rehire as a new employment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.offboarding.models import Exit
from tests.offboarding.conftest import NOTICE, act_as, confirm_all, open_steps

pytestmark = pytest.mark.django_db


def _sweep_after(day: dt.date) -> None:
    from django.utils import timezone

    from hrguard.deadlines import services as deadlines

    tz = timezone.get_current_timezone()
    deadlines.sweep(now=dt.datetime.combine(day + dt.timedelta(days=2), dt.time(9), tzinfo=tz))


def test_items_generated_from_presets_and_what_the_employee_holds(world, staff, start, complaint):
    complaint()
    ex = start(ground="art37")
    kinds = {i.kind for i in ex.items.all()}
    assert {"document", "asset", "access", "client"} <= kinds
    client = ex.items.get(kind="client")
    assert client.name == "李某" and client.receiver_role == "client_service"
    assert ex.items.get(kind="document").receiver == world.users["manager"]


def test_open_complaint_blocks_compliance_with_reason_and_link(world, staff, start, complaint):
    c = complaint()
    ex = start(ground="art37")
    step = next(s for s in open_steps(ex) if s.key == "compliance")
    with pytest.raises(ValidationError) as exc:
        act_as(step, staff)
    text = " ".join(exc.value.messages)
    assert f"#{c.pk}" in text and "200,000" in text
    from hrguard.discipline import complaints

    complaints.resolve(world.users["hr"], c, {"status": "settled", "resolution": "张某赔偿，客户撤诉",
                                              "settled_amount": "200000"})
    act_as(step, staff)
    step.refresh_from_db()
    assert step.state == "done"


def test_handover_gate_names_the_unconfirmed_items(world, staff, start):
    ex = start(ground="art37")
    step = next(s for s in open_steps(ex) if s.key == "handover")
    with pytest.raises(ValidationError) as exc:
        act_as(step, staff)
    assert "笔记本电脑" in " ".join(exc.value.messages)


def test_finance_gate_blocks_on_outstanding_advance(world, staff, start):
    from hrguard.expenses.models import Advance

    Advance.objects.create(company=world.company, employee=world.employees["east_rep"], kind="advance",
                           purpose="出差备用金", amount=3000, issued_on=dt.date(2026, 10, 1))
    ex = start(ground="art37")
    step = next(s for s in open_steps(ex) if s.key == "finance")
    with pytest.raises(ValidationError) as exc:
        act_as(step, staff)
    assert "3000" in " ".join(exc.value.messages).replace(",", "")


def test_the_subject_cannot_act_on_their_own_exit(world, staff, start):
    from hrguard.offboarding import items, services
    from hrguard.workflows import services as engine

    ex = start(ground="art37")
    me = world.users["employee"]
    for step in open_steps(ex):
        with pytest.raises(PermissionDenied):
            engine.act(actor=me, step_id=step.pk, action="complete")
    item = ex.items.first()
    with pytest.raises(PermissionDenied):
        items.confirm_item(actor=me, item_id=item.pk)
    with pytest.raises(PermissionDenied):
        services.cancel_exit(actor=me, exit_id=ex.pk, reason="x")
    # An HR user who resigns cannot start, manage or see the interview of their own exit.
    me.role = "hr"
    me.save(update_fields=["role"])
    assert not me.has_perm("offboarding.manage_exit", ex)
    assert not me.has_perm("offboarding.view_interview", ex)
    assert not me.has_perm("offboarding.start_exit", world.employees["east_rep"])


def test_gates_never_move_the_last_day_and_completion_follows(world, staff, start, complaint,
                                                              django_capture_on_commit_callbacks):
    from hrguard.law import retention
    from hrguard.offboarding import signals

    received = []
    signals.exit_completed.connect(lambda sender, exit, **kw: received.append(exit.pk), weak=False,
                                   dispatch_uid="test-exit-completed")
    try:
        c = complaint()
        ex = start(ground="art37")
        _sweep_after(ex.last_day)  # the statutory day passes while the complaint is still open
        ex.refresh_from_db()
        emp = world.employees["east_rep"]
        emp.refresh_from_db()
        assert ex.employment_ended and emp.status == "left" and emp.termination_date == ex.last_day
        assert ex.state == "open" and ex.cleared_at is None
        from hrguard.discipline import complaints

        complaints.resolve(world.users["hr"], c, {"status": "resolved", "resolution": "已和解"})
        confirm_all(ex, staff)
        with django_capture_on_commit_callbacks(execute=True):
            for _round in range(3):
                for step in open_steps(ex):
                    act_as(step, staff)
        ex.refresh_from_db()
        assert ex.state == "completed"
        assert ex.retention_until == retention.keep_until(retention.TERMINATED_CONTRACT, ex.last_day)
        assert received == [ex.pk]
    finally:
        signals.exit_completed.disconnect(dispatch_uid="test-exit-completed")


def test_rehire_is_a_new_employment_and_keeps_the_old_exit(world, staff, start):
    ex = start(kind="mutual", ground="art36_employee")
    _sweep_after(ex.last_day)
    emp = world.employees["east_rep"]
    emp.refresh_from_db()
    with pytest.raises(ValidationError) as exc:  # a former employee: rehire first
        start(ground="art37")
    assert "employee" in exc.value.message_dict
    emp.status, emp.hire_date, emp.termination_date = "active", dt.date(2026, 11, 20), None
    emp.save()
    second = start(ground="art37", notice_date=dt.date(2026, 11, 25))
    assert second.employment_start == dt.date(2026, 11, 20)
    assert Exit.objects.filter(employee=emp).count() == 2


def test_self_service_resignation(world, staff):
    from hrguard.offboarding import services

    ex = services.submit_resignation(actor=world.users["employee"], notice_date=NOTICE, reason="个人职业规划调整")
    assert ex.submitted_by_employee and ex.ground == "art37" and ex.last_day == NOTICE + dt.timedelta(days=30)
    assert ex.process.started_by is None
    with pytest.raises(ValidationError):
        services.submit_resignation(actor=world.users["employee"], notice_date=NOTICE)
    with pytest.raises(PermissionDenied):
        services.submit_resignation(actor=world.users["hr"], notice_date=NOTICE)


def test_evidence_of_the_exit_in_the_same_transaction(world, staff, start):
    from hrguard.evidence.models import EvidenceEvent

    ex = start(ground="art37")
    actions = set(EvidenceEvent.objects.filter(company=world.company, employee_id=ex.employee_id)
                  .values_list("action", flat=True))
    assert {"offboarding.exit_started", "offboarding.items_generated", "lifecycle.status_change",
            "process.started"} <= actions


def test_tenancy(world, other_world, staff, start):
    from django.http import Http404

    from hrguard.offboarding import selectors, services

    ex = start(ground="art37")
    intruder = other_world.users["hr"]
    with pytest.raises(Http404):
        selectors.exit_detail(intruder, ex.pk)
    with pytest.raises(Http404):
        services.cancel_exit(actor=intruder, exit_id=ex.pk, reason="x")
    assert not selectors.exits_for(intruder).exists()
    with pytest.raises(Http404):
        services.start_exit(actor=intruder, employee=world.employees["engineer"], kind="resignation",
                            notice_date=NOTICE)


def test_exit_steps_are_on_the_assignees_workbench(world, staff, start):
    from hrguard.workflows import selectors as engine_selectors

    ex = start(ground="art37")
    tasks = engine_selectors.open_tasks_for(user=staff["compliance"])
    assert [t.step.key for t in tasks if t.instance.pk == ex.process_id] == ["compliance"]
    assert not [t for t in engine_selectors.open_tasks_for(user=world.users["employee"])
                if t.instance.pk == ex.process_id]
