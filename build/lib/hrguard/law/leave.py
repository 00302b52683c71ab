"""Statutory leave: paid annual leave (Regulation on Paid Annual Leave of Employees and its Implementation
Measures for enterprises) and maternity leave (Special Rules on the Labor Protection of Female Employees).

LAW.md does not list these; the figures below are the national statutes' own numbers, cited article by
article. Marriage and bereavement leave are set locally and are not encoded here.

Annual leave is counted day by day: each calendar day employed here in the year earns 1/365 of the yearly
entitlement for the employee's cumulative work on that day (0 before one full year of work), and the sum is
rounded down to whole days. For a new hire this is exactly the Implementation Measures Art. 5 formula
(remaining calendar days ÷ 365 × yearly days); applying the same calendar-day method when the employee
completes 1, 10 or 20 years mid-year is this module's reading, flagged ``unconfirmed`` in ``TIER_CHANGE``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .citations import ANNUAL_LEAVE_MEASURES, ANNUAL_LEAVE_REGULATION, FEMALE_EMPLOYEE_PROTECTION, cite
from .contracts import add_months

ANNUAL_LEAVE_CITATION = cite(ANNUAL_LEAVE_REGULATION, "3", "Paid annual leave: 5 days for ≥1 and <10 years of "
                             "cumulative work, 10 days for ≥10 and <20 years, 15 days for ≥20 years.")
ANNUAL_LEAVE_EXCLUSIONS = cite(ANNUAL_LEAVE_REGULATION, "4", "No annual leave that year: school vacation longer "
                               "than the leave; ≥20 days' personal leave without pay deduction; sick leave of "
                               "≥2 / ≥3 / ≥4 months for <10 / <20 / ≥20 years of cumulative work.")
UNUSED_LEAVE_CITATION = cite(ANNUAL_LEAVE_REGULATION, "5", "Untaken annual leave is paid at 300% of the daily "
                             "wage (Implementation Measures Art. 10: including the normal wage).")
ELIGIBILITY_CITATION = cite(ANNUAL_LEAVE_MEASURES, "3", "Paid annual leave after 12 months of continuous work.")
CUMULATIVE_CITATION = cite(ANNUAL_LEAVE_MEASURES, "4", "Cumulative work counts work for any employer and periods "
                           "treated as work by law.")
NEW_HIRE_CITATION = cite(ANNUAL_LEAVE_MEASURES, "5", "New hire: remaining calendar days in the year ÷ 365 × "
                         "yearly days, fractions of a day dropped.")
LEAVING_CITATION = cite(ANNUAL_LEAVE_MEASURES, "12", "Leaving: days elapsed ÷ 365 × yearly days − days already "
                        "taken, fractions dropped; excess leave taken is not clawed back.")
TIER_CHANGE = cite(ANNUAL_LEAVE_MEASURES, "5", "Reading: a mid-year change of entitlement is pro-rated by "
                   "calendar days like a new hire.", unconfirmed=True)
MATERNITY_CITATION = cite(FEMALE_EMPLOYEE_PROTECTION, "7", "Maternity leave 98 days (up to 15 before birth); "
                          "+15 days for a difficult birth; +15 days per additional baby; miscarriage: 15 days "
                          "before 4 months of pregnancy, 42 days from 4 months.")

# Regulation Art. 3: (minimum cumulative years, days per year), highest first.
ANNUAL_LEAVE_TIERS: tuple[tuple[int, int], ...] = ((20, 15), (10, 10), (1, 5))
PRORATE_DENOMINATOR_DAYS = 365  # Implementation Measures Art. 5 / 12
UNUSED_LEAVE_PAY_MULTIPLE = Decimal(3)  # Regulation Art. 5: 300% of the daily wage, normal wage included
# Regulation Art. 4: sick-leave months that forfeit the year's leave, by cumulative-years tier.
SICK_LEAVE_FORFEIT_MONTHS: tuple[tuple[int, int], ...] = ((20, 4), (10, 3), (1, 2))
PERSONAL_LEAVE_FORFEIT_DAYS = 20  # Regulation Art. 4(2): unpaid-deduction-free personal leave of ≥ 20 days

MATERNITY_BASE_DAYS = 98  # Art. 7
MATERNITY_PRENATAL_DAYS = 15  # Art. 7: of the 98, up to 15 before the birth
MATERNITY_DIFFICULT_BIRTH_DAYS = 15  # Art. 7
MATERNITY_PER_EXTRA_BABY_DAYS = 15  # Art. 7
MISCARRIAGE_EARLY_DAYS = 15  # Art. 7: pregnancy under 4 months
MISCARRIAGE_LATE_DAYS = 42  # Art. 7: pregnancy of 4 months or more
MISCARRIAGE_THRESHOLD_MONTHS = 4
# Not statutory: the statute sets no limit on the number of babies. ``max_case`` assumes a difficult birth of
# triplets as an upper bound for validating one request; callers with other facts pass them explicitly.
MAX_CASE_EXTRA_BABIES = 2


def cumulative_years(first_work_date: dt.date, on: dt.date) -> int:
    """Full years of cumulative work completed on ``on`` (the anniversary day completes a year)."""
    if on < first_work_date:
        return 0
    years = on.year - first_work_date.year
    while years > 0 and add_months(first_work_date, 12 * years) > on:
        years -= 1
    return years


def yearly_entitlement(years: int) -> int:
    """Regulation Art. 3: days of annual leave a year for ``years`` of cumulative work."""
    for minimum, days in ANNUAL_LEAVE_TIERS:
        if years >= minimum:
            return days
    return 0


def _day_sum(first_work_date: dt.date, start: dt.date, end: dt.date) -> int:
    """Σ over days in [start, end] of the yearly entitlement on that day (entitlement-days)."""
    total, day = 0, start
    while day <= end:
        years = cumulative_years(first_work_date, day)
        next_tiers = [add_months(first_work_date, 12 * m) for m, _ in ANNUAL_LEAVE_TIERS if m > years]
        segment_end = min([end, *(d - dt.timedelta(days=1) for d in next_tiers if d > day)])
        total += ((segment_end - day).days + 1) * yearly_entitlement(years)
        day = segment_end + dt.timedelta(days=1)
    return total


def annual_leave_days_for_year(first_work_date: dt.date, hire_date: dt.date, year: int) -> int:
    """Statutory paid annual leave for ``year`` with the current employer (hired on ``hire_date``), for an
    employee whose cumulative work began on ``first_work_date``. Pro-rated by calendar days and rounded down
    (Implementation Measures Art. 5); exclusions of Regulation Art. 4 are checked by ``forfeits_annual_leave``."""
    start, end = max(hire_date, dt.date(year, 1, 1)), dt.date(year, 12, 31)
    if start > end:
        return 0
    days = _day_sum(first_work_date, start, end) // PRORATE_DENOMINATOR_DAYS
    return min(days, yearly_entitlement(cumulative_years(first_work_date, end)))


def annual_leave_days_on_leaving(
    first_work_date: dt.date, hire_date: dt.date, last_day: dt.date, taken_days: int = 0
) -> int:
    """Implementation Measures Art. 12: untaken leave owed when employment ends on ``last_day`` (never negative:
    leave already taken beyond the pro-rated share is not deducted)."""
    start = max(hire_date, dt.date(last_day.year, 1, 1))
    if start > last_day:
        return 0
    earned = _day_sum(first_work_date, start, last_day) // PRORATE_DENOMINATOR_DAYS
    return max(0, earned - taken_days)


def forfeits_annual_leave(
    cumulative: int,
    *,
    sick_leave_months: Decimal = Decimal(0),
    paid_personal_leave_days: int = 0,
    school_vacation_days: int = 0,
    entitled_days: int | None = None,
) -> bool:
    """Regulation Art. 4: whether the employee gets no annual leave this year. ``paid_personal_leave_days`` is
    personal leave for which the employer did not deduct wages."""
    entitled = yearly_entitlement(cumulative) if entitled_days is None else entitled_days
    if school_vacation_days > entitled or paid_personal_leave_days >= PERSONAL_LEAVE_FORFEIT_DAYS:
        return True
    for minimum, months in SICK_LEAVE_FORFEIT_MONTHS:
        if cumulative >= minimum:
            return sick_leave_months >= months
    return False


def unused_leave_extra_pay(daily_wage: Decimal, days: int) -> Decimal:
    """Regulation Art. 5 / Measures Art. 10: 300% of the daily wage per untaken day, of which the normal 100%
    was already paid with the wage, so the extra owed is 200% per day."""
    return ((UNUSED_LEAVE_PAY_MULTIPLE - 1) * daily_wage * days).quantize(Decimal("0.01"))


def maternity_leave_days(
    max_case: bool = False, *, difficult_birth: bool = False, babies: int = 1, local_extra_days: int = 0
) -> int:
    """Art. 7: 98 days, +15 for a difficult birth, +15 per additional baby. ``local_extra_days``: provincial
    extensions (local rules, configure per city). ``max_case``: upper bound for validating a request (difficult
    birth of ``1 + MAX_CASE_EXTRA_BABIES`` babies), ignoring the other arguments except ``local_extra_days``."""
    if max_case:
        difficult_birth, babies = True, 1 + MAX_CASE_EXTRA_BABIES
    days = MATERNITY_BASE_DAYS + MATERNITY_PER_EXTRA_BABY_DAYS * max(0, babies - 1)
    if difficult_birth:
        days += MATERNITY_DIFFICULT_BIRTH_DAYS
    return days + local_extra_days


def miscarriage_leave_days(pregnancy_months: int) -> int:
    """Art. 7: 15 days if the pregnancy was under 4 months, 42 days from 4 months."""
    return MISCARRIAGE_LATE_DAYS if pregnancy_months >= MISCARRIAGE_THRESHOLD_MONTHS else MISCARRIAGE_EARLY_DAYS


ALL_CITATIONS = (ANNUAL_LEAVE_CITATION, ANNUAL_LEAVE_EXCLUSIONS, UNUSED_LEAVE_CITATION, ELIGIBILITY_CITATION,
                 CUMULATIVE_CITATION, NEW_HIRE_CITATION, LEAVING_CITATION, TIER_CHANGE, MATERNITY_CITATION)
