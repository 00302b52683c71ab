"""Huey tasks: periodic and thin.

The periodic sweep only finds out how much is due and fans it out as ``sweep_batch`` tasks, which any
consumer takes: with several consumers (production, Redis) the sweeping is shared instead of being done
by the one consumer that schedules periodic tasks, 500 rows a minute. Batches claim disjoint rows
(``deadlines.sweep``), so a batch enqueued twice or run late does nothing twice."""

from __future__ import annotations

import math

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services as deadlines
from .models import Deadline, DeadlineState

MAX_BATCHES = 40  # per minute; more due rows wait for the next minute


@db_task()
def sweep_batch(limit: int) -> int:
    return deadlines.sweep(limit=limit)


@db_periodic_task(crontab(minute="*"))
def sweep_deadlines() -> int:
    """Enqueue one ``sweep_batch`` per ``HRGUARD_SWEEP_BATCH`` due rows (at most ``MAX_BATCHES``)."""
    batch = settings.HRGUARD_SWEEP_BATCH
    due = Deadline.objects.filter(state=DeadlineState.PENDING, due_at__lte=timezone.now()).count()
    batches = min(math.ceil(due / batch), MAX_BATCHES)
    for _ in range(batches):
        sweep_batch(batch)
    return batches
