"""The calculators' services: statutory figures with their working, for an employee (hire date, wage history,
the company's city tables) or for explicit inputs; and the wage history they read.

Calculations change nothing (no evidence event); recording wages does (one transaction, an evidence event).
Every function is keyword-only, checks ``calculators.calculate`` / ``calculators.manage_wages`` and raises
``django.core.exceptions.ValidationError`` by field (messages in the active language) for bad input — a
missing wage month is named (``wages``: "缺少以下月份的工资：2025-03、2025-04")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrguard.core import wages as city_wages
from hrguard.evidence.services import record
from hrguard.law import worked
from hrguard.law.citations import Violation
from hrguard.law.compensation import ART_47
from hrguard.law.contracts import ContractType
from hrguard.law.termination import Ground
from hrguard.law.working import MissingWageMonths, Month, WageAverage, average_wage, month_label, wage_window
from hrguard.platform.errors import require

from . import selectors
from .models import WageMonth
from .wage_import import ImportReport, parse_wage_rows


def _zh() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def _invalid(exc: worked.CalculationError) -> ValidationError:
    return ValidationError({exc.field: [exc.zh if _zh() else exc.en]})


def missing_months_error(exc: MissingWageMonths) -> ValidationError:
    months = "、".join(exc.labels) if _zh() else ", ".join(exc.labels)
    return ValidationError({"wages": [_("Wages are missing for these months: %(months)s. Record them in the wage "
                                        "history or enter the monthly wage.") % {"months": months}]},
                           code="missing_months", params={"months": exc.labels})


def _warning(code: str, zh: str, en: str) -> Violation:
    return Violation(code, zh, en, ART_47)


def _monthly_wage(*, employee: Any, start: dt.date, end: dt.date, wages: Mapping[Month, Decimal] | None,
                  minimum: Decimal | None) -> WageAverage:
    history = dict(wages) if wages is not None else selectors.wage_history(employee) if employee else {}
    try:
        window = wage_window(start, end)
        return average_wage(history, window, minimum)
    except MissingWageMonths as exc:
        raise missing_months_error(exc) from None
    except ValueError:
        raise ValidationError({"end_date": [_("The last day cannot be before the hire date.")]}) from None


def compute_compensation(
    *, actor: Any, ground: Ground | str, employee: Any = None, start_date: dt.date | None = None,
    end_date: dt.date | None = None, service_months: int | None = None, monthly_wage: Decimal | None = None,
    wages: Mapping[Month, Decimal] | None = None, local_average_wage: Decimal | None = None,
    city: str | None = None, unlawful: bool = False, notice_given: bool = True,
    last_month_wage: Decimal | None = None,
) -> worked.Answer:
    """N / N+1 / 2N. With ``employee``: the hire date and termination date (if not given), the wage history
    (Regulation Art. 27 window) and the city's average wage of the prior year (the Art. 47 cap) are read."""
    require(actor, "calculators.calculate")
    if employee is not None:
        start_date = start_date or employee.hire_date
        end_date = end_date or employee.termination_date
        if end_date is None and service_months is None:
            raise ValidationError({"end_date": [_("Enter the last working day.")]})
    company = actor.company_id
    wage_steps: WageAverage | None = None
    warnings: list[Violation] = []
    if monthly_wage is None:
        if start_date is None or end_date is None or (employee is None and wages is None):
            raise ValidationError({"monthly_wage": [_("Enter the monthly wage, or choose an employee with a wage "
                                                      "history.")]})
        minimum = city_wages.minimum_monthly_wage(company, on=end_date, city=city or None)
        wage_steps = _monthly_wage(employee=employee, start=start_date, end=end_date, wages=wages, minimum=minimum)
        monthly_wage = wage_steps.average
        if last_month_wage is None and wage_steps.months:
            history = dict(wages) if wages is not None else selectors.wage_history(employee)
            last_month_wage = history.get(wage_steps.months[-1])
    if local_average_wage is None and end_date is not None:
        local_average_wage = city_wages.compensation_cap_base(company, end_date=end_date, city=city or None)
    if local_average_wage is None:
        warnings.append(_warning("cap.unknown", "未配置当地上年度职工月平均工资，未检查三倍封顶（请在设置中录入）",
                                 "No local average wage configured: the 3× cap was not checked"))
    try:
        answer = worked.economic_compensation(
            ground=ground, monthly_wage=monthly_wage, start=start_date, end=end_date, service_months=service_months,
            local_average_wage=local_average_wage, unlawful=unlawful, notice_given=notice_given,
            last_month_wage=last_month_wage, wage=wage_steps)
    except worked.CalculationError as exc:
        raise _invalid(exc) from None
    figures = {**answer.figures, "local_average_wage": local_average_wage,
               "wage_months": [month_label(m) for m in wage_steps.months] if wage_steps else []}
    return replace(answer, figures=figures, warnings=(*answer.warnings, *warnings))


def compute_last_day(*, actor: Any, notice_date: dt.date, kind: str = "resignation", employee: Any = None,
                     in_probation: bool | None = None, proposed_last_day: dt.date | None = None) -> worked.Answer:
    """The last working day after a written notice (Art. 37: 30 days, 3 in probation; Art. 40: 30 days)."""
    require(actor, "calculators.calculate")
    if in_probation is None:
        in_probation = bool(employee is not None and employee.status == "probation")
    try:
        return worked.last_working_day(notice_date, kind=kind, in_probation=in_probation,
                                       proposed_last_day=proposed_last_day)
    except worked.CalculationError as exc:
        raise _invalid(exc) from None


def compute_probation(*, actor: Any, contract_type: str, start_date: dt.date, end_date: dt.date | None = None,
                      proposed_months: int | None = None, prior_probation: bool = False) -> worked.Answer:
    require(actor, "calculators.calculate")
    try:
        return worked.probation_limit(ContractType(contract_type), start_date, end_date,
                                      proposed_months=proposed_months, prior_probation=prior_probation)
    except worked.CalculationError as exc:
        raise _invalid(exc) from None


def compute_annual_leave(*, actor: Any, year: int, employee: Any = None, first_work_date: dt.date | None = None,
                         hire_date: dt.date | None = None, last_day: dt.date | None = None,
                         taken_days: int = 0) -> worked.Answer:
    require(actor, "calculators.calculate")
    if employee is not None:
        hire_date = hire_date or employee.hire_date
        first_work_date = first_work_date or employee.work_start_date or employee.hire_date
    if hire_date is None:
        raise ValidationError({"hire_date": [_("Enter the hire date.")]})
    first_work_date = first_work_date or hire_date
    try:
        return worked.annual_leave(first_work_date, hire_date, year, last_day=last_day, taken_days=taken_days)
    except worked.CalculationError as exc:
        raise _invalid(exc) from None


def compute_noncompete(*, actor: Any, months: int = 24, employee: Any = None, end_date: dt.date | None = None,
                       average_monthly_wage: Decimal | None = None, minimum_wage: Decimal | None = None,
                       agreed_monthly: Decimal | None = None, city: str | None = None) -> worked.Answer:
    """Non-compete compensation: agreed, or 30% of the 12-month average (from the wage history when an employee
    is given), not below the city's minimum wage; the 3-month release payment."""
    require(actor, "calculators.calculate")
    wage_steps: WageAverage | None = None
    if employee is not None and end_date is None:
        end_date = employee.termination_date
    if average_monthly_wage is None and agreed_monthly is None and employee is not None:
        if end_date is None:
            raise ValidationError({"end_date": [_("Enter the last working day.")]})
        wage_steps = _monthly_wage(employee=employee, start=employee.hire_date, end=end_date, wages=None,
                                   minimum=None)
        average_monthly_wage = wage_steps.average
    if minimum_wage is None:
        minimum_wage = city_wages.minimum_monthly_wage(actor.company_id, on=end_date or dt.date.today(),
                                                       city=city or None)
    try:
        answer = worked.noncompete_compensation(months=months, average_monthly_wage=average_monthly_wage,
                                                minimum_wage=minimum_wage, agreed_monthly=agreed_monthly)
    except worked.CalculationError as exc:
        raise _invalid(exc) from None
    if wage_steps is not None:
        answer = replace(answer, steps=(*wage_steps.steps, *answer.steps))
    return replace(answer, figures={**answer.figures, "average_monthly_wage": average_monthly_wage,
                                    "minimum_wage": minimum_wage})


# --- wage history ------------------------------------------------------------------------------------------


@transaction.atomic
def record_wage_month(*, actor: Any, employee: Any, year: int, month: int, amount: Decimal,
                      source: str = "") -> WageMonth:
    require(actor, "calculators.manage_wages")
    if employee.company_id != actor.company_id:
        raise ValidationError({"employee": [_("Unknown employee.")]})
    if not (1990 <= year <= 2200 and 1 <= month <= 12):
        raise ValidationError({"month": [_("Enter a valid month.")]})
    try:
        worked.check_money("amount", amount)
    except worked.CalculationError as exc:
        raise _invalid(exc) from None
    row, _created = WageMonth.objects.update_or_create(
        company_id=actor.company_id, employee=employee, year=year, month=month,
        defaults={"amount": amount, "source": source[:200], "recorded_by": actor})
    record(actor.company, actor, "wage_month.recorded", row,
           {"year": year, "month": month, "amount": str(amount)}, employee=employee)
    return row


def import_wage_months(*, actor: Any, content: bytes, source: str = "") -> ImportReport:
    """An Excel/CSV wage sheet (工号 | 年月 | 应发工资): every row is checked first; with any error nothing is
    saved and the report lists them by row and column. Rows of an existing month replace it."""
    require(actor, "calculators.manage_wages")
    report = parse_wage_rows(actor, content)
    if report.errors:
        return report
    with transaction.atomic():
        WageMonth.objects.bulk_create(
            [WageMonth(company_id=actor.company_id, employee_id=r.employee_id, year=r.year, month=r.month,
                       amount=r.amount, source=source[:200], recorded_by=actor) for r in report.rows],
            update_conflicts=True, unique_fields=["company", "employee", "year", "month"],
            update_fields=["amount", "source", "recorded_by", "recorded_at"], batch_size=500)
        record(actor.company, actor, "wage_month.imported", None,
               {"rows": len(report.rows), "employees": len({r.employee_id for r in report.rows}),
                "source": source[:200]})
    report.saved = len(report.rows)
    return report
