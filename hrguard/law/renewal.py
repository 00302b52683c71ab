"""Fixed-term contracts at expiry: end (Art. 44), extension (Art. 45), compensation (Art. 46(5)), the open-ended
contract on renewal (Art. 14) and the double wage of working without a written contract (Art. 82, Reg. Art. 7).

What HR must decide before a fixed-term contract ends: renew (in writing) or let it end (and pay Art. 46(5)
compensation unless the employee refused an offer on the same or better terms). Letting the employee work on
past the end date without a renewed written contract is the costly default: the contract is deemed continued on
its old terms (SPC Interpretation (I) Art. 34), and many arbitration commissions and courts apply the Art. 82
double wage once a month has passed without a written contract (a local reading: ``WORKING_PAST_EXPIRY`` is
marked unconfirmed)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from .citations import LABOR_CONTRACT_LAW, LCL_REGULATION, SPC_LABOR_I, Citation, cite, lcl
from .contracts import add_months

ART_14 = lcl("14", "Open-ended contract when the employee asks (or does not ask otherwise) on renewal: 10 years' "
             "continuous service, or two consecutive fixed-term contracts concluded without Art. 39 / 40(1)(2) "
             "grounds; no written contract for a full year means an open-ended contract.")
ART_44 = lcl("44", "A labor contract ends when its fixed term expires (and on the other grounds listed).")
ART_45 = lcl("45", "A contract expiring while an Art. 42 protection applies (pregnancy, maternity, nursing; "
             "work injury; medical treatment period; 15 years' service within 5 years of retirement; "
             "occupational-disease examination) is extended until the circumstance ends.")
ART_46_5 = lcl("46(5)", "Expiry: economic compensation is due, unless the employer offered renewal on the same or "
               "better terms and the employee refused.")
ART_82 = lcl("82", "No written contract more than one month after employment began: twice the monthly wage; "
             "an open-ended contract due but not concluded: twice the wage from the day it was due.")
REG_ART_7 = cite(LCL_REGULATION, "7", "No written contract a full year after employment began: the double wage "
                 "runs from the day after the first month to the day before the year is complete, and an "
                 "open-ended contract is deemed concluded.")
SPC_I_ART_34 = cite(SPC_LABOR_I, "34", "Work continued after expiry without objection: the contract is deemed "
                    "continued on its old terms; either party may then end it.")
WORKING_PAST_EXPIRY = cite(LABOR_CONTRACT_LAW, "82", "Working on past expiry without a renewed written contract: "
                           "many local courts apply the double wage after one month.", unconfirmed=True)

WRITTEN_CONTRACT_GRACE_MONTHS = 1  # Art. 10 / Art. 82: a written contract within one month of employment
DOUBLE_WAGE_FACTOR = 2  # Art. 82: twice the monthly wage
DOUBLE_WAGE_MAX_MONTHS = 11  # Reg. Art. 7: from month two until the day before a full year
OPEN_ENDED_AFTER_YEARS = 10  # Art. 14(2)(1)
OPEN_ENDED_AFTER_FIXED_TERMS = 2  # Art. 14(2)(3): on renewal after two consecutive fixed-term contracts


class ExpiryStage(enum.StrEnum):
    UPCOMING = "upcoming"  # ends in the future: decide renew or end (Art. 44, 46(5))
    WORKING_PAST = "working_past"  # ended, the employee works on, within the written-contract grace month
    DOUBLE_WAGE = "double_wage"  # ended more than a month ago without a renewed written contract (Art. 82)


@dataclass(frozen=True)
class ExpiryRisk:
    end_date: dt.date
    days_left: int  # negative once the end date has passed
    stage: ExpiryStage
    double_wage_from: dt.date  # first day the Art. 82 double wage may run if no written contract is signed
    citations: tuple[Citation, ...]
    open_ended_due: bool = False  # Art. 14: the renewal must be open-ended if the employee asks


def double_wage_from(end_date: dt.date) -> dt.date:
    """The first day of possible double wage for work continued after ``end_date`` without a written contract:
    work from the next day, plus the Art. 82 grace month."""
    return add_months(end_date + dt.timedelta(days=1), WRITTEN_CONTRACT_GRACE_MONTHS)


def open_ended_due(*, fixed_terms_concluded: int, years_of_service: float) -> bool:
    """Art. 14(2): renewing after two consecutive fixed-term contracts, or after ten years' service, the employer
    must conclude an open-ended contract when the employee asks (unless Art. 39 / 40(1)(2) grounds apply)."""
    return fixed_terms_concluded >= OPEN_ENDED_AFTER_FIXED_TERMS or years_of_service >= OPEN_ENDED_AFTER_YEARS


def expiry_risk(end_date: dt.date, today: dt.date, *, fixed_terms_concluded: int = 1,
                years_of_service: float = 0.0) -> ExpiryRisk:
    """Where a fixed-term contract ending on ``end_date`` stands on ``today`` for an employee still employed."""
    days_left = (end_date - today).days
    wage_from = double_wage_from(end_date)
    if days_left >= 0:
        stage, cited = ExpiryStage.UPCOMING, (ART_44, ART_46_5, ART_45)
    elif today < wage_from:
        stage, cited = ExpiryStage.WORKING_PAST, (SPC_I_ART_34, WORKING_PAST_EXPIRY)
    else:
        stage, cited = ExpiryStage.DOUBLE_WAGE, (WORKING_PAST_EXPIRY, ART_82, REG_ART_7)
    due = open_ended_due(fixed_terms_concluded=fixed_terms_concluded, years_of_service=years_of_service)
    if due:
        cited = (*cited, ART_14)
    return ExpiryRisk(end_date, days_left, stage, wage_from, cited, due)
