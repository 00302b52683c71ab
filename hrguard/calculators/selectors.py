"""Tenant-scoped reads of the wage history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from hrguard.law.working import Month

from .models import WageMonth


def wage_months(user: Any, *, employee_id: int | None = None) -> QuerySet[WageMonth]:
    qs = WageMonth.objects.filter(company_id=user.company_id)
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    return qs.select_related("employee")


def wage_history(employee: Any) -> dict[Month, Decimal]:
    """{(year, month): amount} of one employee (their company's rows only): one query."""
    rows = WageMonth.objects.filter(company_id=employee.company_id, employee_id=employee.pk)
    return {(y, m): a for y, m, a in rows.values_list("year", "month", "amount")}
