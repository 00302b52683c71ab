"""Huey tasks of the core app: database upkeep for the embedded (SQLite) deployment.

SQLite's query planner only picks the right index for the roster's searches when it has statistics
(``sqlite_stat1``, written by ``ANALYZE``); without them a name or employee-number search can walk the
whole company. PostgreSQL keeps its own statistics (autovacuum), so there this does nothing."""

from __future__ import annotations

from django.db import connections
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import jobs


def optimize_sqlite(*, full: bool = False, using: str = "default") -> str:
    """Refresh the planner statistics of a SQLite database; returns what ran ("" on other databases).

    A database that was never analysed (or ``full``) gets a complete ``ANALYZE`` (about a second for
    100,000 employees); otherwise ``PRAGMA optimize`` re-analyses only what SQLite thinks changed."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        analysed = cursor.fetchone() is not None
        if full or not analysed:
            cursor.execute("PRAGMA analysis_limit = 0")
            cursor.execute("ANALYZE")
            return "ANALYZE"
        cursor.execute("PRAGMA optimize")
        return "PRAGMA optimize"


@db_periodic_task(crontab(minute="27", hour="3"))
def refresh_sqlite_statistics() -> str:
    """Nightly: a fresh worker connection has no query history for ``PRAGMA optimize`` to go on, so
    this runs a full ``ANALYZE`` (cheap at roster sizes, and off hours)."""
    return optimize_sqlite(full=True)


@db_task()
def run_import_job(job_id: int) -> None:
    """One background import step (roster check/import, punch import); see ``core.jobs``."""
    jobs.run(job_id)


@db_periodic_task(crontab(minute="*/5"))
def requeue_stale_imports() -> int:
    jobs.purge_files()
    return jobs.requeue_stale()
