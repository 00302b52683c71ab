"""``hrguard sweep`` reports what happened to each due message — delivered, accepted by the provider, to be
retried, failed, outcome unknown — never attempts as deliveries."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from hrguard.notify import delivery
from hrguard.notify.adapters import configure
from hrguard.notify.models import MessageState, OutboxMessage

from .fakes import SmtpServer

pytestmark = pytest.mark.django_db


def _row(company: Any, key: str, channel: str, address: str, **extra: Any) -> OutboxMessage:
    return OutboxMessage.objects.create(company=company, idempotency_key=key, channel=channel, address=address,
                                        subject="s", body="b", **extra)


def test_sweep_reports_outcomes_not_attempts(world: Any, other_world: Any, smtp: SmtpServer) -> None:
    configure(world.company, "email", {"host": "127.0.0.1", "port": smtp.port, "from_address": "hr@acme.test"})
    configure(other_world.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@globex.test"})
    _row(world.company, "inbox", "inapp", str(world.users["hr"].pk), user=world.users["hr"])
    _row(world.company, "mail", "email", "a@acme.test")
    _row(world.company, "bounce", "email", "nobody@bounce.test")  # 550: refused for good
    _row(other_world.company, "down", "email", "b@globex.test")  # connection refused: retried later
    _row(world.company, "stuck", "email", "c@acme.test", state=MessageState.SENDING,
         claimed_at=timezone.now() - delivery.STUCK_AFTER - dt.timedelta(minutes=1), attempts=1)
    out = io.StringIO()
    call_command("sweep", stdout=out)
    text = out.getvalue()
    assert ("Notifications: 1 delivered, 1 accepted by the provider (delivery not confirmed), 1 failed and to be "
            "retried, 1 failed, 0 outcome unknown") in text, text
    assert "1 earlier send(s) marked outcome-unknown" in text and "/notify/problems/" in text
    assert smtp.wait_for(1) and smtp.count() == 1
    states = dict(OutboxMessage.objects.values_list("idempotency_key", "state"))
    assert states == {"inbox": "delivered", "mail": "sent", "bounce": "failed", "down": "queued", "stuck": "unknown"}
    again = io.StringIO()
    call_command("sweep", stdout=again)  # nothing due (the retry waits for its back-off): nothing claimed
    assert "0 delivered, 0 accepted by the provider (delivery not confirmed), 0 failed and to be retried, " \
           "0 failed, 0 outcome unknown" in again.getvalue()
    assert "problems" not in again.getvalue()


def test_report_counts_each_outcome() -> None:
    report = delivery.DeliveryReport()
    for state in ("delivered", "sent", "sent", "queued", "failed", "unknown", None):
        report.count(state)
    assert (report.delivered, report.sent, report.retrying, report.failed, report.unknown, report.skipped) == (
        1, 2, 1, 1, 1, 1)
    assert report.attempted == 6
