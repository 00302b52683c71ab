"""Webhooks end to end against a real local HTTP server: signed, retried with the same delivery id, timed
out, never to a disabled endpoint nor to another company's."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone

from hrguard.integrations import delivery, services
from hrguard.integrations.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The verification code of docs/webhooks.md, verbatim."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


def test_exit_completed_reaches_the_endpoint_signed(world, receiver, endpoint, complete):
    issued = endpoint(events=("exit.completed",))
    ex = complete()
    assert len(receiver.requests) == 1
    req = receiver.requests[0]
    assert verify(issued.secret, req.headers["x-hrguard-signature"], req.body)
    assert not verify("whsec_wrong", req.headers["x-hrguard-signature"], req.body)
    assert not verify(issued.secret, req.headers["x-hrguard-signature"], req.body + b" ")
    doc = json.loads(req.body)
    assert req.headers["x-hrguard-event"] == "exit.completed" == doc["type"]
    assert doc["version"] == 1 and doc["company_id"] == world.company.pk and doc["id"].startswith("evt_")
    assert doc["occurred_at"]
    data = doc["data"]
    assert data["exit"]["id"] == ex.pk and data["exit"]["last_day"] == ex.last_day.isoformat()
    assert data["employee"]["name"] == "张测试" and data["employee"]["id_number"] is None
    pay = data["payroll"]["final_pay"]
    assert pay["last_day"] == ex.last_day.isoformat()
    assert pay["last_month"]["workdays_worked"] > 0
    assert pay["economic_compensation"]["due"] is False  # a resignation (Art. 37) owes none
    assert data["social_insurance"]["reduction"]["name"] == "张测试"
    systems = [a["system"] for a in data["oa"]["accounts_to_disable"]]
    assert systems and systems == [i.name for i in ex.items.filter(kind="access").order_by("id")]
    d = WebhookDelivery.objects.get()
    assert d.state == "succeeded" and d.last_status == 200 and req.headers["x-hrguard-delivery"] == d.delivery_id
    from hrguard.evidence.models import EvidenceEvent

    actions = set(EvidenceEvent.objects.filter(subject_type="integrations.webhookdelivery").values_list("action",
                                                                                                        flat=True))
    assert {"integrations.delivery_queued", "integrations.delivery_succeeded"} <= actions


def _later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_500_is_retried_after_backoff_with_the_same_delivery_id(world, receiver, endpoint, complete):
    issued = endpoint()
    receiver.statuses = [500]
    receiver.answer = b"internal error " * 500
    complete()
    d = WebhookDelivery.objects.get()
    assert d.state == "queued" and d.attempts == 1 and d.last_status == 500
    assert d.last_response.startswith("internal error") and len(d.last_response) <= delivery.RESPONSE_LIMIT
    assert d.next_attempt_at is not None
    assert delivery.deliver(d.pk) is None  # not due yet: the back-off holds
    assert delivery.deliver_due(_later(2)) == {"succeeded": 1}
    d.refresh_from_db()
    assert d.state == "succeeded" and d.attempts == 2 and d.last_status == 200
    first, second = receiver.requests
    assert first.headers["x-hrguard-delivery"] == second.headers["x-hrguard-delivery"] == d.delivery_id
    assert first.body == second.body
    assert verify(issued.secret, second.headers["x-hrguard-signature"], second.body)
    from hrguard.evidence.models import EvidenceEvent

    retry = EvidenceEvent.objects.get(action="integrations.delivery_retry")
    assert retry.subject_id == str(d.pk)


def test_backoff_schedule_then_failed_and_resend(world, receiver, endpoint, complete, client_for,
                                                  django_capture_on_commit_callbacks):
    endpoint()
    receiver.statuses = [503] * 6
    complete()
    d = WebhookDelivery.objects.get()
    waits, previous = [], timezone.now()
    for _attempt in range(5):
        d.refresh_from_db()
        assert d.state == "queued"
        waits.append(round((d.next_attempt_at - previous).total_seconds() / 60))
        previous = d.next_attempt_at
        delivery.deliver(d.pk, now=previous)
    d.refresh_from_db()
    assert waits == [1, 5, 30, 120, 720]
    assert d.state == "failed" and d.attempts == 6 and d.last_status == 503
    assert len(receiver.requests) == 6
    # The administrator sees it among the problems and sends it again: same delivery id.
    admin = client_for(world.users["admin"])
    page = admin.get("/settings/webhooks/deliveries/?state=problems").content.decode()
    assert d.delivery_id in page and "重新发送" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = admin.post(f"/settings/webhooks/deliveries/{d.pk}/resend/")
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.state == "succeeded" and receiver.requests[-1].headers["x-hrguard-delivery"] == d.delivery_id


def test_timeout_is_recorded_and_retried(world, receiver, endpoint, complete, settings):
    settings.HRGUARD_WEBHOOKS_TIMEOUT = 0.3
    endpoint()
    receiver.delay = 1.5
    complete()
    d = WebhookDelivery.objects.get()
    assert d.state == "queued" and d.last_error == "timeout" and d.last_status is None
    receiver.delay = 0
    delivery.deliver(d.pk, now=_later(2))
    d.refresh_from_db()
    assert d.state == "succeeded"


def test_a_disabled_endpoint_gets_nothing(world, receiver, endpoint, complete, django_capture_on_commit_callbacks):
    off = endpoint(active=False)
    complete()
    assert receiver.requests == [] and not WebhookDelivery.objects.filter(endpoint=off.endpoint).exists()


def test_disabled_after_queueing_is_not_sent(world, receiver, endpoint, complete):
    issued = endpoint()
    receiver.statuses = [500]
    complete()
    services.set_active(actor=world.users["admin"], endpoint_id=issued.endpoint.pk, active=False)
    d = WebhookDelivery.objects.get()
    assert delivery.deliver(d.pk, now=_later(2)) == "cancelled"
    assert len(receiver.requests) == 1


def test_another_company_never_gets_the_event(world, other_world, receiver, endpoint, complete):
    theirs = endpoint(user=other_world.users["admin"])
    mine = endpoint()
    complete()
    assert len(receiver.requests) == 1
    assert not WebhookDelivery.objects.filter(endpoint=theirs.endpoint).exists()
    assert WebhookDelivery.objects.get().endpoint == mine.endpoint


def test_events_subscribed_only_and_id_number_when_allowed(world, receiver, endpoint, complete):
    endpoint(events=("exit.started", "employment.ended"), include_id_number=True)
    complete()
    types = [json.loads(r.body)["type"] for r in receiver.requests]
    assert types == ["exit.started", "employment.ended"]
    ended = json.loads(receiver.requests[1].body)
    assert ended["data"]["employee"]["id_number"] == world.employees["east_rep"].id_number
    assert ended["data"]["social_insurance"]["reduction"]["id_number"] == world.employees["east_rep"].id_number
    assert all(d.id_number_included for d in WebhookDelivery.objects.all())


def test_compensation_figure_when_the_ground_owes_it(world, receiver, endpoint, complete):
    from hrguard.calculators.models import WageMonth

    endpoint()
    emp = world.employees["east_rep"]
    for year, month in [(2025, m) for m in range(11, 13)] + [(2026, m) for m in range(1, 13)]:
        WageMonth.objects.create(company=world.company, employee=emp, year=year, month=month, amount=10000)
    complete(kind="mutual", ground="art36_employer")
    comp = json.loads(receiver.requests[0].body)["data"]["payroll"]["final_pay"]["economic_compensation"]
    assert comp["due"] is True and comp["kind"] == "N" and comp["monthly_wage"] == "10000.00"
    assert comp["amount"] is not None and float(comp["amount"]) > 0


def test_the_record_becomes_a_former_employee_with_the_retention_clock(world, receiver, endpoint, complete):
    from hrguard.law import retention

    ex = complete()
    emp = world.employees["east_rep"]
    emp.refresh_from_db()
    assert emp.status == "left" and emp.termination_date == ex.last_day
    assert ex.retention_until == retention.keep_until(retention.TERMINATED_CONTRACT, ex.last_day)
    assert ex.retention_until.year == ex.last_day.year + 2


def test_a_payload_bug_never_undoes_the_end_of_the_employment(world, receiver, endpoint, start, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    from hrguard.integrations import payloads
    from tests.integrations.conftest import sweep_after

    endpoint(events=("employment.ended",))
    ex = start(ground="art37")

    def broken(event_type, exit_):
        raise RuntimeError("payload bug")

    monkeypatch.setattr(payloads, "data_for", broken)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_after(ex.last_day)
    emp = world.employees["east_rep"]
    emp.refresh_from_db()
    assert emp.status == "left" and emp.termination_date == ex.last_day
    assert not WebhookDelivery.objects.exists() and receiver.requests == []
    from hrguard.evidence.models import EvidenceEvent

    assert EvidenceEvent.objects.filter(action="integrations.event_not_queued", subject_id=str(ex.pk)).exists()
