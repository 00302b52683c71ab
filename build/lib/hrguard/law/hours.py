"""Working hours, overtime limits and overtime pay (Labor Law Art. 36, 38, 41, 44; State Council Provisions on
Employees' Working Hours Art. 3), and wage conversion to daily/hourly rates (MOLSS 2008 No. 3)."""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal

from .citations import LABOR_LAW, WAGE_CONVERSION_NOTICE, WORKING_HOURS_REGULATION, Violation, cite, violation

ART_36 = cite(LABOR_LAW, "36", "Working day ≤ 8 hours, average week ≤ 44 hours (tightened to 40 hours by the "
              "State Council Provisions).")
ART_38 = cite(LABOR_LAW, "38", "At least one rest day a week.")
ART_41 = cite(LABOR_LAW, "41", "Overtime normally ≤ 1 hour a day; for special reasons ≤ 3 hours a day and "
              "≤ 36 hours a month.")
ART_44 = cite(LABOR_LAW, "44", "Overtime pay ≥ 150% of the wage; rest-day work without compensatory time off "
              "≥ 200%; statutory holiday work ≥ 300%.")
STATE_COUNCIL_ART_3 = cite(WORKING_HOURS_REGULATION, "3", "Employees work 8 hours a day and 40 hours a week.")
WAGE_CONVERSION = cite(WAGE_CONVERSION_NOTICE, "2", "Monthly pay days 21.75; daily wage = monthly wage ÷ 21.75; "
                       "hourly wage = daily wage ÷ 8.")

DAILY_HOURS = 8  # State Council Provisions Art. 3 (and Labor Law Art. 36)
WEEKLY_HOURS = 40  # State Council Provisions Art. 3
WEEKLY_HOURS_LABOR_LAW = 44  # Labor Law Art. 36 (superseded by the 40-hour week)
MIN_REST_DAYS_PER_WEEK = 1  # Labor Law Art. 38
DAILY_OVERTIME_LIMIT_HOURS = 1  # Labor Law Art. 41, normally
DAILY_OVERTIME_LIMIT_SPECIAL_HOURS = 3  # Labor Law Art. 41, special reasons
MONTHLY_OVERTIME_LIMIT_HOURS = 36  # Labor Law Art. 41
MONTHLY_PAY_DAYS = Decimal("21.75")  # MOLSS 2008 No. 3


class OvertimeKind(enum.StrEnum):
    WORKDAY = "workday"  # extended working day: 150%
    REST_DAY = "rest_day"  # rest day without compensatory time off: 200%
    HOLIDAY = "holiday"  # statutory holiday: 300%


OVERTIME_RATES: dict[OvertimeKind, Decimal] = {  # Labor Law Art. 44 (minimum rates)
    OvertimeKind.WORKDAY: Decimal("1.5"),
    OvertimeKind.REST_DAY: Decimal("2"),
    OvertimeKind.HOLIDAY: Decimal("3"),
}


def overtime_pay(
    hourly_wage: Decimal, hours: Decimal | int, kind: OvertimeKind | str, *, comp_time_given: bool = False
) -> Decimal:
    """Minimum pay for ``hours`` of overtime of ``kind`` (Art. 44). Rest-day work compensated with time off
    (``comp_time_given``) needs no overtime pay; holiday work is always paid at 300%."""
    kind = OvertimeKind(kind)
    if hours < 0 or hourly_wage < 0:
        raise ValueError("hours and wage must not be negative")
    if kind == OvertimeKind.REST_DAY and comp_time_given:
        return Decimal("0.00")
    return (hourly_wage * Decimal(hours) * OVERTIME_RATES[kind]).quantize(Decimal("0.01"), ROUND_HALF_UP)


def daily_wage(monthly_wage: Decimal) -> Decimal:
    """MOLSS 2008 No. 3: monthly wage ÷ 21.75 (unrounded; round the final amount)."""
    return monthly_wage / MONTHLY_PAY_DAYS


def hourly_wage(monthly_wage: Decimal) -> Decimal:
    """MOLSS 2008 No. 3: daily wage ÷ 8 (unrounded; round the final amount)."""
    return daily_wage(monthly_wage) / DAILY_HOURS


def overtime_violations(day_hours: list[Decimal | int], *, special: bool = False) -> list[Violation]:
    """Art. 41 limits for one month's daily overtime hours. ``special``: the Art. 41 special reasons apply
    (≤ 3 h a day); otherwise the normal ≤ 1 h a day. Art. 42 emergencies are outside these limits."""
    daily_limit = DAILY_OVERTIME_LIMIT_SPECIAL_HOURS if special else DAILY_OVERTIME_LIMIT_HOURS
    out: list[Violation] = []
    over = [i + 1 for i, h in enumerate(day_hours) if h > daily_limit]
    if over:
        days = ", ".join(str(d) for d in over)
        out.append(violation("overtime.daily", f"第{days}天加班超过每日{daily_limit}小时",
                             f"Overtime over {daily_limit} h/day on day(s) {days}", ART_41))
    total = sum(day_hours, Decimal(0))
    if total > MONTHLY_OVERTIME_LIMIT_HOURS:
        out.append(violation("overtime.monthly", f"当月加班{total}小时，超过每月{MONTHLY_OVERTIME_LIMIT_HOURS}小时",
                             f"{total} h overtime this month, over {MONTHLY_OVERTIME_LIMIT_HOURS} h", ART_41))
    return out


ALL_CITATIONS = (ART_36, ART_38, ART_41, ART_44, STATE_COUNCIL_ART_3, WAGE_CONVERSION)
