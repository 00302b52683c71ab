"""Leave: requests, overlaps, balances, approval, cancellation, permissions — nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.evidence.models import EvidenceEvent
from hrguard.leave import selectors, services
from hrguard.leave.models import LeaveBalance, LeaveRequest
from tests.records.conftest import evidence_count

pytestmark = pytest.mark.django_db


def ask(world, user="employee", emp="east_rep", **data):
    return services.request_leave(world.users[user], world.employees[emp], data)


def test_days_count_workdays_of_the_official_calendar(world):
    # 2025-09-29 (Mon) .. 2025-10-10 (Fri): Sep 29, 30 and Oct 9, 10 are workdays; Oct 1–8 is the
    # National Day holiday week; Saturday Oct 11 is a swapped workday (outside the range).
    leave = ask(world, leave_type="personal", start_date="2025-09-29", end_date="2025-10-10")
    assert leave.days == Decimal(4)
    ev = EvidenceEvent.objects.get(action="leave.requested")
    assert ev.employee_id == world.employees["east_rep"].pk


def test_overlapping_leave_is_refused_and_nothing_saved(world):
    ask(world, leave_type="sick", start_date="2025-03-03", end_date="2025-03-05")
    before = (evidence_count(world.company), LeaveRequest.objects.count())
    with pytest.raises(ValidationError) as err:
        ask(world, leave_type="personal", start_date="2025-03-05", end_date="2025-03-07")
    message = err.value.message_dict["start_date"][0]
    assert "2025-03-03" in message and "2025-03-05" in message
    assert (evidence_count(world.company), LeaveRequest.objects.count()) == before
    # Rejected or cancelled leave no longer blocks the dates.
    first = LeaveRequest.objects.get()
    services.decide_leave(world.users["manager"], first, False, "人手不足")
    ask(world, leave_type="personal", start_date="2025-03-05", end_date="2025-03-07")


def test_balance_cannot_be_exceeded(world):
    emp = world.employees["east_rep"]
    services.set_balance(world.users["hr"], emp, {"leave_type": "compensatory", "year": 2025,
                                                  "entitled_days": "2", "basis": "2月周末加班"})
    ask(world, leave_type="compensatory", start_date="2025-03-03", end_date="2025-03-03")
    before = (evidence_count(world.company), LeaveRequest.objects.count())
    with pytest.raises(ValidationError) as err:  # 2 days asked, 1 left (1 pending counts as used)
        ask(world, leave_type="compensatory", start_date="2025-03-10", end_date="2025-03-11")
    assert "only 1.0 days" in err.value.message_dict["leave_type"][0]
    assert (evidence_count(world.company), LeaveRequest.objects.count()) == before
    ask(world, leave_type="compensatory", start_date="2025-03-10", end_date="2025-03-10")
    assert services.available_days(emp, "compensatory", 2025) == Decimal(0)


def test_every_bad_field_is_reported(world):
    with pytest.raises(ValidationError) as err:
        ask(world, leave_type="holiday", start_date="2025-13-01", end_date="", reason="<b>x</b>")
    assert set(err.value.message_dict) == {"leave_type", "start_date", "end_date", "reason"}
    with pytest.raises(ValidationError) as err:
        ask(world, leave_type="sick", start_date="2025-03-08", end_date="2025-03-09")  # a weekend
    assert "no workdays" in err.value.message_dict["end_date"][0]
    with pytest.raises(ValidationError) as err:
        ask(world, leave_type="sick", start_date="2019-12-30", end_date="2019-12-31")
    assert "hire date" in err.value.message_dict["start_date"][0]
    assert LeaveRequest.objects.count() == 0


def test_who_requests_and_who_decides(world, other_world):
    with pytest.raises(PermissionDenied):  # a manager does not file leave for their report
        ask(world, user="manager", leave_type="sick", start_date="2025-03-03", end_date="2025-03-03")
    leave = ask(world, user="hr", leave_type="sick", start_date="2025-03-03", end_date="2025-03-03")
    for key in ("employee", "engineer", "finance", "hrbp"):
        with pytest.raises(PermissionDenied):
            services.decide_leave(world.users[key], leave, True)
    with pytest.raises(PermissionDenied):
        services.decide_leave(other_world.users["hr"], leave, True)
    with pytest.raises(ValidationError) as err:
        services.decide_leave(world.users["manager"], leave, False, "")
    assert "decision_note" in err.value.message_dict
    assert [r.pk for r in selectors.pending_approvals(world.users["manager"])] == [leave.pk]
    assert list(selectors.pending_approvals(world.users["engineer"])) == []
    services.decide_leave(world.users["manager"], leave, True)
    with pytest.raises(ValidationError):
        services.decide_leave(world.users["hr"], leave, False, "again")
    # The manager's own request goes to HR, not to themselves.
    own = ask(world, user="manager", emp="sales_manager", leave_type="sick", start_date="2025-03-04",
              end_date="2025-03-04")
    assert own.pk not in [r.pk for r in selectors.pending_approvals(world.users["manager"])]
    with pytest.raises(PermissionDenied):
        services.decide_leave(world.users["manager"], own, True)
    assert own.pk in [r.pk for r in selectors.pending_approvals(world.users["hr"])]


def test_employee_withdraws_pending_but_not_approved_leave(world):
    leave = ask(world, leave_type="sick", start_date="2025-03-03", end_date="2025-03-03")
    services.cancel_leave(world.users["employee"], leave)
    assert LeaveRequest.objects.get().status == "cancelled"
    approved = ask(world, leave_type="sick", start_date="2025-03-04", end_date="2025-03-04")
    services.decide_leave(world.users["manager"], approved, True)
    with pytest.raises(PermissionDenied):
        services.cancel_leave(world.users["employee"], approved)


def test_leave_visibility(world, other_world):
    ask(world, leave_type="sick", start_date="2025-03-03", end_date="2025-03-03")
    seen = {k: selectors.requests(world.users[k]).count() for k in
            ("employee", "manager", "hr", "legal", "engineer", "finance", "hrbp")}
    assert seen == {"employee": 1, "manager": 1, "hr": 1, "legal": 1, "engineer": 0, "finance": 0, "hrbp": 0}
    assert selectors.requests(other_world.users["hr"]).count() == 0


# --- Statutory annual leave (needs hrguard.law.leave) ---------------------------------------------------


def test_annual_leave_entitlement_comes_from_the_law(world):
    from hrguard.leave import statutory

    emp = world.employees["east_rep"]
    emp.work_start_date = dt.date(2010, 7, 1)  # ≥ 10 and < 20 years of work in 2025
    emp.save(update_fields=["work_start_date"])
    balance = services.ensure_annual_balance(emp, 2025)
    expected, basis = statutory.annual_leave_entitlement(emp, 2025)
    assert balance.entitled_days == expected and balance.basis == basis
    assert "年休假" in basis or "Annual" in basis
    with pytest.raises(ValidationError):
        ask(world, leave_type="annual", start_date="2025-03-03",
            end_date=(dt.date(2025, 3, 3) + dt.timedelta(days=int(expected) * 2 + 7)).isoformat())
    assert LeaveBalance.objects.filter(employee=emp).count() == 1
    ask(world, leave_type="annual", start_date="2025-03-03", end_date="2025-03-04")
    row = {b.leave_type: b for b in selectors.balances(emp, 2025)}["annual"]
    assert (row.entitled, row.pending, row.available) == (expected, Decimal(2), expected - 2)


@pytest.mark.parametrize(("work_start", "days"), [
    (dt.date(2020, 1, 1), 5),  # 5 years of cumulative work in 2025: ≥1 and <10 → 5 days
    (dt.date(2010, 1, 1), 10),  # 15 years: ≥10 and <20 → 10 days
    (dt.date(2000, 1, 1), 15),  # 25 years: ≥20 → 15 days
])
def test_annual_leave_tiers_5_10_15(world, work_start, days):
    """Regulation on Paid Annual Leave Art. 3, computed by hrguard.law.leave from cumulative years."""
    emp = world.employees["east_rep"]
    emp.work_start_date = work_start
    emp.save(update_fields=["work_start_date"])
    row = {b.leave_type: b for b in selectors.balances(emp, 2025)}["annual"]
    assert row.entitled == Decimal(days) and "3" in row.basis


def test_balance_shows_one_form_whatever_the_stored_scale() -> None:
    from hrguard.leave.selectors import BalanceRow

    def left(entitled: str, approved: str) -> str:
        row = BalanceRow(leave_type="annual", label="年休假", year=2026, entitled=Decimal(entitled),
                         adjustment=Decimal("0.0"), approved=Decimal(approved), pending=Decimal(0), basis="")
        return str(row.available)

    # A balance just created reads "10", the same one read back from the database "10.0": both show "10".
    assert left("10", "0") == left("10.0", "0.00") == "10"
    assert left("10.0", "0.50") == "9.5"
    assert left("5", "7.5") == "-2.5"
