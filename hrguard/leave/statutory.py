"""ADAPTER to ``hrguard.law`` — the one place where the leave app reads statutory numbers.

Nothing statutory is defined here: every figure (annual-leave entitlement, maternity leave days) comes
from ``hrguard/law/`` with its article cited there. This module only adapts the law functions to what
leave needs (Decimal days, a citation text for the UI); the overtime limits are in
``hrguard/attendance/statutory.py``.

When this was written ``hrguard/law/hours.py`` and ``hrguard/law/leave.py`` did not exist yet; the names
used below are the ones requested from the law module (rename here, in this one place, if it lands
with other names):
  leave.annual_leave_days_for_year(first_work_date, hire_date, year) -> int (5/10/15, Regulation on Paid
  Annual Leave Art. 3, pro-rated for new hires), leave.cumulative_years(first_work_date, on) -> int,
  leave.ANNUAL_LEAVE_CITATION (Citation), leave.maternity_leave_days(max_case=True) -> int,
  leave.MATERNITY_CITATION (Citation).
Imports are lazy so the rest of the app works while the law module is incomplete."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import LeaveType


def _leave() -> Any:
    from hrguard.law import leave

    return leave


def annual_leave_entitlement(employee: Any, year: int) -> tuple[Decimal, str]:
    """Statutory annual leave days of ``employee`` for ``year`` and the rule applied (for the UI)."""
    first_work = employee.work_start_date or employee.hire_date
    days = _leave().annual_leave_days_for_year(first_work, employee.hire_date, year)
    years = _leave().cumulative_years(first_work, dt.date(year, 12, 31))
    basis = _("%(citation)s: %(years)s years of cumulative work") % {
        "citation": _leave().ANNUAL_LEAVE_CITATION.zh, "years": years,
    }
    return Decimal(days), basis


def counts_calendar_days(leave_type: str) -> bool:
    """Whether a leave kind runs in calendar days (rest days and holidays included)."""
    return leave_type == LeaveType.MATERNITY


def max_leave_days(employee: Any, leave_type: str) -> tuple[Decimal, str] | None:
    """Upper bound of one request of this kind where the statute sets one, with its citation."""
    if leave_type == LeaveType.MATERNITY:
        # Provinces extend maternity leave by local regulation; the extension for the company's city is
        # configuration (HRGUARD_MATERNITY_LOCAL_EXTRA_DAYS = {"<city>": days}), never a guess here.
        from django.conf import settings

        city = getattr(getattr(employee, "company", None), "city", "") or ""
        local = int(getattr(settings, "HRGUARD_MATERNITY_LOCAL_EXTRA_DAYS", {}).get(city, 0))
        days = _leave().maternity_leave_days(max_case=True, local_extra_days=local)
        return Decimal(days), str(_leave().MATERNITY_CITATION.zh)
    return None
