"""Social insurance deadlines (Social Insurance Law, 2018 amendment).

The removal (减员) cut-off is local (often a monthly window): ``removal_cutoff`` takes the city's day of the
month as configuration and is not a national rule."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .citations import SOCIAL_INSURANCE_LAW, cite
from .contracts import add_months

ART_50 = cite(SOCIAL_INSURANCE_LAW, "50", "Give the separated employee the termination certificate and report them "
              "to the social insurance agency within 15 days.")
ART_57 = cite(SOCIAL_INSURANCE_LAW, "57", "Changes to the employer's social insurance registration within 30 days.")
ART_58 = cite(SOCIAL_INSURANCE_LAW, "58", "Register new employees with the agency within 30 days of employment.")
ART_86 = cite(SOCIAL_INSURANCE_LAW, "86", "Late contributions: surcharge of 0.05% a day from the due date.")

SEPARATION_REPORT_DAYS = 15  # Art. 50
REGISTRATION_CHANGE_DAYS = 30  # Art. 57
ENROLLMENT_DAYS = 30  # Art. 58
LATE_SURCHARGE_PER_DAY = Decimal("0.0005")  # Art. 86: 0.05 % a day


def enrollment_deadline(employment_start: dt.date) -> dt.date:
    """Art. 58: register the new employee within 30 days of the start of employment."""
    return employment_start + dt.timedelta(days=ENROLLMENT_DAYS)


def separation_report_deadline(termination_date: dt.date) -> dt.date:
    """Art. 50: report the separated employee to the agency within 15 days."""
    return termination_date + dt.timedelta(days=SEPARATION_REPORT_DAYS)


def registration_change_deadline(changed_on: dt.date) -> dt.date:
    """Art. 57: employer registration changes within 30 days."""
    return changed_on + dt.timedelta(days=REGISTRATION_CHANGE_DAYS)


def late_surcharge(unpaid: Decimal, days_late: int) -> Decimal:
    """Art. 86: 0.05 % of the unpaid contributions per day late."""
    if days_late <= 0:
        return Decimal("0.00")
    return (unpaid * LATE_SURCHARGE_PER_DAY * days_late).quantize(Decimal("0.01"), ROUND_HALF_UP)


def removal_cutoff(termination_date: dt.date, cutoff_day: int) -> dt.date:
    """Local rule (configurable): the last day to file the removal in the city's monthly window, i.e. the
    ``cutoff_day`` of the termination month, or of the next month if that day has already passed."""
    def on_day(day: dt.date) -> dt.date:
        return day.replace(day=min(cutoff_day, calendar.monthrange(day.year, day.month)[1]))

    this_month = on_day(termination_date)
    return this_month if termination_date <= this_month else on_day(add_months(termination_date.replace(day=1), 1))


ALL_CITATIONS = (ART_50, ART_57, ART_58, ART_86)
