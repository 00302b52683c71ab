"""Huey tasks for the webhook outbox: thin, like notify's. Hand-off after commit, a sweep every minute for
retries after back-off (and hand-offs lost in a crash), the reaper every five minutes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import delivery


@db_task()
def deliver_webhooks(ids: list[int]) -> None:
    for pk in ids:
        delivery.deliver(pk)


@db_periodic_task(crontab(minute="*"))
def deliver_due_webhooks() -> int:
    ids = delivery.due_ids()
    if ids:
        deliver_webhooks(ids)
    return len(ids)


@db_periodic_task(crontab(minute="*/5"))
def reap_stuck_webhooks() -> int:
    return delivery.reap_stuck()
