"""The one bulk-insert helper: rows go straight into a model's table without building model
instances (no signals, like ``bulk_create``), in chunks, as they come.

* Values that are the same for every row (tenant, actor, defaults, ``auto_now`` timestamps) are
  prepared once; the rest through one converter per field (encryption for fields whose
  ``get_prep_value`` encrypts, date and JSON adaptation).
* Plain inserts run one prepared ``INSERT`` through ``executemany`` (several times faster than
  ``bulk_create``, whose compiler rebuilds the statement every ~28 rows on SQLite).
* ``skip_conflicts`` inserts with ``ON CONFLICT DO NOTHING`` and counts what was new: multi-row
  ``VALUES`` on SQLite, ``COPY`` into a temporary table then one ``INSERT … SELECT`` on PostgreSQL.

The caller owns the transaction: commit between ``flush`` calls to keep write locks short. Table and
column names come from the model (quoted); every value is a bound parameter."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

from django.db import connection, models
from django.db.models import Field, Model
from django.utils import timezone

_PLAIN = (
    models.CharField, models.TextField, models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField,
    models.BooleanField, models.ForeignKey, models.OneToOneField, models.AutoField, models.BigAutoField,
)


def converter(f: Field) -> Callable[[Any], Any]:
    """The fastest correct value → column converter for a field on the current connection."""
    if type(f) in _PLAIN:  # exact classes: subclasses (encrypted text…) may prepare values
        return lambda v: v
    if type(f) is models.DateField:
        adapt = connection.ops.adapt_datefield_value
        return lambda v: None if v is None else adapt(v)
    return lambda v: f.get_db_prep_save(v, connection)


def _fixed_value(f: Field, constants: Mapping[str, Any], now: Any) -> Any:
    if f.attname in constants:
        return f.get_db_prep_save(constants[f.attname], connection)
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return f.get_db_prep_save(now, connection)
    return f.get_db_prep_save(f.get_default(), connection)


class Inserter:
    """Collect rows (dicts keyed by attname, or sequences in ``fields`` order) and insert them in
    chunks of ``chunk``. ``finish()`` flushes and returns the number of rows inserted."""

    def __init__(
        self, model: type[Model], fields: Sequence[str], *, constants: Mapping[str, Any] | None = None,
        skip_conflicts: bool = False, chunk: int = 1000,
    ) -> None:
        constants = constants or {}
        self.model = model
        self.skip_conflicts = skip_conflicts
        self.chunk = chunk
        self.inserted = 0
        self.pending: list[list[Any]] = []
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        self.varying = [by_name[name] for name in fields]
        self.convert = [converter(f) for f in self.varying]
        now = timezone.now()
        others = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in fields]
        self.fixed = [(f, _fixed_value(f, constants, now)) for f in others]
        self.columns = [f.column for f in self.varying] + [f.column for f, _v in self.fixed]
        self.fixed_values = [v for _f, v in self.fixed]
        self._copy = connection.vendor == "postgresql" and skip_conflicts

    def add(self, row: Mapping[str, Any] | Sequence[Any]) -> None:
        values = [row[f.attname] for f in self.varying] if isinstance(row, Mapping) else row
        self.pending.append([conv(v) for conv, v in zip(self.convert, values, strict=True)] + self.fixed_values)
        if len(self.pending) >= self.chunk:
            self.flush()

    def extend(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> int:
        """Insert what is pending; returns how many rows were new."""
        if not self.pending:
            return 0
        rows, self.pending = self.pending, []
        if self._copy:
            count = self._copy_rows(rows)
        elif self.skip_conflicts:
            count = self._values_rows(rows)
        else:
            with connection.cursor() as cursor:
                cursor.executemany(self._sql(1), rows)
            count = len(rows)
        self.inserted += count
        return count

    def finish(self) -> int:
        self.flush()
        return self.inserted

    def _sql(self, n: int, suffix: str = "") -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        marks = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        table = quote(self.model._meta.db_table)
        return f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * n)}{suffix}"  # noqa: S608

    def _values_rows(self, rows: list[list[Any]]) -> int:
        # SQLite allows 32,766 parameters per statement; stay well below.
        step = max(1, min(len(rows), 30_000 // max(len(self.columns), 1)))
        count = 0
        with connection.cursor() as cursor:
            for start in range(0, len(rows), step):
                part = rows[start : start + step]
                cursor.execute(self._sql(len(part), " ON CONFLICT DO NOTHING"), list(chain.from_iterable(part)))
                count += max(cursor.rowcount, 0)
        return count

    def _copy_rows(self, rows: list[list[Any]]) -> int:
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        load = quote(f"{self.model._meta.db_table}_load")
        columns = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as wrapper:
            raw = wrapper.cursor  # psycopg's cursor under Django's wrapper, for COPY
            raw.execute(  # the columns' types only: no identity, no constraints
                f"CREATE TEMP TABLE IF NOT EXISTS {load} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            raw.execute(f"TRUNCATE {load}")
            with raw.copy(f"COPY {load} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {load} ON CONFLICT DO NOTHING"  # noqa: S608
            )
            count = max(raw.rowcount, 0)
            raw.execute(f"TRUNCATE {load}")
        return count


WRITER_GAP = 0.02  # seconds


def let_writers_in() -> None:
    """Call between two write transactions of a long job. SQLite has one write lock and its busy
    handler retries every 1…100 ms: back-to-back short transactions would still starve a waiting
    writer, so leave a gap. PostgreSQL locks rows, not the database: nothing to do."""
    if connection.vendor == "sqlite":
        time.sleep(WRITER_GAP)


def insert(
    model: type[Model], rows: Sequence[Mapping[str, Any]], *, constants: Mapping[str, Any] | None = None,
    skip_conflicts: bool = False,
) -> int:
    """Insert dict rows (all with the same keys); returns the number inserted."""
    if not rows:
        return 0
    inserter = Inserter(model, list(rows[0]), constants=constants, skip_conflicts=skip_conflicts)
    inserter.extend(rows)
    return inserter.finish()
