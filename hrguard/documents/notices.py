"""Talking to the notification outbox (hrguard.notify) for invitations, codes, reminders and HR alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

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
    """Queue many notices at once through ``hrguard.notify.services.enqueue_many`` (one bulk insert into
    the outbox plus one evidence batch; bodies and links are encrypted there like any outbox message)."""
    from hrguard.notify import services as notify

    if not notices:
        return 0
    notify.enqueue_many(company, [
        {"recipient": n.employee, "channels": list(n.channels), "subject": n.subject, "body": n.body,
         "idempotency_key": n.key, "link": n.link, "about": n.about, "employee": n.employee,
         "purpose": purpose} for n in notices
    ])
    return len(notices)


def enqueue_code(company: Any, employee: Any, channel: str, subject: str, body: str, key: str,
                 about: Any = None, link: str = "") -> Any:
    """Queue a one-time-code message without handing it to the worker: the caller delivers it at once
    (``deliver_now``) after its transaction commits. Returns the outbox message."""
    from hrguard.notify import services as notify

    (msg,) = notify.enqueue(company, recipient=employee, channels=[channel], subject=subject, body=body,
                            idempotency_key=key, about=about, employee=employee, purpose=PURPOSE_CODE,
                            link=link, handoff=False)
    return msg


def deliver_now(msg: Any) -> Any:
    from hrguard.notify import services as notify

    return notify.deliver_now(msg)


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
