"""Huey tasks for the outbox. Thin: they call delivery functions; the periodic one only finds work."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import delivery


@db_task()
def deliver_messages(ids: list[int]) -> None:
    for msg_id in ids:
        delivery.deliver(msg_id)


@db_periodic_task(crontab(minute="*"))
def deliver_due() -> int:
    """Retries after backoff, and anything whose on-commit hand-off was lost (e.g. a crash)."""
    ids = delivery.due_ids()
    if ids:
        deliver_messages(ids)
    return len(ids)


@db_periodic_task(crontab(minute="*/5"))
def reap_stuck() -> int:
    return delivery.reap_stuck()


@db_periodic_task(crontab(minute="*/5"))
def redact_secrets() -> int:
    return delivery.redact_secrets()
