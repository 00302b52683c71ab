"""Trips, expense claims (receipts, amounts), two-step approval, advances and loans outstanding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.expenses import selectors, services
from hrguard.expenses.models import Advance, ExpenseClaim, Trip
from hrguard.records.models import Attachment
from tests.records.conftest import evidence_count

pytestmark = pytest.mark.django_db
RECEIPT = ("发票.jpg", b"\xff\xd8\xff receipt")


def claim(world, user="employee", **over):
    data = {"category": "lodging", "spent_on": "2025-03-04", "amount": "1,280.50", "description": "上海住宿两晚"}
    data.update(over)
    uploads = data.pop("uploads", [RECEIPT])
    return services.submit_claim(world.users[user], world.employees["east_rep"], data, uploads)


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [("-100", "negative"), ("12.345", "two decimals"), ("1.2.3", "valid amount"), ("abc", "valid amount"),
     ("0", "greater than zero"), ("", "required")],
)
def test_bad_amounts_are_refused_with_a_clear_message(world, amount, fragment):
    before = (evidence_count(world.company), ExpenseClaim.objects.count(), Attachment.objects.count())
    with pytest.raises(ValidationError) as err:
        claim(world, amount=amount)
    message = " ".join(err.value.message_dict["amount"])
    assert fragment in message
    assert (evidence_count(world.company), ExpenseClaim.objects.count(), Attachment.objects.count()) == before


def test_claim_needs_a_receipt_and_valid_fields(world):
    with pytest.raises(ValidationError) as err:
        claim(world, uploads=[], category="yacht", spent_on="2999-01-01", description="")
    assert set(err.value.message_dict) == {"files", "category", "spent_on", "description"}
    assert ExpenseClaim.objects.count() == 0


def test_two_step_approval_of_a_claim(world):
    c = claim(world)
    assert c.amount == Decimal("1280.50")
    with pytest.raises(PermissionDenied):  # finance cannot skip the manager
        services.decide(world.users["finance"], c, True)
    with pytest.raises(PermissionDenied):  # the employee cannot approve their own
        services.decide(world.users["employee"], c, True)
    c = services.decide(world.users["manager"], c, True)
    assert c.status == "submitted"  # the manager's step is done; the process waits at finance
    progress = selectors.progress_of([c])[0].progress
    assert progress.step_names == ["财务审核"] and progress.decided_by == "王经理"
    with pytest.raises(PermissionDenied):
        services.decide(world.users["manager"], c, True)
    with pytest.raises(ValidationError) as err:
        services.decide(world.users["finance"], c, False, "")
    assert "decision_note" in err.value.message_dict
    c = services.decide(world.users["finance"], c, True)
    assert c.status == "approved"
    with pytest.raises(ValidationError):
        services.decide(world.users["finance"], c, True)


def test_trip_with_advance_creates_an_outstanding_advance_then_repaid(world):
    trip = services.submit_trip(world.users["employee"], world.employees["east_rep"], {
        "start_date": "2025-03-03", "end_date": "2025-03-05", "destination": "上海", "purpose": "拜访客户",
        "advance_requested": "3000",
    })
    services.decide(world.users["manager"], trip, True)
    services.decide(world.users["finance"], Trip.objects.get(pk=trip.pk), True)
    advance = Advance.objects.get(trip=trip)
    emp = world.employees["east_rep"]
    assert selectors.outstanding_for_employee(emp) == Decimal("3000.00")
    loan = services.issue_advance(world.users["finance"], emp, {
        "kind": "loan", "amount": "5000", "issued_on": "2025-02-01", "due_on": "2025-12-31", "purpose": "应急借款",
    })
    overview = {r["employee__employee_no"]: r for r in selectors.outstanding_by_employee(world.users["finance"])}
    assert overview["S002"]["outstanding"] == Decimal("8000.00")
    assert (overview["S002"]["advances"], overview["S002"]["loans"]) == (Decimal("3000.00"), Decimal("5000.00"))
    with pytest.raises(ValidationError) as err:
        services.repay(world.users["finance"], loan, {"amount": "6000", "paid_on": "2025-03-10"})
    assert "amount" in err.value.message_dict
    approved = claim(world)
    services.decide(world.users["manager"], approved, True)
    services.decide(world.users["finance"], ExpenseClaim.objects.get(pk=approved.pk), True)
    services.repay(world.users["finance"], advance, {"amount": "1280.50", "paid_on": "2025-03-10",
                                                     "claim": approved.pk, "note": "报销冲账"})
    services.repay(world.users["finance"], loan, {"amount": "5000", "paid_on": "2025-03-10"})
    assert selectors.outstanding_for_employee(emp) == Decimal("1719.50")


def test_trip_dates_and_permissions(world, other_world):
    with pytest.raises(ValidationError) as err:
        services.submit_trip(world.users["employee"], world.employees["east_rep"], {
            "start_date": "2025-03-05", "end_date": "2025-03-01", "destination": "", "purpose": "x",
            "advance_requested": "-1",
        })
    assert set(err.value.message_dict) == {"end_date", "destination", "advance_requested"}
    with pytest.raises(PermissionDenied):  # nobody submits for someone else
        services.submit_trip(world.users["manager"], world.employees["east_rep"], {})
    with pytest.raises(PermissionDenied):
        services.issue_advance(world.users["hr"], world.employees["east_rep"], {})
    with pytest.raises(PermissionDenied):
        services.issue_advance(other_world.users["finance"], world.employees["east_rep"], {})


def test_visibility_of_expenses(world, other_world):
    c = claim(world)
    seen = {k: list(selectors.claims(world.users[k])) for k in
            ("employee", "manager", "finance", "hr", "engineer", "legal", "hrbp")}
    assert seen["employee"] == seen["manager"] == seen["finance"] == seen["hr"] == [c]
    assert seen["engineer"] == seen["legal"] == seen["hrbp"] == []
    assert not selectors.claims(other_world.users["finance"]).exists()
    assert [r.pk for r in selectors.awaiting(world.users["manager"], ExpenseClaim)] == [c.pk]
    assert selectors.awaiting(world.users["finance"], ExpenseClaim) == []


def test_admin_approves_for_an_employee_without_a_line_manager(world):
    boss = world.employees["sales_manager"]
    c = services.submit_claim(world.users["manager"], boss, {
        "category": "client", "spent_on": "2025-03-04", "amount": "300", "description": "客户招待"}, [RECEIPT])
    assert [r.pk for r in selectors.awaiting(world.users["admin"], ExpenseClaim)] == [c.pk]
    assert services.decide(world.users["admin"], c, True).status == "submitted"  # now at finance
    assert [r.pk for r in selectors.awaiting(world.users["finance"], ExpenseClaim)] == [c.pk]
    other = claim(world)  # has a line manager: the admin does not step in
    with pytest.raises(PermissionDenied):
        services.decide(world.users["admin"], other, True)


def test_outstanding_for_lists_what_exit_clearance_must_settle(world, other_world):
    from hrguard.expenses.selectors import outstanding_for

    emp = world.employees["east_rep"]
    assert outstanding_for(emp).clear and outstanding_for(emp).reasons() == []
    finance = world.users["finance"]
    advance = services.issue_advance(finance, emp, {
        "kind": "advance", "amount": "2000", "issued_on": "2025-02-01", "purpose": "备用金"})
    services.issue_advance(finance, emp, {
        "kind": "loan", "amount": "5000", "issued_on": "2025-02-03", "purpose": "应急借款"})
    services.repay(finance, advance, {"amount": "500", "paid_on": "2025-03-01"})
    pending = claim(world)  # submitted, not yet decided
    # Another company's employee of the same number changes nothing.
    services.issue_advance(other_world.users["finance"], other_world.employees["east_rep"], {
        "kind": "loan", "amount": "9999", "issued_on": "2025-02-01", "purpose": "别的公司"})
    result = outstanding_for(emp)
    assert (result.advances, result.loans, result.total) == (Decimal("1500.00"), Decimal("5000.00"),
                                                             Decimal("6500.00"))
    assert [i.purpose for i in result.items] == ["备用金", "应急借款"]
    assert (result.pending_claims, result.pending_claims_amount) == (1, Decimal("1280.50"))
    assert not result.clear and len(result.reasons()) == 3
    services.cancel(world.users["employee"], pending)
    for item in result.items:
        services.repay(finance, Advance.objects.get(pk=item.id), {"amount": str(item.outstanding),
                                                                  "paid_on": "2025-03-02"})
    assert outstanding_for(emp).clear
