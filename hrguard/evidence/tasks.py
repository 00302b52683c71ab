"""Huey tasks for the evidence log: hourly signed checkpoints (thin: enqueue one task per company)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import checkpoints, export
from .models import ChainHead

log = logging.getLogger(__name__)


@db_task()
def checkpoint_company(company_id: int) -> int | None:
    """Issue a signed (and, with HRGUARD_TSA_URL, timestamped) checkpoint if the log grew."""
    try:
        cp = checkpoints.issue_if_grown(company_id)
    except checkpoints.HistoryConflict as exc:
        log.exception("evidence checkpoint refused for company %s", company_id)
        export.alert_admins(company_id, str(exc))
        raise
    return cp.tree_size if cp is not None else None


@db_periodic_task(crontab(minute="7"))
def checkpoint_all() -> int:
    """Hourly: one checkpoint task per company with events."""
    ids = list(ChainHead.objects.filter(size__gt=0).values_list("company_id", flat=True))
    for company_id in ids:
        checkpoint_company(company_id)
    return len(ids)
