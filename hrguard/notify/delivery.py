"""Delivering outbox messages: at most once per (message, channel), never silently lost.

1. Claim: in its own transaction, a QUEUED message that is due becomes SENDING with attempts+1.
2. Send through the channel adapter, outside any transaction, with the message's idempotency key.
3. Record the outcome (SENT / DELIVERED, or back to QUEUED with backoff for a transient error, or FAILED)
   together with an evidence event.
A worker that dies between 1 and 3 leaves the message SENDING; ``reap_stuck`` later marks it UNKNOWN for
HR to check instead of sending it again — so a retry never sends a second SMS, and nothing disappears."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from hrguard.evidence import services as evidence

from .adapters import ChannelNotConfigured, build_channel
from .channels import OutgoingMessage, PermanentDeliveryError, TransientDeliveryError
from .models import Channel, MessageState, OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
STUCK_AFTER = dt.timedelta(minutes=15)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def _claim(msg_id: int, now: dt.datetime) -> OutboxMessage | None:
    with transaction.atomic():
        msg = OutboxMessage.objects.select_for_update().filter(pk=msg_id).first()
        if msg is None or msg.state != MessageState.QUEUED:
            return None
        if msg.next_attempt_at and msg.next_attempt_at > now:
            return None
        msg.state = MessageState.SENDING
        msg.attempts += 1
        msg.next_attempt_at = now
        msg.save(update_fields=["state", "attempts", "next_attempt_at"])
        return msg


def _finish(msg: OutboxMessage, state: str, action: str, data: dict[str, object], **fields: object) -> None:
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=msg.pk).update(state=state, **fields)
        evidence.record(
            msg.company_id, None, action, evidence.Subject("notify.outboxmessage", str(msg.pk)),
            {"channel": msg.channel, "key": msg.idempotency_key, "purpose": msg.purpose, "attempt": msg.attempts,
             "about": f"{msg.about_type}:{msg.about_id}", **data},
            employee=msg.employee_id,
        )


def deliver(msg_id: int, now: dt.datetime | None = None) -> str | None:
    """Try to deliver one message; returns its new state (None if it was not due/claimable)."""
    now = now or timezone.now()
    msg = _claim(msg_id, now)
    if msg is None:
        return None
    if msg.channel == Channel.INAPP:
        _finish(msg, MessageState.DELIVERED, "notify.delivered", {}, sent_at=now, delivered_at=now)
        return MessageState.DELIVERED
    try:
        adapter = build_channel(msg.company_id, msg.channel)
        receipt = adapter.send(
            OutgoingMessage(
                idempotency_key=f"{msg.idempotency_key}:{msg.channel}", recipient=msg.address,
                subject=msg.subject, text=msg.body, link=msg.link,
            )
        )
    except (TransientDeliveryError, OSError) as exc:
        if msg.attempts >= MAX_ATTEMPTS:
            _finish(msg, MessageState.FAILED, "notify.failed", {"error": str(exc)[:300]}, last_error=str(exc)[:2000])
            return MessageState.FAILED
        _finish(
            msg, MessageState.QUEUED, "notify.retry_scheduled", {"error": str(exc)[:300]},
            last_error=str(exc)[:2000], next_attempt_at=now + _backoff(msg.attempts),
        )
        return MessageState.QUEUED
    except (PermanentDeliveryError, ChannelNotConfigured) as exc:
        _finish(msg, MessageState.FAILED, "notify.failed", {"error": str(exc)[:300]}, last_error=str(exc)[:2000])
        return MessageState.FAILED
    _finish(
        msg, MessageState.SENT, "notify.sent",
        {"provider_id": receipt.provider_message_id, "accepted": receipt.accepted},
        sent_at=now, provider_id=receipt.provider_message_id or "",
    )
    return MessageState.SENT


def due_ids(now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(state=MessageState.QUEUED)
        .exclude(next_attempt_at__gt=now)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def reap_stuck(now: dt.datetime | None = None) -> int:
    """Messages left SENDING by a dead worker: outcome unknown; shown to HR, never re-sent blindly."""
    now = now or timezone.now()
    stuck = list(
        OutboxMessage.objects.filter(state=MessageState.SENDING, next_attempt_at__lt=now - STUCK_AFTER)
    )
    for msg in stuck:
        _finish(msg, MessageState.UNKNOWN, "notify.outcome_unknown", {}, last_error="worker stopped while sending")
    return len(stuck)


def mark_read(msg: OutboxMessage, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if msg.read_at is None:
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=msg.pk, read_at__isnull=True).update(read_at=now)
            evidence.record(
                msg.company_id, msg.user, "notify.read", evidence.Subject("notify.outboxmessage", str(msg.pk)),
                {"channel": msg.channel, "purpose": msg.purpose}, employee=msg.employee_id,
            )
