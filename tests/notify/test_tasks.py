"""Huey tasks (immediate mode in tests): thin periodic tasks that find work and hand it on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from hrguard.notify import delivery, services, tasks
from hrguard.notify.models import MessageState, OutboxMessage

from .fakes import SmtpServer

pytestmark = pytest.mark.django_db(transaction=True)


def test_deliver_due_picks_up_rows_whose_handoff_was_lost(world: Any, smtp: SmtpServer, email_channel: Any) -> None:
    # A row written without the on-commit hand-off (e.g. the process died right after commit).
    msg = OutboxMessage.objects.create(
        company=world.company, idempotency_key="lost", channel="email", address="a@acme.test", subject="s", body="b"
    )
    assert tasks.deliver_due.call_local() == 1
    assert smtp.wait_for(1)
    msg.refresh_from_db()
    assert msg.state == MessageState.SENT
    assert tasks.deliver_due.call_local() == 0
    assert smtp.count() == 1


def test_reap_task_marks_old_sending_rows_unknown(world: Any) -> None:
    old = timezone.now() - delivery.STUCK_AFTER - dt.timedelta(minutes=1)
    OutboxMessage.objects.create(
        company=world.company, idempotency_key="stuck", channel="email", address="a@acme.test", subject="s",
        body="b", state=MessageState.SENDING, claimed_at=old, attempts=1,
    )
    fresh = OutboxMessage.objects.create(
        company=world.company, idempotency_key="fresh", channel="email", address="a@acme.test", subject="s",
        body="b", state=MessageState.SENDING, claimed_at=timezone.now(), attempts=1,
    )
    assert tasks.reap_stuck.call_local() == 1
    assert OutboxMessage.objects.get(idempotency_key="stuck").state == MessageState.UNKNOWN
    fresh.refresh_from_db()
    assert fresh.state == MessageState.SENDING


def test_send_now_delivers_synchronously_and_once(world: Any, smtp: SmtpServer, email_channel: Any) -> None:
    msg = services.send_now(
        world.company, recipient=world.employees["east_rep"], channel="email", subject="验证码 123456",
        body="5分钟内有效", idempotency_key="otp:1", purpose="otp",
    )
    assert msg.state == MessageState.SENT
    again = services.send_now(
        world.company, recipient=world.employees["east_rep"], channel="email", subject="验证码 123456",
        body="5分钟内有效", idempotency_key="otp:1", purpose="otp",
    )
    assert again.pk == msg.pk
    assert smtp.wait_for(1) and smtp.count() == 1


def test_enqueue_rolled_back_with_the_business_change(world: Any, smtp: SmtpServer, email_channel: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue(
            world.company, recipient=world.employees["east_rep"], channels=["email"], subject="s", body="b",
            idempotency_key="rolled-back",
        )
        raise RuntimeError("the business change failed")
    assert not OutboxMessage.objects.filter(idempotency_key="rolled-back").exists()
    assert tasks.deliver_due.call_local() == 0
    assert smtp.count() == 0
