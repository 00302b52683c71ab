"""Calculator fixtures: the company's city and wage tables, an employee's wage history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture
def city_tables(world: Any) -> Any:
    from hrguard.core.models import LocalWage

    company = world.company
    company.city = "上海"
    company.save(update_fields=["city"])
    LocalWage.objects.create(company=company, city="上海", kind="average", year=2025, month=1, amount=Decimal(9000))
    LocalWage.objects.create(company=company, city="上海", kind="minimum", year=2025, month=7, amount=Decimal(2690))
    return company


def give_wages(employee: Any, months: list[tuple[int, int]], amount: Decimal) -> None:
    from hrguard.calculators.models import WageMonth

    WageMonth.objects.bulk_create([WageMonth(company_id=employee.company_id, employee=employee, year=y, month=m,
                                             amount=amount) for y, m in months])


def twelve_months(last: tuple[int, int]) -> list[tuple[int, int]]:
    y, m = last
    out = []
    for _ in range(12):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]
