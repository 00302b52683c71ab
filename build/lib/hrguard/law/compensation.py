"""Economic compensation (经济补偿) and related payments on termination.

* Art. 46: when compensation is due (see ``termination.GROUNDS``).
* Art. 47: one month's wage per full year of service; a remainder of ≥ 6 months counts as a year, a shorter
  remainder as half a year; monthly wage above 3× the city's prior-year average monthly wage → base capped at
  3× and years at 12; monthly wage = average of the last 12 months (Regulation Art. 27).
* Art. 40 / Regulation Art. 20: one month's wage in lieu of 30 days' notice ("N+1").
* Art. 48 / 87 / Regulation Art. 25: unlawful termination → 2× the Art. 47 amount, replacing compensation, with
  service counted from the first day of employment.
* Art. 97: for service before 2008-01-01, compensation follows the rules then in force (the 1994 Measures).

Every result carries its breakdown and citations so a page can explain the figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from .citations import LCL_REGULATION, PRE_2008_COMPENSATION, Citation, cite, lcl
from .contracts import add_months
from .termination import ART_46, GROUNDS, NO_FAULT, REG_ART_20, Ground

ART_47 = lcl("47", "One month's wage per full year; ≥6 months counts as one year, <6 months as half a month; "
             "above 3× the local average monthly wage: base capped at 3× and at most 12 years.")
ART_87 = lcl("87", "Unlawful termination: damages of twice the Art. 47 compensation.")
ART_97 = lcl("97", "Service before 2008-01-01: compensation follows the rules then in force.")
REG_ART_25 = cite(LCL_REGULATION, "25", "Damages under Art. 87 replace compensation; service counts from the "
                  "first day of employment.")
REG_ART_27 = cite(LCL_REGULATION, "27", "Monthly wage includes time/piece pay, bonuses, allowances and subsidies; "
                  "not below the minimum wage; under 12 months: average over the months actually worked.")
# Not in LAW.md beyond Art. 97's pointer: the 1994 Measures, Art. 5 (mutual agreement) and Art. 7 (incompetence):
# one month per full year, under a year counts as a year, at most 12 months. Kept as unconfirmed.
PRE_2008_RULE = cite(PRE_2008_COMPENSATION, "5–9", "Before 2008: one month per full year, a part year counts as "
                     "a year; at most 12 months for mutual agreement and incompetence.", unconfirmed=True)
IN_LIEU_UNCAPPED = cite(LCL_REGULATION, "20", "Reading: the in-lieu month is the previous month's wage, not "
                        "subject to the Art. 47 cap.", unconfirmed=True)

MONTHS_PER_YEAR = 12
HALF_YEAR_MONTHS = 6  # Art. 47: a remainder of ≥ 6 months counts as a full year
HIGH_EARNER_MULTIPLE = Decimal(3)  # Art. 47
HIGH_EARNER_MAX_YEARS = Decimal(12)  # Art. 47
WAGE_AVERAGE_MONTHS = 12  # Art. 47
UNLAWFUL_MULTIPLE = Decimal(2)  # Art. 87
LCL_EFFECTIVE = dt.date(2008, 1, 1)  # Art. 97 / Art. 98
PRE_2008_CAPPED_MONTHS = 12  # 1994 Measures Art. 5 / 7 (unconfirmed)
# Grounds that earned compensation under the 1994 Measures → whether it was capped at 12 months (unconfirmed).
PRE_2008_CAPPED = {Ground.MUTUAL_EMPLOYER_PROPOSED: True, Ground.ILLNESS: False, Ground.INCOMPETENCE: True,
                   Ground.MAJOR_CHANGE: False, Ground.LAYOFF: False}
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def service_length(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Whole months and leftover days from ``start`` through ``end`` (both days worked)."""
    after = end + dt.timedelta(days=1)
    if after <= start:
        return 0, 0
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if add_months(start, months) > after:
        months -= 1
    return months, (after - add_months(start, months)).days


def counted_years(months: int, days: int = 0) -> Decimal:
    """Art. 47 years: full years, plus 1 for a remainder of ≥ 6 months, plus 0.5 for any shorter remainder."""
    full, rest = divmod(months, MONTHS_PER_YEAR)
    if rest >= HALF_YEAR_MONTHS:
        return Decimal(full + 1)
    if rest or days:
        return full + Decimal("0.5")
    return Decimal(full)


def average_monthly_wage(monthly_wages: Sequence[Decimal], minimum_wage: Decimal | None = None) -> Decimal:
    """Art. 47 / Regulation Art. 27: average of the last 12 months' wages (fewer months: of those worked), not
    below the local minimum wage. ``monthly_wages`` is oldest first; everything paid counts (bonuses too)."""
    recent = list(monthly_wages)[-WAGE_AVERAGE_MONTHS:]
    if not recent:
        raise ValueError("at least one month's wage is needed")
    average = sum(recent, Decimal(0)) / len(recent)
    if minimum_wage is not None and average < minimum_wage:
        average = minimum_wage
    return money(average)


@dataclass(frozen=True)
class Compensation:
    """Breakdown of a termination payment, for display."""

    due: bool
    kind: str  # "none", "N", "N+1", "2N"
    service_months: int
    service_days: int
    years_before_cap: Decimal
    years_counted: Decimal
    monthly_wage: Decimal
    monthly_base: Decimal
    cap_applied: bool
    cap_base: Decimal | None  # 3× local average monthly wage, if known
    compensation: Decimal  # the Art. 47 amount (N), after caps; for "2N" the amount doubled
    in_lieu_of_notice: Decimal
    pre_2008: Decimal  # amount for service before 2008 under the old rules (0 if none)
    pre_2008_months: Decimal
    amount: Decimal  # total payable
    citations: tuple[Citation, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())  # bilingual one-liners explaining non-obvious steps


def economic_compensation(
    service_months: int,
    monthly_wage: Decimal,
    local_average_monthly_wage: Decimal | None = None,
    *,
    service_days: int = 0,
) -> Compensation:
    """Art. 47 compensation N for a service length (whole months + leftover days)."""
    years = counted_years(service_months, service_days)
    base, capped_years, cap_applied, cap_base = monthly_wage, years, False, None
    notes: list[str] = []
    if local_average_monthly_wage is not None:
        cap_base = money(local_average_monthly_wage * HIGH_EARNER_MULTIPLE)
        if monthly_wage > cap_base:
            base, capped_years, cap_applied = cap_base, min(years, HIGH_EARNER_MAX_YEARS), True
            notes.append(f"月工资高于当地上年度职工月平均工资三倍，按{cap_base}元、最多12年计算 / "
                         f"wage above 3× local average: base {cap_base}, at most 12 years")
    amount = money(base * capped_years)
    cites: tuple[Citation, ...] = (ART_47, REG_ART_27)
    return Compensation(True, "N", service_months, service_days, years, capped_years, monthly_wage, base,
                        cap_applied, cap_base, amount, Decimal(0), Decimal(0), Decimal(0), amount, cites,
                        tuple(notes))


def termination_payment(
    ground: Ground,
    service_months: int,
    monthly_wage: Decimal,
    local_average_monthly_wage: Decimal | None = None,
    *,
    service_days: int = 0,
    unlawful: bool = False,
    notice_given: bool = True,
    last_month_wage: Decimal | None = None,
    renewal_offer_refused: bool = False,
) -> Compensation:
    """What the employer owes for ending the contract on ``ground``.

    ``unlawful``: the termination was unlawful and the employee does not (or cannot) return → 2N (Art. 87),
    replacing compensation and the in-lieu month. ``notice_given``: for Art. 40 grounds, whether 30 days'
    written notice was given; if not, the previous month's wage (``last_month_wage``, default the average)
    is added. ``renewal_offer_refused``: on expiry, the employer offered same-or-better terms and the employee
    refused (Art. 46(5)) → nothing due."""
    n = economic_compensation(service_months, monthly_wage, local_average_monthly_wage, service_days=service_days)
    if unlawful:
        doubled = money(n.compensation * UNLAWFUL_MULTIPLE)
        return replace(n, kind="2N", compensation=doubled, amount=doubled,
                        citations=(ART_87, REG_ART_25, *n.citations),
                        notes=(*n.notes, "违法解除赔偿金为经济补偿的二倍，不再支付经济补偿 / "
                               "unlawful termination: 2× compensation, replacing it"))
    due = GROUNDS[ground].compensation_due and not (ground == Ground.EXPIRY and renewal_offer_refused)
    if not due:
        return replace(n, due=False, kind="none", compensation=Decimal(0), amount=Decimal(0),
                        citations=(ART_46, GROUNDS[ground].citation), notes=())
    if ground in NO_FAULT and not notice_given:
        in_lieu = money(last_month_wage if last_month_wage is not None else monthly_wage)
        return replace(n, kind="N+1", in_lieu_of_notice=in_lieu, amount=n.compensation + in_lieu,
                        citations=(ART_46, *n.citations, REG_ART_20, IN_LIEU_UNCAPPED),
                        notes=(*n.notes, f"未提前三十日书面通知，另付上一个月工资{in_lieu}元代通知金 / "
                               f"no 30 days' notice: plus the previous month's wage {in_lieu} in lieu"))
    return replace(n, citations=(ART_46, *n.citations))


def payment_for_dates(
    ground: Ground,
    start: dt.date,
    end: dt.date,
    monthly_wage: Decimal,
    local_average_monthly_wage: Decimal | None = None,
    *,
    unlawful: bool = False,
    notice_given: bool = True,
    last_month_wage: Decimal | None = None,
    renewal_offer_refused: bool = False,
) -> Compensation:
    """``termination_payment`` for employment from ``start`` through ``end`` (last day), splitting service
    before 2008-01-01 (Art. 97). Unlawful termination counts all service (Regulation Art. 25). Service merged
    from a previous employer (Regulation Art. 10) is the caller's ``start``."""
    split = not unlawful and start < LCL_EFFECTIVE
    months, days = service_length(LCL_EFFECTIVE if split else start, end)
    post = termination_payment(ground, months, monthly_wage, local_average_monthly_wage, service_days=days,
                               unlawful=unlawful, notice_given=notice_given, last_month_wage=last_month_wage,
                               renewal_offer_refused=renewal_offer_refused)
    if not split or not post.due:
        return post
    if ground not in PRE_2008_CAPPED:
        note = ("2008年前的工作年限按当时规定不支付经济补偿或需人工核对 / service before 2008: no compensation "
                "under the rules then in force, or check manually")
        return replace(post, citations=(*post.citations, ART_97), notes=(*post.notes, note))
    old_months, old_days = service_length(start, LCL_EFFECTIVE - dt.timedelta(days=1))
    full, rest = divmod(old_months, MONTHS_PER_YEAR)
    pre_months = Decimal(full + (1 if rest or old_days else 0))  # a part year counts as a year
    if PRE_2008_CAPPED[ground]:
        pre_months = min(pre_months, Decimal(PRE_2008_CAPPED_MONTHS))
    pre = money(monthly_wage * pre_months)
    note = (f"2008年前工作年限按当时规定计{pre_months}个月工资（不适用三倍封顶）/ service before 2008: "
            f"{pre_months} months' wage under the rules then in force (no 3× cap)")
    notes = [*post.notes, note]
    if ground == Ground.ILLNESS:
        notes.append("2008年前的规定另有医疗补助费，请人工核对 / the old rules also provided a medical subsidy: "
                     "check manually")
    return replace(post, pre_2008=pre, pre_2008_months=pre_months, amount=post.amount + pre,
                   citations=(*post.citations, ART_97, PRE_2008_RULE), notes=tuple(notes))


ALL_CITATIONS = (ART_47, ART_87, ART_97, REG_ART_25, REG_ART_27, PRE_2008_RULE, IN_LIEU_UNCAPPED)
