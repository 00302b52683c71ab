"""What payroll needs to close an exit (the ``payroll`` part of ``exit.completed``): the last day, days worked
in the last month, untaken annual leave to pay, the economic compensation when the ground owes it, and what
the employee still owes (advances, loans) or may be owed (claims in approval). Figures come from ``law/``,
the wage history of ``calculators``, the company calendar and the expenses and leave records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hrguard.attendance.calendar import count_days
from hrguard.calculators import selectors as wage_records
from hrguard.core import wages as city_wages
from hrguard.expenses import selectors as expenses
from hrguard.law import leave as leave_law
from hrguard.law import worked
from hrguard.law.termination import GROUNDS, Ground
from hrguard.law.working import MissingWageMonths, average_wage, month_label, wage_window
from hrguard.leave import selectors as leave

WORKDAYS = ("workday",)  # attendance DayKind.WORKDAY


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _annual_leave(employee: Any, last_day: dt.date) -> dict[str, Any]:
    first = employee.work_start_date or employee.hire_date
    earned = leave_law.annual_leave_days_on_leaving(first, employee.hire_date, last_day, 0)
    taken = sum((row.approved for row in leave.balances(employee, last_day.year) if row.leave_type == "annual"),
                Decimal(0))
    unused = max(Decimal(0), Decimal(earned) - taken)
    return {"year": last_day.year, "earned_days": earned, "taken_days": f"{taken:g}", "unused_days": f"{unused:g}",
            "pay_multiple": f"{leave_law.UNUSED_LEAVE_PAY_MULTIPLE:g}",
            "articles": [leave_law.LEAVING_CITATION.zh, leave_law.UNUSED_LEAVE_CITATION.zh]}


def _compensation(exit_: Any, employee: Any) -> dict[str, Any]:
    ground = Ground(exit_.ground)
    info = GROUNDS[ground]
    out: dict[str, Any] = {"due": info.compensation_due, "ground": ground.value, "article": info.citation.zh}
    if not info.compensation_due:
        return out
    start, end = exit_.employment_start, exit_.last_day
    minimum = city_wages.minimum_monthly_wage(exit_.company_id, on=end)
    try:
        wage = average_wage(wage_records.wage_history(employee), wage_window(start, end), minimum)
    except MissingWageMonths as exc:
        return {**out, "amount": None, "missing_wage_months": list(exc.labels)}
    cap = city_wages.compensation_cap_base(exit_.company_id, end_date=end)
    try:
        answer = worked.economic_compensation(ground=ground, monthly_wage=wage.average, start=start, end=end,
                                              local_average_wage=cap, notice_given=not exit_.pay_in_lieu,
                                              wage=wage)
    except worked.CalculationError as exc:
        return {**out, "amount": None, "error": exc.zh}
    f = answer.figures
    return {**out, "kind": f.get("kind"), "amount": money(f.get("amount")),
            "compensation": money(f.get("compensation")), "in_lieu_of_notice": money(f.get("in_lieu_of_notice")),
            "monthly_wage": money(wage.average), "years_counted": str(f.get("years_counted")),
            "cap_applied": bool(f.get("cap_applied")), "wage_months": [month_label(m) for m in wage.months],
            "articles": [c.zh for c in answer.citations]}


def _money_owed(employee: Any) -> dict[str, Any]:
    o = expenses.outstanding_for(employee)
    return {"advances": money(o.advances), "loans": money(o.loans), "total_owed_by_employee": money(o.total),
            "items": [{"id": i.id, "kind": i.kind, "purpose": i.purpose, "issued_on": i.issued_on.isoformat(),
                       "amount": money(i.amount), "repaid": money(i.repaid), "outstanding": money(i.outstanding)}
                      for i in o.items],
            "pending_claims": o.pending_claims, "pending_claims_amount": money(o.pending_claims_amount)}


def final_pay(exit_: Any) -> dict[str, Any]:
    employee, last = exit_.employee, exit_.last_day
    month_start = max(last.replace(day=1), employee.hire_date)
    worked_days = count_days(exit_.company_id, month_start, last, WORKDAYS)
    month_end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    month_days = count_days(exit_.company_id, last.replace(day=1), month_end, WORKDAYS)
    return {
        "last_day": last.isoformat(),
        "last_month": {"from": month_start.isoformat(), "to": last.isoformat(), "workdays_worked": worked_days,
                       "workdays_in_month": month_days},
        "unused_annual_leave": _annual_leave(employee, last),
        "economic_compensation": _compensation(exit_, employee),
        "outstanding": _money_owed(employee),
    }
