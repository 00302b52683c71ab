"""Labor contract rules: contract types, probation limits (Art. 19), probation wage floor (Art. 20)."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from decimal import Decimal

from .citations import Citation, Violation, lcl


class ContractType(enum.StrEnum):
    """Art. 12: fixed-term, open-ended, and for the completion of a given task."""

    FIXED_TERM = "fixed_term"  # 固定期限 (Art. 13)
    OPEN_ENDED = "open_ended"  # 无固定期限 (Art. 14)
    TASK_BASED = "task_based"  # 以完成一定工作任务为期限 (Art. 15)


ART_19 = lcl("19", "Probation: ≤1 month for 3 months–<1 year, ≤2 months for 1–<3 years, ≤6 months for ≥3 years "
             "or open-ended; none for task-based or <3-month contracts; one probation per employer and employee.")
ART_20 = lcl("20", "Probation wage ≥ 80% of the contract wage (or the lowest wage of the same post) and ≥ the "
             "local minimum wage.")

# Art. 19 thresholds, in months of contract term → maximum probation months.
MIN_TERM_FOR_PROBATION_MONTHS = 3
PROBATION_LIMITS: tuple[tuple[int, int], ...] = ((12, 1), (36, 2))  # term < 12 → 1; term < 36 → 2
PROBATION_LIMIT_LONG = 6  # ≥ 3 years or open-ended
PROBATION_WAGE_FLOOR = Decimal("0.8")  # Art. 20: 80 %
ART_22 = lcl("22", "Service period after employer-paid special training: the penalty for leaving early may not "
             "exceed the training cost, prorated to the unserved part of the service period.")


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month ``months`` later, clamped to the month's end (2024-01-31 + 1 → 2024-02-29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_months(start: dt.date, end: dt.date) -> float:
    """Contract term in months, counting both start and end days (2025-01-01..2025-12-31 = 12)."""
    after = end + dt.timedelta(days=1)
    whole = (after.year - start.year) * 12 + (after.month - start.month)
    if add_months(start, whole) > after:
        whole -= 1
    rest = (after - add_months(start, whole)).days
    return whole + rest / 31


def max_probation_months(contract_type: ContractType, start: dt.date, end: dt.date | None) -> int:
    """Art. 19 maximum probation for a contract."""
    if contract_type == ContractType.TASK_BASED:
        return 0
    if contract_type == ContractType.OPEN_ENDED or end is None:
        return PROBATION_LIMIT_LONG
    months = term_months(start, end)
    if months < MIN_TERM_FOR_PROBATION_MONTHS:
        return 0
    for below, limit in PROBATION_LIMITS:
        if months < below:
            return limit
    return PROBATION_LIMIT_LONG


def validate_probation(
    contract_type: ContractType,
    start: dt.date,
    end: dt.date | None,
    probation_months: int,
    *,
    prior_probation: bool = False,
) -> list[Violation]:
    """Statutory problems with a proposed probation period (empty list if lawful)."""
    if probation_months <= 0:
        return []
    out: list[Violation] = []
    if prior_probation:
        out.append(
            Violation(
                "probation.repeat",
                "同一用人单位与同一劳动者只能约定一次试用期（依据《劳动合同法》第十九条）",
                "An employer may agree on probation with the same employee only once (Labor Contract Law Art. 19).",
                ART_19,
            )
        )
    limit = max_probation_months(contract_type, start, end)
    if limit == 0:
        task = contract_type == ContractType.TASK_BASED
        why_zh = "以完成一定工作任务为期限的劳动合同" if task else "期限不满三个月的劳动合同"
        why_en = "a task-based contract" if contract_type == ContractType.TASK_BASED else "a contract under 3 months"
        out.append(
            Violation(
                "probation.not_allowed",
                f"{why_zh}不得约定试用期（依据《劳动合同法》第十九条）",
                f"No probation may be agreed for {why_en} (Labor Contract Law Art. 19).",
                ART_19,
            )
        )
    elif probation_months > limit:
        out.append(
            Violation(
                "probation.too_long",
                f"该合同期限下试用期最长{limit}个月，填写了{probation_months}个月（依据《劳动合同法》第十九条）",
                f"Probation may be at most {limit} month(s) for this contract term, got {probation_months} "
                "(Labor Contract Law Art. 19).",
                ART_19,
            )
        )
    return out


def validate_probation_wage(
    probation_wage: Decimal, contract_wage: Decimal, local_min_wage: Decimal | None = None
) -> list[Violation]:
    """Art. 20 floor: 80 % of the contract wage and not below the local minimum wage (local figure)."""
    out: list[Violation] = []
    floor = (contract_wage * PROBATION_WAGE_FLOOR).quantize(Decimal("0.01"))
    if probation_wage < floor:
        out.append(
            Violation(
                "probation_wage.below_80",
                f"试用期工资不得低于合同工资的80%（{floor}元）（依据《劳动合同法》第二十条）",
                f"Probation wage must be at least 80% of the contract wage ({floor}) (Labor Contract Law Art. 20).",
                ART_20,
            )
        )
    if local_min_wage is not None and probation_wage < local_min_wage:
        out.append(
            Violation(
                "probation_wage.below_minimum",
                f"试用期工资不得低于当地最低工资标准（{local_min_wage}元）（依据《劳动合同法》第二十条）",
                f"Probation wage must not be below the local minimum wage ({local_min_wage}) "
                "(Labor Contract Law Art. 20).",
                ART_20,
            )
        )
    return out


def service_period_penalty_cap(training_cost: Decimal, service_days: int, served_days: int) -> Decimal:
    """Art. 22: the most an employee who leaves during an agreed service period can be made to pay — the training
    cost attributable to the part of the period not yet served."""
    if service_days <= 0:
        return Decimal("0.00")
    unserved = min(max(service_days - served_days, 0), service_days)
    return (training_cost * unserved / service_days).quantize(Decimal("0.01"))


__all__ = [
    "ART_19", "ART_20", "ART_22", "Citation", "ContractType", "Violation", "add_months", "max_probation_months",
    "service_period_penalty_cap", "term_months", "validate_probation", "validate_probation_wage",
]
