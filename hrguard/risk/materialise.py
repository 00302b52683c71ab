"""Materialising the monthly signal values (``SignalValue``), set-based: every signal of one record table
is computed in one pass over it (one ``GROUP BY employee, month`` with a filtered aggregate per signal)
and written by one ``INSERT … SELECT`` that unpivots the aggregates into rows; no value passes through
Python. Providers without a table or a query (a few small sources) are read and bulk-inserted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce
from operator import or_
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import partitions, registry
from .models import MaterialisedMonth, SignalValue
from .sql import MonthStart
from .windows import add_months, month_of, month_starts

HISTORY_MONTHS = 12  # months of signal values kept fresh for baselines and windows (6 + a 6-month window)
REDO_MONTHS = 2  # the current and the previous month are recomputed by every scan (late records)
BATCH = 5000
# PostgreSQL: memory for the sorts and hashes of the materialisation's aggregates (the attendance pass of
# 100,000 people groups ~1.3 M rows; at the default 4 MB it spills to disk). A setting of this transaction
# only (``SET LOCAL``), not of the server.
PG_WORK_MEM = "128MB"
PG_TEMP_BUFFERS = "64MB"


def materialise(company_id: int, as_of: dt.date, *, months: int = HISTORY_MONTHS, redo: int = REDO_MONTHS) -> int:
    """Compute the monthly signal values of the months up to ``as_of`` that are missing or recent.
    Returns the number of rows written."""
    last = month_of(as_of)
    wanted = month_starts(add_months(last, -(months - 1)), add_months(last, 1))
    with transaction.atomic(), _bulk_settings():
        if partitions.enabled():
            partitions.lock(company_id)
        done = set(MaterialisedMonth.objects.filter(company_id=company_id, month__in=wanted)
                   .values_list("month", flat=True))
        todo = [m for m in wanted if m not in done or m >= add_months(last, -(redo - 1))]
        if not todo:
            return 0
        first, stop = todo[0], add_months(todo[-1], 1)
        written = _write(company_id, first, stop, rebuild=partitions.enabled() and 2 * len(todo) > len(wanted))
        now = timezone.now()
        MaterialisedMonth.objects.filter(company_id=company_id, month__gte=first, month__lt=stop).delete()
        MaterialisedMonth.objects.bulk_create([MaterialisedMonth(company_id=company_id, month=m, computed_at=now)
                                               for m in month_starts(first, stop)])
    return written


def _write(company_id: int, first: dt.date, stop: dt.date, *, rebuild: bool) -> int:
    """The values of the months [first, stop). ``rebuild`` (PostgreSQL, most of the months recomputed): into a
    new unindexed partition, indexed once at the end (``partitions``); otherwise delete and insert in place."""
    if rebuild:
        target = partitions.start_rebuild(company_id, first, stop)
    else:
        if partitions.enabled():
            partitions.ensure(company_id)
        SignalValue.objects.filter(company_id=company_id, month__gte=first, month__lt=stop).delete()
        target = SignalValue._meta.db_table
    tables: dict[str, list[registry.SignalSpec]] = {}
    passes: list[tuple[dict[str, str], Any]] = []  # (signal name -> its column, the aggregate query)
    small: list[registry.SignalSpec] = []
    for spec in registry.signals():
        if spec.table is not None and spec.agg is not None and not spec.per_purpose:
            tables.setdefault(spec.table.key, []).append(spec)
        elif spec.query is not None and not spec.per_purpose:
            passes.append(({spec.name: "v"}, spec.query(company_id, first, stop)))
        else:
            small.append(spec)
    passes += [({s.name: f"v{i}" for i, s in enumerate(specs)}, _table_pass(company_id, specs, first, stop))
               for specs in tables.values()]
    if rebuild:
        written = _insert_in_key_order(target, company_id, passes)
        partitions.finish_rebuild(company_id)
    else:
        written = sum(_insert_select(target, company_id, columns, qs) for columns, qs in passes)
    for spec in small:  # through the ORM, into the (now attached) partition
        written += _bulk(company_id, spec, first, stop)
    return written


@contextmanager
def _bulk_settings() -> Iterator[None]:
    """Connection settings for the big aggregates and inserts, for the materialisation only (inside its
    transaction). PostgreSQL: ``work_mem`` for this transaction (``SET LOCAL`` ends with it). SQLite has
    nothing to set here: ``temp_store`` cannot be changed inside a transaction, and its sorter already
    works in the page cache (``cache_size``, 64 MiB in the embedded settings)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
        _temp_buffers()
    yield


def _temp_buffers() -> None:
    """PostgreSQL: more memory for the rebuild's temporary tables (``_insert_in_key_order``) than the default
    8 MB, for this transaction. The server refuses the change once the session has used a temporary table
    with another size; then the session keeps its buffers (slower, same result)."""
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"SET LOCAL temp_buffers = '{PG_TEMP_BUFFERS}'")
    except DatabaseError:
        pass


def _table_pass(company_id: int, specs: list[registry.SignalSpec], first: dt.date, stop: dt.date) -> Any:
    """One aggregate over the table: ``(employee_id, m, v0, v1, …)``, ``v<i>`` the i-th signal's value."""
    table = specs[0].table
    assert table is not None
    rows = table.rows(company_id, first, stop)
    wheres = [s.where for s in specs]
    if all(w is not None for w in wheres):  # only the rows some signal counts
        rows = rows.filter(reduce(or_, wheres))
    aggs = {f"v{i}": s.agg(s.where) for i, s in enumerate(specs) if s.agg is not None}
    # grouped by (month, employee): the order the rebuild writes in (``_insert_in_key_order``)
    return (rows.annotate(m=MonthStart(table.date_field)).values("m", "employee_id").annotate(**aggs)
            .values_list("employee_id", "m", *aggs).order_by())


def _insert_select(target: str, company_id: int, columns: dict[str, str], qs: Any) -> int:
    """The aggregate rows ``(employee_id, m, <value columns>)`` straight into ``target`` (the table, updated
    in place), one row per non-zero value (``columns``: signal name -> its column): one INSERT … SELECT, the
    columns unpivoted by a join with the list of signal names. (Sorting the unpivoted rows into the primary
    key's order did not pay here: the sort of the rows costs what the index maintenance saves. The rebuild
    of a PostgreSQL partition writes in key order without that sort: ``_insert_in_key_order``.)"""
    sql, params = qs.query.sql_with_params()
    table = connection.ops.quote_name(target)
    names = list(columns)
    keys = " UNION ALL ".join(f"SELECT {i} AS i, %s AS name" for i in range(len(names)))
    value = "CASE k.i " + " ".join(f"WHEN {i} THEN CAST(t.{columns[n]} AS DOUBLE PRECISION)"
                                   for i, n in enumerate(names)) + " END"
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (company_id, employee_id, signal, month, value) "  # noqa: S608 (no user input)
            f"SELECT %s, u.employee_id, u.name, u.m, u.v FROM ("
            f"SELECT t.employee_id, k.name, t.m, {value} AS v FROM ({sql}) t CROSS JOIN ({keys}) k) u "
            f"WHERE u.v IS NOT NULL AND u.v <> 0",
            [company_id, *params, *names])
        return max(cur.rowcount, 0)


def _insert_in_key_order(target: str, company_id: int, passes: list[tuple[dict[str, str], Any]]) -> int:
    """PostgreSQL, a partition being rebuilt: the rows written in the primary key's order, so that the index
    built afterwards reads presorted keys (its sort of 2 M keys in another order was most of the rebuild's
    cost). Each pass's aggregate goes once into a temporary table in (month, employee) order; then one
    ``INSERT … SELECT`` per signal, in the order of the names (``COLLATE "C"``: byte order, as Python's),
    reads it in that order. Same rows as ``_insert_select``."""
    target_sql = connection.ops.quote_name(target)
    sources: dict[str, tuple[str, str]] = {}
    temps: list[str] = []
    written = 0
    with connection.cursor() as cur:
        # grouping by sorting (month, employee) yields the rows in the order wanted; hashing then sorting the
        # groups cost twice as much (attendance, 1.3 M days of 100,000 people: 2.4 s against 0.9 s)
        cur.execute("SET LOCAL enable_hashagg = off")
        for n, (columns, qs) in enumerate(passes):
            sql, params = qs.query.sql_with_params()
            temp = f"risk_materialise_pass_{n}"
            cur.execute(f"DROP TABLE IF EXISTS {temp}")
            cur.execute(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # noqa: S608 (no user input)
                        f"SELECT * FROM ({sql}) t ORDER BY t.m, t.employee_id", params)
            temps.append(temp)
            sources.update({name: (temp, column) for name, column in columns.items()})
        cur.execute("SET LOCAL enable_hashagg TO DEFAULT")
        for name in sorted(sources):
            temp, column = sources[name]
            cur.execute(
                f"INSERT INTO {target_sql} (company_id, employee_id, signal, month, value) "  # noqa: S608
                f"SELECT %s, employee_id, %s, m, CAST({column} AS DOUBLE PRECISION) FROM {temp} "
                f"WHERE {column} IS NOT NULL AND {column} <> 0", [company_id, name])
            written += max(cur.rowcount, 0)
        for temp in temps:
            cur.execute(f"DROP TABLE {temp}")
    return written


def _bulk(company_id: int, spec: registry.SignalSpec, first: dt.date, stop: dt.date) -> int:
    """A provider that yields its rows (small sources: improvement plans, consented checks, contacts)."""
    written = 0
    batch: list[SignalValue] = []
    for row in spec.monthly(company_id, first, stop):
        emp, month, value = row[0], row[1], row[2]
        name = f"{spec.name}@{row[3]}" if spec.per_purpose else spec.name
        batch.append(SignalValue(company_id=company_id, employee_id=emp, signal=name, month=month, value=value))
        if len(batch) >= BATCH:
            SignalValue.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    SignalValue.objects.bulk_create(batch)
    return written + len(batch)
