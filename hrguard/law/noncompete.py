"""Non-compete (竞业限制): Labor Contract Law Art. 23–24 and the Supreme People's Court interpretations
(I) Art. 36–40 and (II) Art. 13."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .citations import SPC_LABOR_I, SPC_LABOR_II, Violation, cite, lcl, violation

ART_23 = lcl("23", "Non-compete may be agreed with employees bound to confidentiality; compensation is paid "
             "monthly during the restriction after the contract ends.")
ART_24 = lcl("24", "Only senior managers, senior technical staff and others with confidentiality duties; at "
             "most 2 years after the contract ends.")
SPC_I_36 = cite(SPC_LABOR_I, "36", "No agreed compensation: 30% of the average monthly wage of the last 12 months, "
                "monthly, not below the local minimum wage.")
SPC_I_37 = cite(SPC_LABOR_I, "37", "The non-compete clause survives the termination of the contract.")
SPC_I_38 = cite(SPC_LABOR_I, "38", "Employer fails to pay compensation for 3 months: the employee may cancel.")
SPC_I_39 = cite(SPC_LABOR_I, "39", "The employer may cancel during the restriction; the employee may then claim 3 "
                "extra months' compensation.")
SPC_I_40 = cite(SPC_LABOR_I, "40", "Paying the agreed penalty does not end the non-compete duty.")
SPC_II_13 = cite(SPC_LABOR_II, "13", "A non-compete does not bind an employee who never knew trade secrets or "
                 "confidential information.")

MAX_MONTHS = 24  # Art. 24: 2 years
DEFAULT_COMPENSATION_SHARE = Decimal("0.3")  # SPC (I) Art. 36
UNPAID_MONTHS_FOR_CANCEL = 3  # SPC (I) Art. 38
CANCEL_EXTRA_MONTHS = 3  # SPC (I) Art. 39


class Role(enum.StrEnum):
    """Art. 24: who may be bound."""

    SENIOR_MANAGER = "senior_manager"
    SENIOR_TECHNICAL = "senior_technical"
    CONFIDENTIALITY = "confidentiality"  # others with a confidentiality duty
    OTHER = "other"


def default_monthly_compensation(average_monthly_wage: Decimal, minimum_wage: Decimal | None = None) -> Decimal:
    """SPC (I) Art. 36: 30% of the last 12 months' average wage, not below the local minimum wage."""
    amount = average_monthly_wage * DEFAULT_COMPENSATION_SHARE
    if minimum_wage is not None and amount < minimum_wage:
        amount = minimum_wage
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def check_agreed_compensation(monthly: Decimal, minimum_wage: Decimal | None) -> Violation | None:
    """An agreed monthly compensation below the local minimum wage: the SPC (I) Art. 36 floor (30% of the
    average, not below the minimum) is what a court awards, so a lower agreed figure is refused."""
    if minimum_wage is None or monthly >= minimum_wage:
        return None
    return violation("noncompete.below_minimum",
                     f"竞业限制月补偿{monthly}元低于当地最低工资标准{minimum_wage}元",
                     f"The monthly compensation {monthly} is below the local minimum wage {minimum_wage}", SPC_I_36)


def cancellation_extra(monthly_compensation: Decimal) -> Decimal:
    """SPC (I) Art. 39: the employer cancels during the restriction → 3 extra months' compensation."""
    return (monthly_compensation * CANCEL_EXTRA_MONTHS).quantize(Decimal("0.01"), ROUND_HALF_UP)


def employee_may_cancel(unpaid_months: int) -> bool:
    """SPC (I) Art. 38: 3 months of compensation unpaid for the employer's reasons → the employee may cancel."""
    return unpaid_months >= UNPAID_MONTHS_FOR_CANCEL


@dataclass(frozen=True)
class NonCompeteCheck:
    violations: tuple[Violation, ...]
    monthly_compensation: Decimal | None  # agreed, or the SPC (I) Art. 36 default, if computable
    compensation_is_default: bool
    total_compensation: Decimal | None  # monthly × months


def validate_noncompete(
    role: Role | str,
    duration_months: int,
    *,
    monthly_compensation: Decimal | None = None,
    average_monthly_wage: Decimal | None = None,
    minimum_wage: Decimal | None = None,
    knows_secrets: bool = True,
) -> NonCompeteCheck:
    """Statutory problems with a proposed non-compete, and the compensation it carries.

    No agreed ``monthly_compensation`` is not itself unlawful: the SPC (I) Art. 36 default then applies (30% of
    ``average_monthly_wage``). Local rules may set higher floors for agreed amounts: not checked here."""
    role = Role(role)
    out: list[Violation] = []
    if role == Role.OTHER:
        out.append(violation("noncompete.role", "竞业限制人员限于高级管理人员、高级技术人员和其他负有保密义务的人员",
                             "A non-compete may bind only senior managers, senior technical staff and others with "
                             "confidentiality duties", ART_24))
    if not knows_secrets:
        out.append(violation("noncompete.no_secrets",
                             "劳动者未知悉商业秘密或与知识产权相关的保密事项，竞业限制对其不生效",
                             "The employee never knew trade secrets or confidential matters: the non-compete does "
                             "not bind them", SPC_II_13))
    if duration_months > MAX_MONTHS:
        out.append(violation("noncompete.too_long", f"竞业限制期限不得超过二年，约定了{duration_months}个月",
                             f"A non-compete may last at most 2 years, got {duration_months} months", ART_24))
    if duration_months <= 0:
        out.append(violation("noncompete.no_duration", "竞业限制期限必须为正数", "The duration must be positive",
                             ART_24))
    is_default = monthly_compensation is None
    monthly = monthly_compensation
    if monthly is None and average_monthly_wage is not None:
        monthly = default_monthly_compensation(average_monthly_wage, minimum_wage)
    months = min(max(duration_months, 0), MAX_MONTHS)
    total = (monthly * months).quantize(Decimal("0.01")) if monthly is not None else None
    return NonCompeteCheck(tuple(out), monthly, is_default, total)


ALL_CITATIONS = (ART_23, ART_24, SPC_I_36, SPC_I_37, SPC_I_38, SPC_I_39, SPC_I_40, SPC_II_13)
