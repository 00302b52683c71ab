"""Enqueue notifications (inside the business transaction) and read their status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence

from .models import Channel, OutboxMessage

def address_for(recipient: Any, channel: str) -> str:
    """The address a channel needs for this employee (or user); '' if none."""
    if channel == Channel.EMAIL:
        return getattr(recipient, "email", "") or ""
    if channel == Channel.SMS:
        return getattr(recipient, "phone", "") or ""
    if channel in (Channel.WECOM, Channel.DINGTALK, Channel.FEISHU):
        # The provider user id is the employee number unless the company maps it otherwise.
        return getattr(recipient, "employee_no", "") or getattr(recipient, "username", "")
    if channel == Channel.INAPP:
        user = recipient if hasattr(recipient, "role") else getattr(recipient, "user", None)
        return str(user.pk) if user is not None else ""
    return ""


def check_channels(recipient: Any, channels: Sequence[str]) -> None:
    """Refuse before anything is sent if a chosen channel cannot reach the recipient."""
    problems: list[str] = []
    for channel in channels:
        if channel not in Channel.values:
            problems.append(_("unknown channel %(c)s") % {"c": channel})
        elif not address_for(recipient, channel):
            reason = {
                Channel.EMAIL: _("no email address on file"),
                Channel.SMS: _("no mobile number on file"),
                Channel.INAPP: _("no user account"),
            }.get(channel, _("no account on this platform"))
            problems.append(f"{Channel(channel).label}: {reason}")
    if not channels:
        problems.append(_("choose at least one channel"))
    if problems:
        raise ValidationError({"channels": problems})


def enqueue(
    company: Any,
    *,
    recipient: Any,
    channels: Sequence[str],
    subject: str,
    body: str,
    idempotency_key: str,
    link: str = "",
    about: Any = None,
    employee: Any = None,
    purpose: str = "",
) -> list[OutboxMessage]:
    """Write one outbox row per channel in the caller's transaction; the worker delivers after commit.
    Enqueuing the same key again returns the existing rows and sends nothing new."""
    check_channels(recipient, channels)
    employee = employee if employee is not None else (recipient if hasattr(recipient, "employee_no") else None)
    user = recipient if hasattr(recipient, "role") else getattr(recipient, "user", None)
    about_type = f"{about._meta.app_label}.{about._meta.model_name}" if about is not None else ""
    about_id = str(about.pk) if about is not None else ""
    out: list[OutboxMessage] = []
    created: list[OutboxMessage] = []
    for channel in channels:
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key, channel=channel).first()
        if existing:
            out.append(existing)
            continue
        try:
            with transaction.atomic():
                msg = OutboxMessage.objects.create(
                    company_id=getattr(company, "pk", company), idempotency_key=idempotency_key, channel=channel,
                    employee=employee, user=user, address=address_for(recipient, channel), subject=subject[:200],
                    body=body, link=link, purpose=purpose, about_type=about_type, about_id=about_id,
                )
        except IntegrityError:  # a concurrent enqueue won
            msg = OutboxMessage.objects.get(idempotency_key=idempotency_key, channel=channel)
            out.append(msg)
            continue
        out.append(msg)
        created.append(msg)
    if created:
        evidence.record_many(
            company, None,
            [
                evidence.PendingEvent(
                    "notify.queued", evidence.Subject("notify.outboxmessage", str(m.pk)),
                    {"channel": m.channel, "purpose": purpose, "about": f"{about_type}:{about_id}",
                     "key": idempotency_key},
                    m.employee_id,
                )
                for m in created
            ],
        )
        ids = [m.pk for m in created]
        transaction.on_commit(lambda: _schedule_delivery(ids))
    return out


def _schedule_delivery(ids: list[int]) -> None:
    from .tasks import deliver_messages

    deliver_messages(ids)


def send_now(
    company: Any, *, recipient: Any, channel: str, subject: str, body: str, idempotency_key: str, purpose: str = ""
) -> OutboxMessage:
    """For one-time codes: enqueue and deliver synchronously (still idempotent, still in the outbox)."""
    from .delivery import deliver

    with transaction.atomic():
        (msg,) = enqueue(
            company, recipient=recipient, channels=[channel], subject=subject, body=body,
            idempotency_key=idempotency_key, purpose=purpose,
        )
    deliver(msg.pk)
    return OutboxMessage.objects.get(pk=msg.pk)


def inbox(user: Any, limit: int = 50) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(company_id=user.company_id, user=user, channel=Channel.INAPP).order_by(
            "-created_at"
        )[:limit]
    )


def for_subject(company_id: int, about: Any) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            company_id=company_id, about_type=f"{about._meta.app_label}.{about._meta.model_name}",
            about_id=str(about.pk),
        ).order_by("created_at")
    )
