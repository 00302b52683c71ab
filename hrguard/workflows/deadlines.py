"""Scheduling and sweeping durable deadlines.

Handlers are registered per action: ``@handler("documents.remind_unopened")``. A handler receives the
locked Deadline inside a transaction; whatever it writes (outbox messages, evidence events, state
changes) commits together with the row being marked done — so a crash either keeps all of it or none,
and the row is retried. Handlers must be idempotent for effects outside the database; the notification
outbox gives them an idempotency key per (message, channel)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import Deadline, DeadlineState

log = logging.getLogger(__name__)
Handler = Callable[[Deadline], None]
_HANDLERS: dict[str, Handler] = {}
LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 8


def handler(action: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[action] = fn
        return fn

    return register


def schedule(
    company: Any, key: str, action: str, subject: Any, due_at: dt.datetime, payload: dict[str, Any] | None = None
) -> Deadline:
    """Create the deadline unless one with this key exists (idempotent). Call inside the change's
    transaction so the deadline exists exactly when the change does."""
    subject_type = f"{subject._meta.app_label}.{subject._meta.model_name}"
    deadline, _created = Deadline.objects.get_or_create(
        key=key,
        defaults={
            "company_id": getattr(company, "pk", company), "action": action, "subject_type": subject_type,
            "subject_id": str(subject.pk), "due_at": due_at, "payload": payload or {},
        },
    )
    return deadline


def cancel(key_prefix: str) -> int:
    return Deadline.objects.filter(key__startswith=key_prefix, state=DeadlineState.PENDING).update(
        state=DeadlineState.CANCELLED, done_at=timezone.now()
    )


def _claim(now: dt.datetime, limit: int) -> list[int]:
    """Lease up to ``limit`` due rows; returns their ids. Safe with many concurrent sweepers."""
    with transaction.atomic():
        qs = Deadline.objects.filter(state=DeadlineState.PENDING, due_at__lte=now).exclude(lease_until__gt=now)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.order_by("due_at").values_list("id", flat=True)[:limit])
        if ids:
            Deadline.objects.filter(id__in=ids).update(lease_until=now + LEASE)
    return ids


def _run_one(deadline_id: int, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            dl = Deadline.objects.select_for_update().get(pk=deadline_id)
            if dl.state != DeadlineState.PENDING:
                return False
            fn = _HANDLERS.get(dl.action)
            if fn is None:
                raise LookupError(f"no handler for {dl.action}")
            fn(dl)
            Deadline.objects.filter(pk=dl.pk).update(
                state=DeadlineState.DONE, done_at=timezone.now(), attempts=dl.attempts + 1, lease_until=None
            )
        return True
    except Exception as exc:  # the handler's transaction rolled back; record the failure and back off
        log.exception("deadline %s failed", deadline_id)
        dl = Deadline.objects.get(pk=deadline_id)
        attempts = dl.attempts + 1
        backoff = dt.timedelta(minutes=min(2**attempts, 240))
        Deadline.objects.filter(pk=deadline_id).update(
            attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000], lease_until=now + backoff,
            state=DeadlineState.FAILED if attempts >= MAX_ATTEMPTS else DeadlineState.PENDING,
        )
        return False


def sweep(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Run every due deadline once. Returns how many completed."""
    now = now or timezone.now()
    done = 0
    for deadline_id in _claim(now, limit):
        done += _run_one(deadline_id, now)
    return done
