"""Huey tasks for the outbox (thin: they call delivery functions)."""

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
    """Retries with backoff, and anything whose on-commit enqueue was lost (e.g. a crash)."""
    delivery.reap_stuck()
    return sum(1 for msg_id in delivery.due_ids() if delivery.deliver(msg_id))
