"""Talking to the notification outbox (hrguard.notify) for invitations, codes, reminders and HR alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from hrguard.evidence import services as evidence

PURPOSE_INVITE = "signing_invite"
PURPOSE_CODE = "signing_code"
PURPOSE_REMINDER = "signing_reminder"
PURPOSE_HR = "signing_hr_alert"
CHANNEL_ORDER = ("sms", "wecom", "email", "inapp", "dingtalk", "feishu")


def sign_url(token: str) -> str:
    return f"{getattr(settings, 'HRGUARD_PUBLIC_URL', '').rstrip('/')}/sign/{token}/"


def address_for(employee: Any, channel: str) -> str:
    from hrguard.notify.services import address_for as notify_address

    return notify_address(employee, channel)


def channel_problems(company: Any, channels: Sequence[str]) -> dict[str, str]:
    """Channels the company has not set up (checked once for a whole batch)."""
    from hrguard.notify.adapters import config_problem

    return {c: p for c in channels if (p := config_problem(company.pk, c))}


def usable(company: Any, channel: str) -> bool:
    return not channel_problems(company, [channel])


def unreachable(employees: Sequence[Any], channels: Sequence[str]) -> list[tuple[Any, str]]:
    """(employee, channel) pairs a chosen channel cannot reach — reported before anything is sent."""
    return [(e, c) for e in employees for c in channels if not address_for(e, c)]


def other_channel(employee: Any, used: Sequence[str], available: Sequence[str]) -> str | None:
    """A reachable channel (among the company's ``available`` ones) not used yet, else None."""
    for channel in CHANNEL_ORDER:
        if channel in available and channel not in used and address_for(employee, channel):
            return channel
    return None


@dataclass(frozen=True)
class Notice:
    employee: Any
    channels: Sequence[str]
    subject: str
    body: str
    key: str
    link: str = ""
    about: Any = None


def enqueue_bulk(company: Any, notices: Sequence[Notice], purpose: str) -> int:
    """Queue many notices at once: one bulk insert into the outbox plus one evidence batch.

    Uses ``hrguard.notify.services.enqueue_many`` when the notify app provides it; otherwise writes the
    outbox rows directly in bulk (same columns, same idempotency key per (message, channel))."""
    from hrguard.notify import services as notify

    if not notices:
        return 0
    bulk = getattr(notify, "enqueue_many", None)
    if bulk is not None:
        return len(bulk(company, [
            {"recipient": n.employee, "channels": list(n.channels), "subject": n.subject, "body": n.body,
             "idempotency_key": n.key, "link": n.link, "about": n.about, "employee": n.employee,
             "purpose": purpose} for n in notices
        ]))
    if len(notices) <= 50:
        for n in notices:
            notify.enqueue(company, recipient=n.employee, channels=list(n.channels), subject=n.subject, body=n.body,
                           idempotency_key=n.key, link=n.link, about=n.about, employee=n.employee, purpose=purpose)
        return len(notices)
    return _bulk_outbox(company, notices, purpose)


def _bulk_outbox(company: Any, notices: Sequence[Notice], purpose: str) -> int:
    from django.db import transaction

    from hrguard.notify.models import OutboxMessage

    rows = []
    for n in notices:
        about_type = f"{n.about._meta.app_label}.{n.about._meta.model_name}" if n.about is not None else ""
        for channel in n.channels:
            rows.append(OutboxMessage(
                company_id=company.pk, idempotency_key=n.key, channel=channel, employee=n.employee,
                user_id=n.employee.user_id, address=address_for(n.employee, channel), subject=n.subject[:200],
                body=n.body, link=n.link, purpose=purpose, about_type=about_type,
                about_id=str(n.about.pk) if n.about is not None else "",
            ))
    created = OutboxMessage.objects.bulk_create(rows, batch_size=1000)
    evidence.record_many(company, None, [
        evidence.PendingEvent(
            "notify.queued", evidence.Subject("notify.outboxmessage", str(m.pk)),
            {"channel": m.channel, "purpose": purpose, "about": f"{m.about_type}:{m.about_id}",
             "key": m.idempotency_key}, m.employee_id,
        ) for m in created
    ])
    ids = [m.pk for m in created if m.pk is not None]

    def hand_off() -> None:
        from hrguard.notify.tasks import deliver_messages

        for start in range(0, len(ids), 500):
            deliver_messages(ids[start:start + 500])

    transaction.on_commit(hand_off)
    return len(notices)


def enqueue_one(company: Any, employee: Any, channel: str, subject: str, body: str, key: str, purpose: str,
                about: Any = None) -> None:
    from hrguard.notify import services as notify

    notify.enqueue(company, recipient=employee, channels=[channel], subject=subject, body=body,
                   idempotency_key=key, about=about, employee=employee, purpose=purpose)


def alert_user(company: Any, user: Any, subject: str, body: str, key: str, about: Any = None) -> None:
    """In-app alert to an HR user (the request's sender)."""
    from hrguard.notify import services as notify

    if user is None:
        return
    notify.enqueue(company, recipient=user, channels=["inapp"], subject=subject, body=body, idempotency_key=key,
                   about=about, purpose=PURPOSE_HR)


def deadline_text(value: Any) -> str:
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
