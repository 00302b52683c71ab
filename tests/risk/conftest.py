"""Seeded records for early warning (fixed dates; the scan day is AS_OF).

* 张测试 (east_rep): 3 late arrivals within the 14 days before AS_OF; expense claims over the threshold in
  September, October and November;
* 欧阳娜娜 (sales_rep): 2 late arrivals (below the threshold); travel 2 days a month May–October, 5 days in
  November (≥ 3 and ≥ 1.3 × baseline 2);
* 李工程 (engineer): travel 4 days a month May–October, 5 days in November (< 1.3 × 4: no alert);
* 王经理 (sales_manager): nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

AS_OF = dt.date(2026, 11, 20)


def late(employee: Any, day: dt.date) -> None:
    from hrguard.attendance.models import AttendanceDay

    AttendanceDay.objects.create(company_id=employee.company_id, employee=employee, date=day, day_kind="workday",
                                 status="late", punches=2, first_minute=560, last_minute=1080, late_minutes=20)


def trip(employee: Any, start: dt.date, days: int) -> None:
    from hrguard.expenses.models import Trip

    Trip.objects.create(company_id=employee.company_id, employee=employee, start_date=start,
                        end_date=start + dt.timedelta(days=days - 1), destination="上海", purpose="拜访客户",
                        status="approved")


def claim(employee: Any, day: dt.date, amount: str) -> None:
    from hrguard.expenses.models import ExpenseClaim

    ExpenseClaim.objects.create(company_id=employee.company_id, employee=employee, category="lodging", spent_on=day,
                                amount=Decimal(amount), description="酒店", status="approved")


@pytest.fixture
def seeded(world: Any) -> Any:
    e = world.employees
    for d in (dt.date(2026, 11, 9), dt.date(2026, 11, 12), dt.date(2026, 11, 18)):
        late(e["east_rep"], d)
    late(e["east_rep"], dt.date(2026, 10, 20))  # outside the 14 days
    for d in (dt.date(2026, 11, 10), dt.date(2026, 11, 17)):
        late(e["sales_rep"], d)
    for month in range(5, 11):
        trip(e["sales_rep"], dt.date(2026, month, 5), 2)
        trip(e["engineer"], dt.date(2026, month, 5), 4)
    trip(e["sales_rep"], dt.date(2026, 11, 2), 5)
    trip(e["engineer"], dt.date(2026, 11, 2), 5)
    for month in (9, 10, 11):
        claim(e["east_rep"], dt.date(2026, month, 3), "6200.00")
    claim(e["sales_rep"], dt.date(2026, 10, 3), "7000.00")  # one month only
    claim(e["sales_rep"], dt.date(2026, 11, 3), "300.00")
    return world


@pytest.fixture
def rules_on(seeded: Any) -> Any:
    from hrguard.risk.defaults import ensure_default_rules

    return {r.key: r for r in ensure_default_rules(seeded.company, active=True)}
