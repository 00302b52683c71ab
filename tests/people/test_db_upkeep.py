"""Planner statistics for the embedded SQLite database (``core.tasks.optimize_sqlite``)."""

from __future__ import annotations

from django.db import connection

from hrguard.core.tasks import optimize_sqlite, refresh_sqlite_statistics


def test_statistics_are_written_on_sqlite_and_left_to_postgres(world):
    if connection.vendor != "sqlite":
        assert optimize_sqlite() == ""
        assert refresh_sqlite_statistics.call_local() == ""
        return
    assert optimize_sqlite(full=True) == "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'people_employee'")
        assert cursor.fetchone()[0] > 0
    assert optimize_sqlite() == "PRAGMA optimize"  # analysed before: only the cheap refresh
    assert refresh_sqlite_statistics.call_local() == "ANALYZE"
