"""The scan at scale: its number of queries does not grow with the employees or their records, one pass
per record table, and the evaluation that looks only at people with values still decides everyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrguard.risk import scan
from hrguard.risk.expressions import parsed_ok
from hrguard.risk.materialise import materialise
from hrguard.risk.models import Alert, MaterialisedMonth, SignalValue

from .conftest import AS_OF, claim, late, trip


def _names(seeded: Any, expression: str, purposes: tuple[str, ...] = ("finance",)) -> set[str]:
    materialise(seeded.company.pk, AS_OF)
    people = scan._current(seeded.company.pk)
    hits = scan.evaluate(seeded.company.pk, parsed_ok(expression), purposes, AS_OF, people)
    by_id = {e.pk: e.name for e in seeded.employees.values()}
    return {by_id[h.employee_id] for h in hits}


def test_rules_that_hold_without_own_values_still_reach_everyone(seeded: Any) -> None:
    """Employees without any value of their own are decided once per department: a rule true for the
    defaults fires for them too (张测试 and 欧阳娜娜 were late in the 14 days)."""
    assert _names(seeded, 'late_arrivals("14d") < 1') == {"王经理", "李工程"}
    # travel baselines: 欧阳娜娜 2 days a month, 李工程 4 → 销售部 (2 + 0) / 2 = 1, 研发部 4, 华东组 0
    assert _names(seeded, 'dept_baseline("travel_days") >= 1') == {"王经理", "欧阳娜娜", "李工程"}
    assert _names(seeded, 'travel_days("1m") > 2.0 * dept_baseline("travel_days")') == {"欧阳娜娜"}
    assert _names(seeded, 'travel_days("1m") >= 100') == set()


def _scan_queries(seeded: Any) -> tuple[int, int]:
    MaterialisedMonth.objects.all().delete()
    SignalValue.objects.all().delete()
    Alert.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        result = scan.run(seeded.company, as_of=AS_OF)
    return len(ctx.captured_queries), len(result.raised)


def test_query_count_does_not_grow_with_employees(rules_on: Any, seeded: Any) -> None:
    from hrguard.people.models import Employee

    _scan_queries(seeded)  # on PostgreSQL the first scan creates the company's partition; later ones swap it
    small, raised_small = _scan_queries(seeded)
    e = seeded.employees["east_rep"]
    more = Employee.objects.bulk_create([
        Employee(company=seeded.company, employee_no=f"X{n:03d}", name=f"员工{n}", department=e.department,
                 department_path=e.department_path, hire_date=dt.date(2020, 1, 6)) for n in range(30)])
    for person in more:  # each late 3 times in the 14 days, travelling and claiming all year
        for day in (10, 12, 16):
            late(person, AS_OF.replace(day=day))
        for month in range(1, 12):
            trip(person, dt.date(2026, month, 3), 2)
            claim(person, dt.date(2026, month, 5), "6100.00")
    large, raised_large = _scan_queries(seeded)
    assert raised_large >= raised_small + 60  # the 30 fire the late and the claims rules
    assert large == small
