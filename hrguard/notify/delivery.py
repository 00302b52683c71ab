"""Delivering outbox messages: at most once per (message, channel), never silently lost.

1. Claim: one conditional UPDATE turns a due QUEUED row into SENDING (attempts+1, claimed_at=now). Only
   one worker's UPDATE matches, on SQLite and PostgreSQL alike, so two workers never both send.
2. Send through the channel adapter, outside any transaction, with the message's idempotency key
   (email Message-ID, Feishu uuid, Aliyun OutId, WeChat Work duplicate check).
3. Finish: SENT with the provider's message id (in-app: DELIVERED), or back to QUEUED with exponential
   backoff after a transient error, or FAILED — each with an evidence event in the same transaction.

A worker that dies between 1 and 3 leaves the row SENDING. ``reap_stuck`` marks rows SENDING for longer
than ``STUCK_AFTER`` as UNKNOWN: the provider may or may not have the message, so it is shown to HR to
decide (``services.decide_unknown``) instead of being sent a second time."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence

from .adapters import ChannelNotConfigured, build_channel
from .channels import OutgoingMessage, PermanentDeliveryError, Receipt, TransientDeliveryError
from .models import Channel, MessageState, OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
STUCK_AFTER = dt.timedelta(minutes=15)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at one hour."""
    return dt.timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def _claim(msg_id: int, now: dt.datetime) -> OutboxMessage | None:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    with transaction.atomic():
        won = OutboxMessage.objects.filter(due, pk=msg_id, state=MessageState.QUEUED).update(
            state=MessageState.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    if not won:
        return None
    return OutboxMessage.objects.get(pk=msg_id)


def _finish(msg: OutboxMessage, state: str, action: str, data: dict[str, object], *, reaping: bool = False,
            **fields: object) -> None:
    """Record the outcome. A worker's late answer still lands if the reaper already said UNKNOWN (the
    provider's answer is better than a guess); the reaper itself only touches rows still SENDING."""
    from_states = [MessageState.SENDING] if reaping else [MessageState.SENDING, MessageState.UNKNOWN]
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=msg.pk, state__in=from_states).update(state=state, **fields)
        evidence.record(
            msg.company_id, None, action, evidence.Subject("notify.outboxmessage", str(msg.pk)),
            {"channel": msg.channel, "key": msg.idempotency_key, "purpose": msg.purpose, "attempt": msg.attempts,
             "about": f"{msg.about_type}:{msg.about_id}", **data},
            employee=msg.employee_id,
        )


def _outgoing(msg: OutboxMessage) -> OutgoingMessage:
    return OutgoingMessage(
        idempotency_key=f"{msg.idempotency_key}:{msg.channel}", recipient=msg.address, subject=msg.subject,
        text=msg.body, link=msg.link, purpose=msg.purpose,
    )


def deliver(msg_id: int, now: dt.datetime | None = None) -> str | None:
    """Try to deliver one message; returns its new state (None if it was not due or someone else has it)."""
    now = now or timezone.now()
    msg = _claim(msg_id, now)
    if msg is None:
        return None
    if not msg.address:  # e.g. the person's account or address was removed after enqueueing
        _finish(msg, MessageState.FAILED, "notify.failed", {"error": "no address", "code": "no_address"},
                last_error=_("No address to deliver to: the recipient cannot be reached on this channel."),
                claimed_at=None)
        return MessageState.FAILED
    try:
        receipt: Receipt = build_channel(msg.company_id, msg.channel).send(_outgoing(msg))
    except TransientDeliveryError as exc:
        error = _("%(error)s (attempt %(n)d of %(max)d)") % {"error": exc, "n": msg.attempts, "max": MAX_ATTEMPTS}
        if msg.attempts >= MAX_ATTEMPTS:
            _finish(msg, MessageState.FAILED, "notify.failed", {"error": str(exc)[:300], "code": exc.code},
                    last_error=error[:2000], claimed_at=None)
            return MessageState.FAILED
        _finish(
            msg, MessageState.QUEUED, "notify.retry_scheduled", {"error": str(exc)[:300], "code": exc.code},
            last_error=error[:2000], next_attempt_at=now + backoff(msg.attempts), claimed_at=None,
        )
        return MessageState.QUEUED
    except (PermanentDeliveryError, ChannelNotConfigured) as exc:
        code = getattr(exc, "code", "")
        _finish(msg, MessageState.FAILED, "notify.failed", {"error": str(exc)[:300], "code": code},
                last_error=str(exc)[:2000], claimed_at=None)
        return MessageState.FAILED
    except Exception as exc:  # an adapter bug: do not leave the row SENDING, do not retry blindly
        log.exception("channel %s crashed sending outbox message %s", msg.channel, msg.pk)
        _finish(msg, MessageState.UNKNOWN, "notify.outcome_unknown", {"error": f"{type(exc).__name__}: {exc}"[:300]},
                last_error=f"{type(exc).__name__}: {exc}"[:2000], claimed_at=None)
        return MessageState.UNKNOWN
    state = MessageState.DELIVERED if msg.channel == Channel.INAPP else MessageState.SENT
    _finish(
        msg, state, "notify.delivered" if state == MessageState.DELIVERED else "notify.sent",
        {"provider_id": receipt.provider_message_id, "accepted": receipt.accepted, **receipt.details},
        sent_at=now, delivered_at=now if state == MessageState.DELIVERED else None,
        provider_id=receipt.provider_message_id[:200], last_error="",
    )
    return state


def due_ids(now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(state=MessageState.QUEUED)
        .exclude(next_attempt_at__gt=now)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


@dataclass
class DeliveryReport:
    """What one pass over the due messages achieved — outcomes, not attempts."""

    delivered: int = 0  # in the recipient's inbox (in-app) or confirmed by the provider
    sent: int = 0  # accepted by the provider; delivery not confirmed (yet)
    retrying: int = 0  # a transient error: tried again after a back-off
    failed: int = 0  # failed for good (on HR's problems page)
    unknown: int = 0  # the adapter crashed: outcome unknown (on HR's problems page)
    skipped: int = 0  # no longer due, or another worker had it

    @property
    def attempted(self) -> int:
        return self.delivered + self.sent + self.retrying + self.failed + self.unknown

    def count(self, state: str | None) -> None:
        field = {MessageState.DELIVERED: "delivered", MessageState.SENT: "sent", MessageState.QUEUED: "retrying",
                 MessageState.FAILED: "failed", MessageState.UNKNOWN: "unknown"}.get(state or "", "skipped")
        setattr(self, field, getattr(self, field) + 1)


def deliver_due_report(now: dt.datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Deliver every due message once (retries after backoff, and rows whose hand-off was lost)."""
    report = DeliveryReport()
    for msg_id in due_ids(now, limit):
        report.count(deliver(msg_id, now))
    return report


def deliver_due(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Like ``deliver_due_report``; returns how many messages were attempted (whatever the outcome)."""
    return deliver_due_report(now, limit).attempted


def reap_stuck(now: dt.datetime | None = None) -> int:
    """Rows left SENDING by a dead worker become UNKNOWN — shown to HR, never re-sent automatically."""
    now = now or timezone.now()
    stuck = list(OutboxMessage.objects.filter(state=MessageState.SENDING, claimed_at__lt=now - STUCK_AFTER))
    for msg in stuck:
        _finish(msg, MessageState.UNKNOWN, "notify.outcome_unknown", {"since": msg.claimed_at}, reaping=True,
                last_error="the worker stopped while sending; check with the provider before resending")
    return len(stuck)


# Messages whose body is a secret for a short time (one-time codes). Bodies and links are encrypted at rest
# (models.OutboxMessage); once the secret has expired the body is of no use to anyone and is wiped as well,
# so even a copy of the database together with its keys never holds a live or recent code.
SECRET_PURPOSES = frozenset({"signing_code"})
SECRET_LIFETIME = dt.timedelta(minutes=15)
REDACTED_BODY = "[redacted: one-time code expired]"


def redact_secrets(now: dt.datetime | None = None) -> int:
    """Wipe the bodies of expired one-time-code messages; one evidence event per company."""
    now = now or timezone.now()
    stale = OutboxMessage.objects.filter(purpose__in=SECRET_PURPOSES, created_at__lt=now - SECRET_LIFETIME,
                                         redacted_at__isnull=True)
    done = 0
    with transaction.atomic():
        by_company: dict[int, list[int]] = {}
        for pk, company_id in stale.values_list("pk", "company_id"):
            by_company.setdefault(company_id, []).append(pk)
        for company_id, ids in by_company.items():
            rows = OutboxMessage.objects.filter(pk__in=ids, redacted_at__isnull=True)
            done += rows.update(body=REDACTED_BODY, redacted_at=now)
            evidence.record(company_id, None, "notify.secrets_redacted", None, {"messages": ids})
    return done
