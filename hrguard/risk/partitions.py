"""PostgreSQL: ``SignalValue`` is partitioned by company (``PARTITION BY LIST (company_id)``, migration 0006),
one UNLOGGED partition per company, so that a scan that recomputes most of a company's months can write its
rows into a fresh table **without an index** and build the primary key afterwards in one sorted pass,
instead of maintaining the b-tree row by row (bench/README.md, "Early warning": for 2 M rows about 1 s of
inserts plus 1–3 s of index build, against 10–15 s of index maintenance). The new table replaces the
company's partition in the scan's transaction: readers see the old values or the new ones, never a mix.

The application's role may not create, drop or attach tables (scripts/pg_roles.sh), so the DDL is done by
SQL functions that run as their owner, the migrations' role (``SECURITY DEFINER``, migration 0006); they
take only the company's integer id. The application inserts and copies the rows (its default privileges
cover the tables the owner creates). SQLite has no partitions: the materialisation deletes and inserts in
the one table (``enabled()`` is false)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from .models import SignalValue

PARENT = SignalValue._meta.db_table


def enabled() -> bool:
    return connection.vendor == "postgresql"


def _call(function: str, company_id: int) -> Any:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {function}(%s)", [int(company_id)])  # fixed names, an integer argument
        row = cur.fetchone()
    return row[0] if row else None


def lock(company_id: int) -> None:
    """One materialisation per company at a time (transaction-scoped advisory lock): two concurrent scans
    would otherwise both create the partition, or both delete and insert the same keys."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('hrguard.risk.materialise'), %s)", [int(company_id)])


def current(company_id: int) -> str | None:
    """The company's attached partition, if it has one."""
    with connection.cursor() as cur:
        cur.execute("SELECT current FROM hrguard_risk_partition_names(%s)", [int(company_id)])
        row = cur.fetchone()
    return row[0] if row else None


def ensure(company_id: int) -> str:
    """The company's partition, created (UNLOGGED, empty, with the primary key) on its first scan."""
    return str(_call("hrguard_risk_partition", company_id))


def start_rebuild(company_id: int, keep_before: object, keep_from: object) -> str:
    """A new, unindexed UNLOGGED table for the company's values, holding the rows of the current partition
    outside the months being recomputed (month < ``keep_before`` or month ≥ ``keep_from``). Returns its name;
    the caller inserts the recomputed rows into it, then calls ``finish_rebuild``. Its CHECK constraint on the
    company lets the swap attach it without reading the rows again."""
    old = current(company_id)
    new = str(_call("hrguard_risk_rebuild_start", company_id))
    if old:
        with connection.cursor() as cur:
            cur.execute(f'INSERT INTO "{new}" SELECT * FROM "{old}" '  # noqa: S608 (names from the function)
                        "WHERE month < %s OR month >= %s", [keep_before, keep_from])
    return new


def finish_rebuild(company_id: int) -> str:
    """Build the new table's primary key in one pass, drop the company's old partition and attach the new
    one in its place, then ANALYZE it for the rule terms that read it next. Returns the partition's name."""
    return str(_call("hrguard_risk_rebuild_finish", company_id))
