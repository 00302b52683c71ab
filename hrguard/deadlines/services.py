"""Durable deadlines: every timer is a row, swept periodically; a crash never loses or doubles one.

Public API (stable; other apps call these):

``schedule(company, key, action, subject, due_at, payload=None) -> Deadline``
    Create the deadline unless one with ``key`` already exists (then it is returned unchanged — call
    ``cancel`` first to move it). ``key`` is globally unique, e.g. ``"esign.remind:<request pk>:1"``.
    ``subject`` is the model instance it concerns; ``payload`` a small JSON dict for the handler. Call it
    inside the transaction of the change that creates the need, so both exist or neither does.

``cancel(key_prefix) -> int``
    Cancel every still-pending deadline whose key starts with ``key_prefix``; returns how many.

``@handler(action)``
    Register ``fn(deadline: Deadline) -> None`` for an action. Put handlers in a module named
    ``deadline_handlers.py`` in your app: it is imported at start-up (``DeadlinesConfig.ready``).
    The handler runs inside the transaction that marks the row done: everything it writes to the
    database (outbox messages via ``hrguard.notify.services.enqueue``, evidence, state changes) commits
    together with "done", or — on an exception or a crash — not at all, and the row is retried later
    with backoff. So a handler must not talk to the outside world directly: enqueue notifications with
    an idempotency key derived from ``deadline.key`` and let the outbox deliver them after commit.

``sweep(now=None, limit=500) -> int``
    Run the due deadlines once (the worker's periodic task and ``manage.py sweep`` call it).

How a row is taken: ``_claim`` leases a batch (``lease_until`` + a random ``lease_owner``; with
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL so concurrent sweepers take disjoint batches). Each
row then runs in its own transaction that begins with ``UPDATE … SET state='done' WHERE state='pending'
AND lease_owner=<mine>``: exactly one sweeper's UPDATE matches (the database row lock on PostgreSQL, the
write lock on SQLite), so a handler never runs twice for one deadline."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, Subquery
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
    """Create the deadline unless one with this key exists (idempotent)."""
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
        state=DeadlineState.CANCELLED, done_at=timezone.now(), lease_until=None, lease_owner=""
    )


def _free(now: dt.datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lte=now)


def _claim(now: dt.datetime, limit: int, owner: str) -> list[int]:
    """Lease up to ``limit`` due rows for ``owner``; returns their ids. Safe with concurrent sweepers."""
    due = Deadline.objects.filter(_free(now), state=DeadlineState.PENDING, due_at__lte=now).order_by("due_at", "id")
    lease = {"lease_until": now + LEASE, "lease_owner": owner}
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            if not ids:
                return []
            Deadline.objects.filter(id__in=ids).update(**lease)
        else:
            # No row locks (SQLite): one conditional UPDATE takes the database write lock at once, so
            # concurrent sweepers queue up instead of failing to upgrade a read lock.
            Deadline.objects.filter(id__in=Subquery(due.values("id")[:limit])).update(**lease)
    return list(
        Deadline.objects.filter(lease_owner=owner, state=DeadlineState.PENDING)
        .order_by("due_at", "id")
        .values_list("id", flat=True)
    )


def _run_one(deadline_id: int, now: dt.datetime, owner: str) -> bool:
    try:
        with transaction.atomic():
            won = Deadline.objects.filter(pk=deadline_id, state=DeadlineState.PENDING, lease_owner=owner).update(
                state=DeadlineState.DONE, done_at=timezone.now(), attempts=F("attempts") + 1, lease_until=None
            )
            if not won:  # cancelled, or our lease expired and another sweeper took it
                return False
            dl = Deadline.objects.get(pk=deadline_id)
            fn = _HANDLERS.get(dl.action)
            if fn is None:
                raise LookupError(f"no handler registered for action {dl.action!r}")
            fn(dl)
        return True
    except Exception as exc:  # the handler's transaction rolled back (row still pending): back off
        log.exception("deadline %s failed", deadline_id)
        with transaction.atomic():  # write first (takes the lock), then read
            mine = Deadline.objects.filter(pk=deadline_id, state=DeadlineState.PENDING, lease_owner=owner)
            if not mine.update(attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]):
                return False
            attempts = Deadline.objects.values_list("attempts", flat=True).get(pk=deadline_id)
            mine.update(
                lease_until=now + retry_backoff(attempts), lease_owner="",
                state=DeadlineState.FAILED if attempts >= MAX_ATTEMPTS else DeadlineState.PENDING,
            )
        return False


def retry_backoff(attempts: int) -> dt.timedelta:
    """2, 4, 8 … minutes, capped at four hours."""
    return dt.timedelta(minutes=min(2**attempts, 240))


def sweep(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Run every due deadline once. Returns how many completed."""
    now = now or timezone.now()
    owner = uuid.uuid4().hex
    done = 0
    for deadline_id in _claim(now, limit, owner):
        done += _run_one(deadline_id, now, owner)
    return done
