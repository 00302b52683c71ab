"""Notifications: enqueue in the business transaction, deliver later through channel adapters.

Public API (stable; other apps call these):

``check_channels(recipient, channels) -> dict[str, str]``
    Before sending: ``{channel: reason}`` for every chosen channel that cannot reach the recipient
    (no email / mobile number / platform user id / user account, or the channel is not set up for the
    company). Empty dict = all fine. Reasons name the channel and the person, ready to show.

``enqueue(company, *, recipient, channels, subject, body, idempotency_key, link="", about=None,
          employee=None, purpose="", actor=None) -> list[OutboxMessage]``
    One outbox row per channel, written in the caller's transaction (it opens a savepoint if needed) with
    a ``notify.queued`` evidence event; delivery starts after commit. ``recipient`` is an Employee or a
    User. ``idempotency_key`` must be unique for this notification across all companies (e.g.
    ``"contract-expiry:<contract pk>:30d"``); enqueuing the same key again returns the existing rows and
    sends nothing (content is NOT updated). ``about`` is the model instance the message concerns
    (``for_subject`` finds messages by it). Raises ``ValidationError({"channels": [...]})`` if
    ``check_channels`` finds a problem — nothing is written then.

``enqueue_many(company, items, *, actor=None) -> list[OutboxMessage]``
    The same for many notifications (items: mappings of enqueue's keyword arguments), in bulk; all or
    nothing on channel problems.

    ``if_unreachable="record"`` writes the rows of unreachable channels as ``failed`` with the reason
    (evidence ``notify.undeliverable``) instead of raising, so HR sees them among the problems;
    ``handoff=False`` leaves delivery to the caller (``deliver_now``) or the periodic sweep.

``send_now(company, *, recipient, channel, subject, body, idempotency_key, purpose="") -> OutboxMessage``
    Enqueue and deliver synchronously (one-time codes). ``deliver_now(msg)`` delivers a queued row at once
    and returns it with its outcome (state ``sent``/``delivered`` or why not).

``inbox(user)``, ``unread_count(user)``, ``open_message(user, pk)`` (marks read, evidence
``notification.read``), ``for_subject(company_id, about)``, ``problems(company_id)`` (failed, unknown and
failing-and-retrying messages for HR, page ``notify:problems``; ``is_problem(msg)`` for one),
``decide_unknown(msg, actor, resend=...)``,
``retry_failed(msg, actor)``, ``record_receipt(channel, provider_id, delivered=..., details=...)``.
Channel set-up: ``hrguard.notify.adapters.configure(company, channel, settings, secret, actor=...)``;
platform user ids: ``ChannelIdentity`` rows, or ``settings["user_id_field"]`` = employee_no / email.

Message states: queued → sending → sent (→ delivered by a provider receipt; in-app is delivered at once)
or failed (permanent error, or transient errors exhausted); a worker that died mid-send leaves the
message ``unknown`` — never re-sent automatically (see delivery.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence
from hrguard.platform.prepared import Prepared

from . import adapters
from .addressing import Directory, employee_of, user_of
from .models import Channel, MessageState, OutboxMessage

log = logging.getLogger(__name__)


def address_for(recipient: Any, channel: str) -> str:
    """The address a channel needs for this employee or user; '' if there is none."""
    return Directory().address(recipient, channel)


def check_channels(recipient: Any, channels: Sequence[str]) -> dict[str, str]:
    """``{channel: reason}`` for each chosen channel that cannot reach the recipient; empty when all can."""
    with adapters.config_scope():
        return Directory().problems(recipient, channels)


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
    actor: Any = None,
    if_unreachable: str = "raise",
    handoff: bool = True,
) -> list[OutboxMessage]:
    """See the module docstring."""
    if not channels:
        raise ValidationError({"channels": [_("Choose at least one channel.")]})
    if if_unreachable not in ("raise", "record"):
        raise ValueError(f"if_unreachable must be 'raise' or 'record', not {if_unreachable!r}")
    company_id = getattr(company, "pk", company)
    with transaction.atomic(), adapters.config_scope():
        existing = {
            m.channel: m
            for m in OutboxMessage.objects.filter(idempotency_key=idempotency_key, channel__in=list(channels))
        }
        todo = [c for c in dict.fromkeys(channels) if c not in existing]
        directory = Directory()
        problems = directory.problems(recipient, todo)
        if problems and if_unreachable == "raise":
            raise ValidationError({"channels": list(problems.values())})
        if employee is None:
            employee = employee_of(recipient)
        user = user_of(recipient)
        about_type = f"{about._meta.app_label}.{about._meta.model_name}" if about is not None else ""
        about_id = str(about.pk) if about is not None else ""
        created: list[OutboxMessage] = []
        for channel in todo:
            try:
                with transaction.atomic():
                    msg = OutboxMessage.objects.create(
                        company_id=company_id, idempotency_key=idempotency_key, channel=channel,
                        employee=employee, user=user, address=directory.address(recipient, channel),
                        subject=subject[:200], body=body, link=link, purpose=purpose,
                        about_type=about_type, about_id=about_id,
                        # Nobody can deliver it: written as failed with the reason, so HR sees it as a problem.
                        state=MessageState.FAILED if channel in problems else MessageState.QUEUED,
                        last_error=problems.get(channel, "")[:2000],
                    )
            except IntegrityError:  # a concurrent enqueue with the same key won
                existing[channel] = OutboxMessage.objects.get(idempotency_key=idempotency_key, channel=channel)
                continue
            existing[channel] = msg
            created.append(msg)
        if created:
            _record_queued(company_id, actor, created, purpose, f"{about_type}:{about_id}")
            ids = [m.pk for m in created if m.state == MessageState.QUEUED]
            if handoff and ids:
                transaction.on_commit(lambda: _schedule_delivery(ids))
    return [existing[c] for c in dict.fromkeys(channels)]


def _record_queued(company_id: int, actor: Any, created: list[OutboxMessage], purpose: str, about: str) -> None:
    """``notify.queued`` for every new row, plus ``notify.undeliverable`` (with the reason) for rows nobody can
    deliver — in the caller's transaction."""
    evidence.record_many(company_id, actor, [
        evidence.PendingEvent(
            "notify.queued", evidence.Subject("notify.outboxmessage", str(m.pk)),
            {"channel": m.channel, "purpose": purpose, "about": about, "key": m.idempotency_key,
             "subject": m.subject},
            m.employee_id,
        )
        for m in created
    ] + [
        evidence.PendingEvent(
            "notify.undeliverable", evidence.Subject("notify.outboxmessage", str(m.pk)),
            {"channel": m.channel, "purpose": purpose, "key": m.idempotency_key, "reason": m.last_error},
            m.employee_id,
        )
        for m in created if m.state == MessageState.FAILED
    ])


def enqueue_many(company: Any, items: Sequence[Mapping[str, Any]], *, actor: Any = None) -> list[OutboxMessage]:
    """See the module docstring and ``bulk.enqueue_many``."""
    from .bulk import enqueue_many as bulk_enqueue

    return bulk_enqueue(company, items, actor=actor)


def _schedule_delivery(ids: list[int]) -> None:
    """After commit: hand the new rows to the worker. If that fails the periodic task picks them up."""
    from .tasks import deliver_messages

    try:
        deliver_messages(ids)
    except Exception:  # the rows are safe in the outbox; deliver_due retries them
        log.exception("could not hand outbox messages %s to the worker", ids)


def send_now(
    company: Any, *, recipient: Any, channel: str, subject: str, body: str, idempotency_key: str, purpose: str = ""
) -> OutboxMessage:
    """For one-time codes: enqueue and deliver synchronously (still idempotent, still in the outbox).
    Call it outside a transaction: the provider is contacted before it returns."""
    (msg,) = enqueue(
        company, recipient=recipient, channels=[channel], subject=subject, body=body,
        idempotency_key=idempotency_key, purpose=purpose, handoff=False,
    )
    return deliver_now(msg)


def deliver_now(msg: OutboxMessage) -> OutboxMessage:
    """Deliver a queued message at once (outside any transaction) and return it with its outcome: the
    caller can tell the person truthfully whether it went out. A message the worker already took is
    returned as the worker left it."""
    from .delivery import deliver

    if msg.state == MessageState.QUEUED:
        deliver(msg.pk)
    return OutboxMessage.objects.get(pk=msg.pk)


def _inbox_qs(user: Any) -> Any:
    return _inbox_of(company_id=user.company_id, user_id=user.pk)


def _inbox_of(*, company_id: int, user_id: int) -> Any:
    return OutboxMessage.objects.filter(company_id=company_id, user_id=user_id, channel=Channel.INAPP).exclude(
        state__in=[MessageState.QUEUED, MessageState.SENDING]
    )


def inbox(user: Any, limit: int = 50) -> list[OutboxMessage]:
    return list(_inbox_qs(user).order_by("-created_at", "-id")[:limit])


def unread_count(user: Any) -> int:
    return _inbox_qs(user).filter(read_at__isnull=True).count()


# The navigation's badge counts up to ``BADGE_CAP + 1`` ("99+" beyond). The signed-in user's query brings
# that count along (``core.backends.annotate_user``, registered in ``apps.py``): one query a page fewer.
BADGE_CAP = 99
UNREAD_ATTR = "hrguard_unread_capped"


def unread_up_to(user: Any, cap: int) -> int:
    """Unread in-app messages, counted up to ``cap + 1`` (a badge shows "99+"): one indexed read of at most
    ``cap + 1`` ids, never a COUNT of a long inbox. For the badge's cap, the count the user's own query
    brought (as of the start of the request; ``mark_read`` drops it) — otherwise compiled once
    (``platform.prepared``) and run."""
    if cap == BADGE_CAP:
        found = getattr(user, UNREAD_ATTR, None)
        if isinstance(found, int):
            return found
    return len(_UNREAD.rows(shape={"cap": cap}, company_id=user.company_id, user_id=user.pk))


def _unread(*, company_id: Any, user_id: Any) -> Any:
    return _inbox_of(company_id=company_id, user_id=user_id).filter(read_at__isnull=True).order_by()


def _unread_ids(*, cap: int, company_id: int, user_id: int) -> Any:
    return _unread(company_id=company_id, user_id=user_id).values_list("pk", flat=True)[: cap + 1]


class _CountOf(Subquery):
    """``(SELECT COUNT(*) FROM (<subquery>) …)``: how many rows a limited subquery gives."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) hrguard_counted)"
    output_field = IntegerField()


def unread_badge_expression() -> Any:
    """The badge's count as an expression over a user: the same indexed read of at most ``BADGE_CAP + 1``
    ids, as a scalar subquery of the user's own query."""
    return _CountOf(_unread(company_id=OuterRef("company_id"), user_id=OuterRef("pk")).values("pk")[: BADGE_CAP + 1])


_UNREAD = Prepared(_unread_ids)


def open_message(user: Any, pk: int) -> OutboxMessage:
    """The user's own in-app message (404 for anyone else's); the first opening is recorded as read."""
    msg = _inbox_qs(user).filter(pk=pk).first()
    if msg is None:
        raise Http404("no such message")
    mark_read(msg, user)
    return msg


def mark_read(msg: OutboxMessage, actor: Any = None) -> bool:
    """Set read_at once, with a ``notification.read`` evidence event; later openings change nothing."""
    if msg.read_at is not None:
        return False
    now = timezone.now()
    with transaction.atomic():
        if not OutboxMessage.objects.filter(pk=msg.pk, read_at__isnull=True).update(read_at=now):
            return False
        evidence.record(
            msg.company_id, actor, "notification.read", evidence.Subject("notify.outboxmessage", str(msg.pk)),
            {"channel": msg.channel, "purpose": msg.purpose, "key": msg.idempotency_key, "subject": msg.subject},
            employee=msg.employee_id,
        )
    msg.read_at = now
    if actor is not None and getattr(actor, "pk", None) == msg.user_id:
        try:  # the badge this request draws counts what is unread now
            delattr(actor, UNREAD_ATTR)
        except AttributeError:
            pass
    return True


def for_subject(company_id: int, about: Any) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            company_id=company_id, about_type=f"{about._meta.app_label}.{about._meta.model_name}",
            about_id=str(about.pk),
        ).order_by("created_at", "id")
    )


def is_problem(msg: OutboxMessage) -> bool:
    """Failed for good, outcome unknown, or waiting for a retry after an error: not delivered, and HR should
    know (a message still being retried is not "delivered")."""
    return msg.state in (MessageState.FAILED, MessageState.UNKNOWN) or (
        msg.state == MessageState.QUEUED and msg.attempts > 0 and bool(msg.last_error))


def problems(company_id: int, limit: int = 200) -> list[OutboxMessage]:
    """Messages HR must look at: failed for good (no channel could reach the person, the channel is not set up,
    the provider refused), outcome unknown after a worker died mid-send, or failing and being retried."""
    retrying = Q(state=MessageState.QUEUED, attempts__gt=0) & ~Q(last_error="")
    return list(
        OutboxMessage.objects.filter(Q(state__in=[MessageState.FAILED, MessageState.UNKNOWN]) | retrying,
                                     company_id=company_id)
        .select_related("employee")
        .order_by("-created_at", "-id")[:limit]
    )


def decide_unknown(msg: OutboxMessage, actor: Any, *, resend: bool) -> OutboxMessage:
    """HR's decision on an ``unknown`` message: resend it (same idempotency key, so providers that
    deduplicate still drop a duplicate) or confirm it as sent."""
    with transaction.atomic():
        state = MessageState.QUEUED if resend else MessageState.SENT
        n = OutboxMessage.objects.filter(pk=msg.pk, state=MessageState.UNKNOWN).update(
            state=state, next_attempt_at=None, claimed_at=None
        )
        if not n:
            raise ValidationError(_("This message is no longer in the “unknown” state."))
        evidence.record(
            msg.company_id, actor, "notify.resend_requested" if resend else "notify.confirmed_sent",
            evidence.Subject("notify.outboxmessage", str(msg.pk)),
            {"channel": msg.channel, "key": msg.idempotency_key}, employee=msg.employee_id,
        )
        if resend:
            transaction.on_commit(lambda: _schedule_delivery([msg.pk]))
    msg.refresh_from_db()
    return msg


def retry_failed(msg: OutboxMessage, actor: Any) -> OutboxMessage:
    """HR retries a failed message (e.g. after fixing the channel configuration or the person's address);
    same idempotency key. The address is looked up again; if the channel still cannot reach the person,
    ValidationError says why and nothing changes."""
    recipient = msg.employee if msg.employee_id else msg.user
    directory = Directory()
    if recipient is not None:
        problem = directory.problems(recipient, [msg.channel]).get(msg.channel)
        if problem:
            raise ValidationError(problem)
    address = directory.address(recipient, msg.channel) if recipient is not None else msg.address
    user = user_of(recipient) if recipient is not None else None
    with transaction.atomic():
        n = OutboxMessage.objects.filter(pk=msg.pk, state=MessageState.FAILED).update(
            state=MessageState.QUEUED, attempts=0, next_attempt_at=None, claimed_at=None,
            address=address or msg.address, user_id=getattr(user, "pk", None) or msg.user_id,
        )
        if not n:
            raise ValidationError(_("Only a failed message can be retried."))
        evidence.record(
            msg.company_id, actor, "notify.retry_requested", evidence.Subject("notify.outboxmessage", str(msg.pk)),
            {"channel": msg.channel, "key": msg.idempotency_key, "previous_error": msg.last_error[:300]},
            employee=msg.employee_id,
        )
        transaction.on_commit(lambda: _schedule_delivery([msg.pk]))
    msg.refresh_from_db()
    return msg


def record_receipt(channel: str, provider_id: str, *, delivered: bool, details: dict[str, Any] | None = None) -> bool:
    """A provider's delivery report (SMS status report, getsendresult…) for a sent message."""
    with transaction.atomic():
        msg = OutboxMessage.objects.filter(
            Q(state=MessageState.SENT) | Q(state=MessageState.UNKNOWN), channel=channel, provider_id=provider_id
        ).first()
        if msg is None:
            return False
        now = timezone.now()
        state = MessageState.DELIVERED if delivered else MessageState.FAILED
        error = "" if delivered else _("Provider reports not delivered: %(details)s") % {
            "details": ", ".join(f"{v}" for v in (details or {}).values() if v)
        }
        OutboxMessage.objects.filter(pk=msg.pk).update(
            state=state, delivered_at=now if delivered else None, last_error=error[:2000] or msg.last_error
        )
        evidence.record(
            msg.company_id, None, "notify.receipt", evidence.Subject("notify.outboxmessage", str(msg.pk)),
            {"channel": channel, "provider_id": provider_id, "delivered": delivered, **(details or {})},
            employee=msg.employee_id,
        )
    return True


def config_scope() -> Any:
    """Read each company's channel set-up once for the block (``adapters.config_scope``): wrap a
    transition that notifies several people."""
    return adapters.config_scope()
