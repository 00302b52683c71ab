"""Local wage figures (``LocalWage``) the law calculators need, looked up per company and city.

``figure(company, kind, year=…, month=…, city=…)`` is the figure in force in that month: the latest row of
that city and kind from that month or earlier (``None`` when the company has entered none). The city
defaults to the company's. ``compensation_cap_base`` is what LCL Art. 47 caps on: the local average monthly
wage of the year before the employment ends (上年度职工月平均工资)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q

from .models import Company, LocalWage, WageKind


def _city(company_id: int, city: str | None) -> str:
    if city is None:  # the company's city as stored now (a Company instance in hand may be stale)
        city = Company.objects.filter(pk=company_id).values_list("city", flat=True).first() or ""
    return city.strip()


def figure(company: Any, kind: str, *, year: int, month: int = 12, city: str | None = None) -> Decimal | None:
    company_id = int(getattr(company, "pk", company))
    city = _city(company_id, city)
    if not city:
        return None
    return (
        LocalWage.objects.filter(company_id=company_id, city=city, kind=kind)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .order_by("-year", "-month")
        .values_list("amount", flat=True)
        .first()
    )


def average_monthly_wage(company: Any, *, year: int, city: str | None = None) -> Decimal | None:
    """The average monthly wage published for ``year`` (the row in force at that year's end)."""
    return figure(company, WageKind.AVERAGE_MONTHLY, year=year, month=12, city=city)


def minimum_monthly_wage(company: Any, *, on: dt.date, city: str | None = None) -> Decimal | None:
    return figure(company, WageKind.MINIMUM_MONTHLY, year=on.year, month=on.month, city=city)


def compensation_cap_base(company: Any, *, end_date: dt.date, city: str | None = None) -> Decimal | None:
    """The local average monthly wage LCL Art. 47 compares with: that of the year before ``end_date``."""
    return average_monthly_wage(company, year=end_date.year - 1, city=city)


def table(company_id: int) -> Any:
    """Every wage row of a company, for the settings page (city, kind, newest first)."""
    return LocalWage.objects.filter(company_id=company_id).order_by("city", "kind", "-year", "-month")
