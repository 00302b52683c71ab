"""Emergency aid: the limit (company setting), approval on the engine, payment-out, the schedule that must
add up, repayments, balance, and the exit's finance-clearance gate on ``aid_outstanding``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.evidence.models import EvidenceEvent

from .conftest import approve_all, open_steps

pytestmark = pytest.mark.django_db


def test_approval_runs_hr_then_finance_and_every_change_is_evidence(world, loan):
    assert loan.status == "approved"
    assert loan.by_employee
    actions = set(EvidenceEvent.objects.filter(company=world.company, subject_type="care.aidloan",
                                               subject_id=str(loan.pk)).values_list("action", flat=True))
    assert {"care.aid_applied", "care.aid_approved"} <= actions


def test_rejection_on_the_engine_sets_the_status(world):
    from hrguard.care import aid
    from hrguard.workflows import services as engine

    made = aid.apply(actor=world.users["hr"], employee=world.employees["sales_rep"], amount="3000", reason="房租")
    assert not made.by_employee
    (step,) = open_steps(made)
    engine.act(actor=world.users["hr"], step_id=step.pk, action="reject", note="材料不全")
    made.refresh_from_db()
    assert made.status == "rejected"


def test_over_the_limit_is_refused_naming_the_limit(world):
    from hrguard.care import aid, services

    with pytest.raises(ValidationError) as exc:
        aid.apply(actor=world.users["employee"], employee=world.employees["east_rep"], amount="50000.01",
                  reason="x")
    assert "50,000" in str(exc.value.message_dict["amount"])
    services.set_aid_limit(actor=world.users["hr"], company=world.company, limit="10000")
    with pytest.raises(ValidationError):
        aid.apply(actor=world.users["employee"], employee=world.employees["east_rep"], amount="10001", reason="x")
    aid.apply(actor=world.users["employee"], employee=world.employees["east_rep"], amount="6000", reason="x")
    with pytest.raises(ValidationError) as exc:  # what is still open counts against the limit
        aid.apply(actor=world.users["employee"], employee=world.employees["east_rep"], amount="5000", reason="x")
    assert "6,000" in str(exc.value.message_dict["amount"])


def test_an_employee_applies_only_for_themself(world):
    from hrguard.care import aid

    with pytest.raises(PermissionDenied):
        aid.apply(actor=world.users["employee"], employee=world.employees["sales_rep"], amount="100", reason="x")


def test_schedule_must_add_up_naming_the_difference(world, loan):
    from hrguard.care import aid

    with pytest.raises(ValidationError) as exc:
        aid.set_schedule(actor=world.users["finance"], loan=loan, installments=[
            {"due_on": "2027-01-31", "amount": "5000"}, {"due_on": "2027-02-28", "amount": "5000"}])
    text = str(exc.value.message_dict["installments"])
    assert "2,000" in text and "少" in text
    with pytest.raises(ValidationError) as exc:
        aid.set_schedule(actor=world.users["finance"], loan=loan, installments=[
            {"due_on": "2027-01-31", "amount": "12000"}, {"due_on": "2027-02-28", "amount": "1"}])
    assert "多" in str(exc.value.message_dict["installments"])
    rows = aid.set_schedule(actor=world.users["finance"], loan=loan, installments=[
        {"due_on": "2027-02-28", "amount": "6000"}, {"due_on": "2027-01-31", "amount": "6000"}])
    assert [r.due_on for r in rows] == [dt.date(2027, 1, 31), dt.date(2027, 2, 28)]


def test_payment_out_repayments_and_balance(world, loan):
    from hrguard.care import aid

    with pytest.raises(ValidationError):  # nothing to repay before payment-out
        aid.repay(actor=world.users["finance"], loan=loan, amount="100", paid_on="2026-11-01")
    with pytest.raises(PermissionDenied):  # HR does not record money; finance does
        aid.disburse(actor=world.users["hr"], loan=loan, paid_on="2026-11-01")
    aid.disburse(actor=world.users["finance"], loan=loan, paid_on="2026-11-01")
    aid.repay(actor=world.users["finance"], loan=loan, amount="2000", paid_on="2026-11-20")
    loan.refresh_from_db()
    assert loan.balance == 10000
    with pytest.raises(ValidationError) as exc:
        aid.repay(actor=world.users["finance"], loan=loan, amount="10000.01", paid_on="2026-11-21")
    assert "10,000" in str(exc.value.message_dict["amount"])
    aid.repay(actor=world.users["finance"], loan=loan, amount="10000", paid_on="2026-11-21")
    loan.refresh_from_db()
    assert (loan.status, loan.balance) == ("repaid", 0)


def test_borrower_withdraws_before_anyone_decided(world):
    from hrguard.care import aid

    made = aid.apply(actor=world.users["employee"], employee=world.employees["east_rep"], amount="800", reason="x")
    assert aid.cancel(actor=world.users["employee"], loan=made).status == "cancelled"


def test_exit_finance_gate_blocks_on_aid_balance_with_reason(world, loan):
    from hrguard.care import aid
    from hrguard.core.models import User
    from hrguard.offboarding import services as exits
    from hrguard.workflows import services as engine
    from hrguard.workflows.models import Step

    aid.disburse(actor=world.users["finance"], loan=loan, paid_on="2026-11-01")
    for role in ("compliance", "client_service", "it"):
        User.objects.create_user(username=f"acme-{role}", password="pw-x", company=world.company, role=role)
    ex = exits.start_exit(actor=world.users["hr"], employee=world.employees["east_rep"], kind="resignation",
                          notice_date=dt.date(2026, 11, 2), ground="art37")
    step = Step.objects.get(instance_id=ex.process_id, key="finance", state="open")
    with pytest.raises(ValidationError) as exc:
        engine.act(actor=world.users["finance"], step_id=step.pk, action="complete")
    assert f"应急借款 #{loan.pk} 未还 — 余额 12,000" in " ".join(exc.value.messages)
    aid.repay(actor=world.users["finance"], loan=loan, amount="12000", paid_on="2026-11-20")
    engine.act(actor=world.users["finance"], step_id=step.pk, action="complete")


def test_aid_pages_employee_and_finance(world, client_for):
    from hrguard.care.models import AidLoan

    me = client_for(world.users["employee"])
    page = me.get("/care/mine/")
    assert page.status_code == 200 and "应急借款" in page.content.decode()
    bad = me.post("/care/mine/", {"op": "aid", "amount": "60000", "reason": "x"})
    assert bad.status_code == 400 and "50,000" in bad.content.decode()
    assert me.post("/care/mine/", {"op": "aid", "amount": "5000", "reason": "孩子学费"}).status_code == 302
    loan = AidLoan.objects.get(employee=world.employees["east_rep"])
    approve_all(world, loan)
    fin = client_for(world.users["finance"])
    assert fin.post(f"/care/aid/{loan.pk}/disburse/", {"paid_on": "2026-11-01"}).status_code == 302
    bad = fin.post(f"/care/aid/{loan.pk}/schedule/", {"due_on": ["2027-01-31"], "amount": ["4000"]})
    assert bad.status_code == 400 and "1,000" in bad.content.decode()
    ok = fin.post(f"/care/aid/{loan.pk}/schedule/", {"due_on": ["2027-01-31", "2027-02-28"],
                                                    "amount": ["2500", "2500"]})
    assert ok.status_code == 302
    assert fin.get("/care/aid/").status_code == 200
    # A colleague cannot open this loan; the manager neither.
    assert client_for(world.users["engineer"]).get(f"/care/aid/{loan.pk}/").status_code == 404
    assert client_for(world.users["manager"]).get(f"/care/aid/{loan.pk}/").status_code == 404


def test_aid_api_employee_sees_own_only(world, api):
    me = api(world.users["employee"])
    res = me.post("/api/v1/care/aid-loans/", {"amount": "3000", "reason": "紧急"}, format="json")
    assert res.status_code == 201, res.content
    pk = res.json()["id"]
    bad = me.post("/api/v1/care/aid-loans/", {"amount": "99999", "reason": "x"}, format="json")
    assert bad.status_code == 400
    other = api(world.users["engineer"])
    assert other.get(f"/api/v1/care/aid-loans/{pk}/").status_code == 404
    assert other.get("/api/v1/care/aid-loans/").json()["results"] == []
    assert [r["id"] for r in me.get("/api/v1/care/aid-loans/").json()["results"]] == [pk]
    hr = api(world.users["hr"])
    assert hr.get(f"/api/v1/care/aid-loans/{pk}/").json()["reason"] == "紧急"
    assert other.post("/api/v1/care/aid-loans/", {"employee": world.employees["east_rep"].pk, "amount": "10",
                                                   "reason": "x"}, format="json").status_code in (403, 404)


def test_aid_list_page_queries_do_not_grow(world, client_for, django_assert_max_num_queries):
    from hrguard.care import aid

    hr = client_for(world.users["hr"])
    hr.get("/care/aid/")
    for key in ("sales_rep", "engineer", "sales_manager"):
        aid.apply(actor=world.users["hr"], employee=world.employees[key], amount="100", reason="x")
    with django_assert_max_num_queries(14):
        assert hr.get("/care/aid/").status_code == 200
