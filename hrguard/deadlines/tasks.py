"""Huey tasks: periodic and thin — they only call the sweep."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services as deadlines


@db_periodic_task(crontab(minute="*"))
def sweep_deadlines() -> int:
    return deadlines.sweep()
