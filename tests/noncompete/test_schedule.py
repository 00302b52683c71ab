"""The monthly schedule: payments, the durable reminders, 3 unpaid months (SPC (I) Art. 38) on 工作台, the
employer's release (SPC (I) Art. 39), findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

D = Decimal


def data_of(event: Any) -> dict[str, Any]:
    import json

    return json.loads(event.record)["data"]


def _sweep(day: dt.date) -> None:
    from hrguard.deadlines import services as deadlines

    deadlines.sweep(now=dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone()))


def _pay(world: Any, month: Any, who: str = "finance") -> Any:
    from hrguard.noncompete import services

    return services.record_payment(actor=world.users[who], month_id=month.pk, paid_on=timezone.localdate(),
                                   amount=str(month.amount))


def test_three_unpaid_months_warn_hr_with_the_cancel_flag(world, started):
    from hrguard.noncompete import selectors
    from hrguard.workbench.selectors import workbench_for

    today = timezone.localdate()
    d = selectors.agreement_detail(world.users["hr"], started.pk, today=today)
    assert len(d.unpaid) == 3 and d.employee_may_cancel
    items = workbench_for(world.users["hr"], today=today).alerts["noncompete"]
    assert [i.kind for i in items] == ["noncompete_unpaid"]
    assert "3" in items[0].title and items[0].badge == "可解除"
    _pay(world, d.unpaid[0])
    d = selectors.agreement_detail(world.users["hr"], started.pk, today=today)
    assert len(d.unpaid) == 2 and not d.employee_may_cancel
    item = workbench_for(world.users["hr"], today=today).alerts["noncompete"][0]
    assert "2" in item.title and item.badge != "可解除"
    assert "noncompete" not in workbench_for(world.users["employee"], today=today).alerts


def test_the_overdue_deadline_warns_payers_and_records_the_count(world, started):
    from hrguard.evidence.models import EvidenceEvent
    from hrguard.notify.models import OutboxMessage

    _sweep(timezone.localdate())
    ev = EvidenceEvent.objects.filter(action="noncompete.payment_overdue").order_by("-id")
    assert ev.count() == 3
    assert max(data_of(e)["unpaid_months"] for e in ev) == 3 and any(data_of(e)["employee_may_cancel"] for e in ev)
    to = set(OutboxMessage.objects.filter(purpose="noncompete.payment").values_list("user_id", flat=True))
    assert world.users["finance"].pk in to and world.users["hr"].pk in to


def test_payment_cancels_its_reminders_and_is_evidence(world, started):
    from hrguard.deadlines.models import Deadline
    from hrguard.evidence.models import EvidenceEvent

    month = started.months.get(seq=4)  # due in the future
    _pay(world, month, "hr")
    month.refresh_from_db()
    assert month.state == "paid" and month.paid_amount == month.amount
    states = dict(Deadline.objects.filter(key__startswith=f"noncompete:{started.pk}:m4:").values_list("key", "state"))
    assert states[f"noncompete:{started.pk}:m4:remind"] == "cancelled"
    assert states[f"noncompete:{started.pk}:m4:proof"] == "pending"
    assert [data_of(e)["month"] for e in EvidenceEvent.objects.filter(action="noncompete.payment_recorded")] == [4]


def test_partial_payment_stays_unpaid(world, started):
    from hrguard.noncompete import services

    month = started.months.get(seq=1)
    services.record_payment(actor=world.users["finance"], month_id=month.pk, paid_on=timezone.localdate(),
                            amount="100")
    month.refresh_from_db()
    assert month.state == "due" and month.paid_amount == D(100)


@pytest.mark.parametrize("paid_on,amount,field", [(None, "100", "paid_on"), ("future", "100", "paid_on"),
                                                  ("today", "x", "amount"), ("today", "-5", "amount")])
def test_bad_payment_input(world, started, paid_on, amount, field):
    from hrguard.noncompete import services

    day = {"today": timezone.localdate(), "future": timezone.localdate() + dt.timedelta(days=3)}.get(paid_on)
    with pytest.raises(ValidationError) as exc:
        services.record_payment(actor=world.users["finance"], month_id=started.months.get(seq=1).pk,
                                paid_on=day, amount=amount)
    assert field in exc.value.message_dict


def test_others_may_not_record_payments(world, other_world, started):
    from django.http import Http404

    from hrguard.noncompete import services

    month = started.months.get(seq=1)
    for user in (world.users["employee"], world.users["legal"], world.users["manager"]):
        with pytest.raises(PermissionDenied):
            services.record_payment(actor=user, month_id=month.pk, paid_on=timezone.localdate(), amount="1")
    with pytest.raises(Http404):
        services.record_payment(actor=other_world.users["hr"], month_id=month.pk, paid_on=timezone.localdate(),
                                amount="1")


def test_release_mid_term_owes_three_months_cancels_later_months_and_sends_the_notice(world, started):
    from hrguard.deadlines.models import Deadline
    from hrguard.documents.models import SigningRequest
    from hrguard.noncompete import actions

    today = timezone.localdate()
    a = actions.release(actor=world.users["hr"], agreement_id=started.pk, released_on=today, reason="业务调整",
                        channels=["email"])
    assert a.state == "released" and a.release_payment == D("10800.00")  # 3 × 3,600
    months = list(a.months.order_by("seq"))
    assert [m.state for m in months[:4]] == ["due"] * 4  # months already begun stay owed
    assert all(m.state == "cancelled" for m in months[4:])
    pending = Deadline.objects.filter(key__startswith=f"noncompete:{a.pk}:m5:", state="pending")
    assert not pending.exists()
    assert not Deadline.objects.filter(key=f"noncompete:{a.pk}:end", state="pending").exists()
    req = SigningRequest.objects.get(pk=a.release_request_id)
    assert req.company_id == world.company.pk and "解除竞业限制" in req.title
    with pytest.raises(ValidationError):
        actions.release(actor=world.users["hr"], agreement_id=a.pk, released_on=today, reason="x",
                        channels=["email"])


def test_release_before_the_term_starts_owes_nothing_extra(world, started):
    from hrguard.noncompete import actions

    started.start_date = timezone.localdate() + dt.timedelta(days=10)
    assert actions.release_payment(started, timezone.localdate()) == D("0.00")


def test_release_only_by_hr_and_not_in_the_past(world, started):
    from hrguard.noncompete import actions

    with pytest.raises(PermissionDenied):
        actions.release(actor=world.users["finance"], agreement_id=started.pk, released_on=timezone.localdate(),
                        reason="x", channels=["email"])
    with pytest.raises(ValidationError) as exc:
        actions.release(actor=world.users["hr"], agreement_id=started.pk,
                        released_on=timezone.localdate() - dt.timedelta(days=1), reason="x", channels=["email"])
    assert "released_on" in exc.value.message_dict


def test_findings_are_a_breach_record_with_a_hashed_attachment(world, started):
    import hashlib

    from hrguard.evidence.models import EvidenceEvent
    from hrguard.noncompete import actions

    started.liquidated_damages = D(50000)
    started.save()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    f = actions.record_finding(actor=world.users["hr"], agreement_id=started.pk, found_on=timezone.localdate(),
                               employer="乙证券公司", source="社保缴费记录", attachment=("record.pdf", pdf))
    assert f.sha256 == hashlib.sha256(pdf).hexdigest()
    ev = EvidenceEvent.objects.get(action="noncompete.finding_recorded")
    assert data_of(ev)["attachment_sha256"] == f.sha256 and data_of(ev)["liquidated_damages"] == "50000.00"
    with pytest.raises(ValidationError) as exc:
        actions.record_finding(actor=world.users["hr"], agreement_id=started.pk, found_on=timezone.localdate(),
                               employer="x", source="y", attachment=("a.pdf", b"<html><script>"))
    assert "attachment" in exc.value.message_dict
