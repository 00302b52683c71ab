"""The derived tables (SignalValue, MaterialisedMonth): a month is never marked materialised without its
values. On PostgreSQL both are UNLOGGED, and a crash empties unlogged tables: both must be unlogged
together (one emptied and the other kept would leave months marked without values, or values of months
the scan thinks missing), and the scan after such a reset recomputes every month, to the same values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from hrguard.risk import partitions, registry, scan
from hrguard.risk.materialise import HISTORY_MONTHS, materialise
from hrguard.risk.models import MaterialisedMonth, SignalValue

from .conftest import AS_OF, late


def _values(company_id: int) -> set[tuple[Any, ...]]:
    return set(SignalValue.objects.filter(company_id=company_id)
               .values_list("employee_id", "signal", "month", "value"))


def _empty_derived_tables() -> None:
    """What crash recovery does to unlogged tables: they come back empty. (DELETE, not TRUNCATE: inside
    the test's transaction MaterialisedMonth's deferred foreign-key checks are still pending.)"""
    with connection.cursor() as cur:
        for model in (SignalValue, MaterialisedMonth):
            cur.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _relations(names: list[str]) -> dict[str, tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute("SELECT relname, relkind, relpersistence FROM pg_class WHERE relname = ANY(%s)", [names])
        return {name: (kind, persistence) for name, kind, persistence in cur.fetchall()}


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_derived_values_live_in_unlogged_partitions_on_postgresql(seeded: Any) -> None:
    """SignalValue is partitioned by company (it has no storage itself); each company's partition is
    UNLOGGED like MaterialisedMonth, so a crash empties both together."""
    company = seeded.company
    materialise(company.pk, AS_OF)
    partition = partitions.current(company.pk)
    assert partition is not None
    found = _relations([SignalValue._meta.db_table, MaterialisedMonth._meta.db_table, partition])
    assert found == {SignalValue._meta.db_table: ("p", "p"), MaterialisedMonth._meta.db_table: ("r", "u"),
                     partition: ("r", "u")}
    with connection.cursor() as cur:
        cur.execute("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = %s", [partition])
        assert cur.fetchone()[0] == f"FOR VALUES IN ('{company.pk}')"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_rebuilt_partition_keeps_its_primary_key(seeded: Any) -> None:
    """The rebuild writes into an unindexed table and adds the key afterwards: the key must be there (a
    duplicate is refused), and the second rebuild swaps the partition under the other name."""
    company = seeded.company
    materialise(company.pk, AS_OF)
    first = partitions.current(company.pk)
    MaterialisedMonth.objects.filter(company=company).delete()
    materialise(company.pk, AS_OF)
    second = partitions.current(company.pk)
    assert first and second and first != second
    assert _relations([first]) == {}  # the old partition is gone
    row = SignalValue.objects.filter(company=company).values("employee_id", "signal", "month", "value")[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalValue.objects.create(company_id=company.pk, **row)


def _forget_recent(company_id: int, months: int) -> None:
    marked = sorted(MaterialisedMonth.objects.filter(company_id=company_id).values_list("month", flat=True))
    MaterialisedMonth.objects.filter(company_id=company_id, month__in=marked[-months:]).delete()


def test_rebuilding_most_months_or_redoing_a_few_writes_the_same_values(seeded: Any, other_world: Any) -> None:
    """Three ways to the same values: the first full materialisation (on PostgreSQL a rebuild of the
    partition), a redo of 7 of the 12 months (a rebuild that keeps the 5 older months' rows as they were)
    and a redo of 2 months (delete and insert in place). Another company's values are never touched."""
    company = seeded.company
    late(other_world.employees["east_rep"], dt.date(2026, 6, 3))
    materialise(other_world.company.pk, AS_OF)
    theirs = _values(other_world.company.pk)
    assert theirs
    materialise(company.pk, AS_OF)
    full = _values(company.pk)
    assert {s for _, s, _, _ in full} >= {"late_arrivals", "travel_days", "claims_over_threshold"}
    for months in (7, 2):
        _forget_recent(company.pk, months)
        assert materialise(company.pk, AS_OF, redo=0) == len({v for v in full if v[2] >= _cut(months)})
        assert _values(company.pk) == full
        assert MaterialisedMonth.objects.filter(company=company).count() == HISTORY_MONTHS
    assert _values(other_world.company.pk) == theirs


def test_a_rebuild_keeps_the_older_months_it_does_not_recompute(seeded: Any) -> None:
    """Records changed in a month the rebuild does not redo stay as materialised (the month is kept);
    the months it redoes show the change."""
    company = seeded.company
    east = seeded.employees["east_rep"]
    late(east, dt.date(2026, 2, 3))
    materialise(company.pk, AS_OF)
    late(east, dt.date(2026, 2, 10))  # February: kept (not recomputed) by the next materialisation
    late(east, dt.date(2026, 10, 21))  # October: recomputed
    _forget_recent(company.pk, 7)  # May–November recomputed: 7 of 12, a rebuild on PostgreSQL
    materialise(company.pk, AS_OF, redo=0)
    late_by_month = dict(SignalValue.objects.filter(company=company, employee=east, signal="late_arrivals")
                         .values_list("month", "value"))
    assert late_by_month[dt.date(2026, 10, 1)] == 2  # the seeded late day of 20 October and the new one
    assert late_by_month[dt.date(2026, 2, 1)] == 1  # copied from the old partition, as it was
    assert late_by_month[dt.date(2026, 11, 1)] == 3
    _forget_recent(company.pk, 2)
    late(east, dt.date(2026, 7, 7))  # July: outside the 2 months redone next
    materialise(company.pk, AS_OF, redo=0)
    assert dt.date(2026, 7, 1) not in dict(SignalValue.objects.filter(
        company=company, employee=east, signal="late_arrivals").values_list("month", "value"))


def _cut(months: int) -> dt.date:
    from hrguard.risk.windows import add_months, month_of

    return add_months(month_of(AS_OF), -(months - 1))


def test_the_scan_after_a_reset_recomputes_every_month_identically(rules_on: Any, seeded: Any) -> None:
    company = seeded.company
    first = scan.run(company, as_of=AS_OF)
    before = _values(company.pk)
    assert before and MaterialisedMonth.objects.filter(company=company).count() == HISTORY_MONTHS
    _empty_derived_tables()
    again = scan.run(company, as_of=AS_OF)
    assert MaterialisedMonth.objects.filter(company=company).count() == HISTORY_MONTHS
    assert _values(company.pk) == before
    assert again.signal_rows == first.signal_rows == len(before)
    assert again.fired == first.fired


def test_a_failed_materialisation_marks_no_month(seeded: Any, monkeypatch: Any) -> None:
    """The values and the months marked are written in one transaction: a failure part of the way
    through (here the last signal's provider) leaves neither behind, and the next run computes them."""
    specs = registry.signals()
    last = specs[-1]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("provider failed")

    failing = [*specs[:-1], dataclasses.replace(last, monthly=broken, table=None, agg=None, query=None)]
    monkeypatch.setattr(registry, "signals", lambda: failing)
    with pytest.raises(RuntimeError):
        materialise(seeded.company.pk, AS_OF)
    assert not MaterialisedMonth.objects.exists()
    assert not SignalValue.objects.exists()
    monkeypatch.undo()
    assert materialise(seeded.company.pk, AS_OF) > 0
    assert MaterialisedMonth.objects.filter(company=seeded.company).count() == HISTORY_MONTHS


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_session_that_used_temporary_tables_still_materialises(transactional_db: Any, seeded: Any) -> None:
    """The rebuild asks for more temporary buffers; PostgreSQL refuses that once the session has used a
    temporary table with another size. The materialisation goes on with the session's buffers."""
    connection.close()
    with connection.cursor() as cur:
        cur.execute("SET temp_buffers = '9MB'")
        cur.execute("CREATE TEMPORARY TABLE earlier (a int)")
        cur.execute("INSERT INTO earlier VALUES (1)")
    assert materialise(seeded.company.pk, AS_OF) > 0
    assert MaterialisedMonth.objects.filter(company=seeded.company).count() == HISTORY_MONTHS
    connection.close()
