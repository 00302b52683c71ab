"""The derived tables (SignalValue, MaterialisedMonth): a month is never marked materialised without its
values. On PostgreSQL both are UNLOGGED, and a crash empties unlogged tables: both must be unlogged
together (one emptied and the other kept would leave months marked without values, or values of months
the scan thinks missing), and the scan after such a reset recomputes every month, to the same values."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import connection

from hrguard.risk import registry, scan
from hrguard.risk.materialise import HISTORY_MONTHS, materialise
from hrguard.risk.models import MaterialisedMonth, SignalValue

from .conftest import AS_OF


def _values(company_id: int) -> set[tuple[Any, ...]]:
    return set(SignalValue.objects.filter(company_id=company_id)
               .values_list("employee_id", "signal", "month", "value"))


def _empty_derived_tables() -> None:
    """What crash recovery does to unlogged tables: they come back empty. (DELETE, not TRUNCATE: inside
    the test's transaction MaterialisedMonth's deferred foreign-key checks are still pending.)"""
    with connection.cursor() as cur:
        for model in (SignalValue, MaterialisedMonth):
            cur.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_both_derived_tables_are_unlogged_on_postgresql(db: Any) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT relname, relpersistence FROM pg_class WHERE relname IN (%s, %s)",
                    [SignalValue._meta.db_table, MaterialisedMonth._meta.db_table])
        persistence = dict(cur.fetchall())
    assert persistence == {SignalValue._meta.db_table: "u", MaterialisedMonth._meta.db_table: "u"}


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
