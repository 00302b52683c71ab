"""PostgreSQL: ``SignalValue`` is partitioned by company (``PARTITION BY LIST (company_id)``, migration 0006),
one UNLOGGED partition per company, so that a scan that recomputes most of a company's months can write its
rows into a fresh table **without an index** and build the primary key afterwards in one sorted pass,
instead of maintaining the b-tree row by row (bench/README.md, "Early warning": for 2 M rows about 1 s of
inserts plus 2–3 s of index build, against 10–15 s of index maintenance). The new table replaces the
company's partition in the scan's transaction: readers see the old values or the new ones, never a mix.

SQLite has no partitions: the materialisation deletes and inserts in the one table (``enabled()`` is
false). Every statement here is built from integers and fixed names; nothing comes from input."""

from __future__ import annotations

from django.db import connection

from .models import SignalValue

PARENT = SignalValue._meta.db_table
KEY = "(company_id, signal, month, employee_id)"  # the parent's primary key, and every partition's
# memory for the sort of a partition's primary-key build, for this transaction only (``SET LOCAL``)
PG_MAINTENANCE_WORK_MEM = "256MB"


def enabled() -> bool:
    return connection.vendor == "postgresql"


def _names(company_id: int) -> tuple[str, str]:
    """The two names a company's partition alternates between: a rebuild creates the other one, so that the
    new table and its primary-key index never collide with the old ones before those are dropped."""
    base = f"{PARENT}_c{int(company_id)}"
    return base, f"{base}_b"


def lock(company_id: int) -> None:
    """One materialisation per company at a time (transaction-scoped advisory lock): two concurrent scans
    would otherwise both create the partition, or both delete and insert the same keys."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('hrguard.risk.materialise'), %s)", [int(company_id)])


def current(company_id: int) -> str | None:
    """The company's attached partition, if it has one."""
    with connection.cursor() as cur:
        cur.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    "WHERE i.inhparent = %s::regclass AND c.relname IN (%s, %s)", [PARENT, *_names(company_id)])
        row = cur.fetchone()
    return row[0] if row else None


def ensure(company_id: int) -> str:
    """The company's partition, created (UNLOGGED, empty) on its first scan."""
    found = current(company_id)
    if found:
        return found
    name = _names(company_id)[0]
    with connection.cursor() as cur:
        cur.execute(f'CREATE UNLOGGED TABLE "{name}" PARTITION OF "{PARENT}" '
                    f"FOR VALUES IN ({int(company_id)})")
    return name


def start_rebuild(company_id: int, keep_before: object, keep_from: object) -> str:
    """A new, unindexed UNLOGGED table for the company's values, holding the rows of the current partition
    outside the months being recomputed (month < ``keep_before`` or month ≥ ``keep_from``). Returns its name;
    the caller inserts the recomputed rows into it, then calls ``finish_rebuild``."""
    old = current(company_id)
    first, second = _names(company_id)
    new = second if old == first else first
    with connection.cursor() as cur:
        cur.execute(f"SET LOCAL maintenance_work_mem = '{PG_MAINTENANCE_WORK_MEM}'")
        cur.execute(f'DROP TABLE IF EXISTS "{new}"')  # never attached (a rebuild's table is attached or rolled back)
        cur.execute(f'CREATE UNLOGGED TABLE "{new}" (LIKE "{PARENT}")')
        if old:
            cur.execute(f'INSERT INTO "{new}" SELECT * FROM "{old}" '  # noqa: S608 (fixed names)
                        "WHERE month < %s OR month >= %s", [keep_before, keep_from])
    return new


def finish_rebuild(company_id: int, new: str) -> None:
    """Index the new table in one pass, drop the company's old partition and attach the new one in its place.
    The CHECK constraint proves the partition bound, so attaching does not scan the rows again; ANALYZE gives
    the planner the new partition's statistics for the rule terms that read it next."""
    company = int(company_id)
    old = current(company)
    with connection.cursor() as cur:
        cur.execute(f'ALTER TABLE "{new}" ADD CONSTRAINT "{new}_company" CHECK (company_id = {company})')
        cur.execute(f'ALTER TABLE "{new}" ADD CONSTRAINT "{new}_pkey" PRIMARY KEY {KEY}')
        if old:
            cur.execute(f'DROP TABLE "{old}"')
        cur.execute(f'ALTER TABLE "{PARENT}" ATTACH PARTITION "{new}" FOR VALUES IN ({company})')
        cur.execute(f'ANALYZE "{new}"')
