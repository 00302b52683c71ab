import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrguard.law.compensation import (
    average_monthly_wage,
    counted_years,
    economic_compensation,
    payment_for_dates,
    service_length,
    termination_payment,
)
from hrguard.law.termination import GROUNDS, Ground

D = Decimal
LOCAL_AVG = D(9000)


# --- LAW.md worked examples ------------------------------------------------------------------------------


def test_example_1_five_years_seven_months_under_cap() -> None:
    r = termination_payment(Ground.MAJOR_CHANGE, 5 * 12 + 7, D(12000), LOCAL_AVG)
    assert (r.years_counted, r.cap_base, r.cap_applied, r.amount, r.kind) == (D(6), D(27000), False, D(72000), "N")
    assert {c.article for c in r.citations} >= {"46", "47"}


def test_example_2_art40_without_notice_adds_last_month() -> None:
    r = termination_payment(Ground.MAJOR_CHANGE, 67, D(12000), LOCAL_AVG, notice_given=False)
    assert (r.kind, r.compensation, r.in_lieu_of_notice, r.amount) == ("N+1", D(72000), D(12000), D(84000))
    assert "20" in {c.article for c in r.citations}


def test_example_3_unlawful_termination_doubles_and_replaces() -> None:
    r = termination_payment(Ground.MAJOR_CHANGE, 67, D(12000), LOCAL_AVG, unlawful=True, notice_given=False)
    assert (r.kind, r.amount, r.in_lieu_of_notice) == ("2N", D(144000), D(0))
    assert "87" in {c.article for c in r.citations}


def test_example_4_high_earner_cap_base_and_years() -> None:
    months = 14 * 12 + 8
    n = termination_payment(Ground.INCOMPETENCE, months, D(40000), LOCAL_AVG)
    assert (n.years_before_cap, n.years_counted, n.monthly_base, n.cap_applied, n.amount) == (
        D(15), D(12), D(27000), True, D(324000))
    assert termination_payment(Ground.INCOMPETENCE, months, D(40000), LOCAL_AVG, unlawful=True).amount == D(648000)
    n1 = termination_payment(Ground.INCOMPETENCE, months, D(40000), LOCAL_AVG, notice_given=False)
    assert (n1.in_lieu_of_notice, n1.amount) == (D(40000), D(364000))
    assert any(c.unconfirmed for c in n1.citations)  # the uncapped in-lieu month is a reading
    assert n.notes and "三倍" in n.notes[0]


def test_example_5_four_months_is_half_a_month() -> None:
    r = termination_payment(Ground.LAYOFF, 4, D(8000), LOCAL_AVG)
    assert (r.years_counted, r.amount) == (D("0.5"), D(4000))


# --- Art. 46: when compensation is due -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ground", "due"),
    [
        (Ground.MUTUAL_EMPLOYER_PROPOSED, True),
        (Ground.MUTUAL_EMPLOYEE_PROPOSED, False),
        (Ground.RESIGNATION, False),
        (Ground.EMPLOYER_FAULT, True),
        (Ground.SERIOUS_RULE_BREACH, False),
        (Ground.PROBATION_FAILED, False),
        (Ground.ILLNESS, True),
        (Ground.LAYOFF, True),
        (Ground.EXPIRY, True),
        (Ground.PENSION, False),
        (Ground.BANKRUPTCY, True),
        (Ground.CLOSURE, True),
    ],
)
def test_art46_due_by_ground(ground: Ground, due: bool) -> None:
    r = termination_payment(ground, 30, D(10000))
    assert r.due is due and (r.amount > 0) is due


def test_expiry_after_refused_renewal_offer_owes_nothing() -> None:
    assert termination_payment(Ground.EXPIRY, 30, D(10000), renewal_offer_refused=True).amount == 0
    assert termination_payment(Ground.EXPIRY, 30, D(10000)).amount == D(30000)


def test_in_lieu_only_for_art40_grounds() -> None:
    assert termination_payment(Ground.LAYOFF, 30, D(10000), notice_given=False).in_lieu_of_notice == 0
    r = termination_payment(Ground.ILLNESS, 30, D(10000), notice_given=False, last_month_wage=D(9500))
    assert (r.in_lieu_of_notice, r.amount) == (D(9500), D(39500))  # 2 y 6 m → 3 years


def test_unlawful_dismissal_for_cause_still_owes_2n() -> None:
    r = termination_payment(Ground.SERIOUS_RULE_BREACH, 24, D(10000), unlawful=True)
    assert (r.kind, r.amount) == ("2N", D(40000))


# --- Counting service and wages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "days", "years"),
    [(0, 0, D(0)), (0, 1, D("0.5")), (5, 30, D("0.5")), (6, 0, D(1)), (12, 0, D(1)), (12, 1, D("1.5")),
     (17, 0, D("1.5")), (18, 0, D(2))],
)
def test_counted_years_rounding(months: int, days: int, years: Decimal) -> None:
    assert counted_years(months, days) == years


def test_service_length_counts_both_ends() -> None:
    assert service_length(dt.date(2020, 1, 1), dt.date(2020, 12, 31)) == (12, 0)
    assert service_length(dt.date(2020, 1, 1), dt.date(2021, 1, 1)) == (12, 1)
    assert service_length(dt.date(2020, 1, 15), dt.date(2020, 2, 20)) == (1, 6)
    assert service_length(dt.date(2020, 3, 1), dt.date(2020, 2, 1)) == (0, 0)


def test_average_wage_last_twelve_months_and_minimum() -> None:
    wages = [D(1000)] * 6 + [D(12000)] * 12
    assert average_monthly_wage(wages) == D(12000)
    assert average_monthly_wage([D(9000), D(12000), D(15000)]) == D(12000)  # under 12 months: months worked
    assert average_monthly_wage([D(1500)], minimum_wage=D(2690)) == D(2690)
    with pytest.raises(ValueError):
        average_monthly_wage([])


# --- Pre-2008 split (Art. 97) ----------------------------------------------------------------------------


def test_pre_2008_part_year_counts_as_year_and_post_2008_follows_art47() -> None:
    r = payment_for_dates(Ground.INCOMPETENCE, dt.date(2005, 3, 1), dt.date(2025, 6, 30), D(10000), LOCAL_AVG)
    # 2005-03-01..2007-12-31 = 2 y 10 m → 3 months; 2008-01-01..2025-06-30 = 17 y 6 m → 18 years.
    assert (r.pre_2008_months, r.pre_2008, r.years_counted) == (D(3), D(30000), D(18))
    assert r.amount == D(210000)
    assert {c.article for c in r.citations} >= {"97", "5–9"}


def test_pre_2008_capped_at_twelve_months_for_mutual_agreement() -> None:
    r = payment_for_dates(Ground.MUTUAL_EMPLOYER_PROPOSED, dt.date(1990, 1, 1), dt.date(2008, 12, 31), D(5000))
    assert (r.pre_2008_months, r.years_counted, r.amount) == (D(12), D(1), D(65000))
    uncapped = payment_for_dates(Ground.LAYOFF, dt.date(1990, 1, 1), dt.date(2008, 12, 31), D(5000))
    assert uncapped.pre_2008_months == D(18)


def test_pre_2008_no_compensation_for_expiry_and_unlawful_counts_everything() -> None:
    r = payment_for_dates(Ground.EXPIRY, dt.date(2006, 1, 1), dt.date(2009, 12, 31), D(5000))
    assert (r.pre_2008, r.amount) == (D(0), D(10000)) and r.notes
    unlawful = payment_for_dates(Ground.EXPIRY, dt.date(2006, 1, 1), dt.date(2009, 12, 31), D(5000), unlawful=True)
    assert unlawful.amount == D(40000)  # 4 years from the first day of employment, doubled
    assert payment_for_dates(Ground.RESIGNATION, dt.date(2006, 1, 1), dt.date(2009, 12, 31), D(5000)).amount == 0


def test_dates_after_2008_match_month_form() -> None:
    r = payment_for_dates(Ground.MAJOR_CHANGE, dt.date(2019, 1, 1), dt.date(2024, 7, 31), D(12000), LOCAL_AVG)
    assert (r.service_months, r.amount) == (67, D(72000))


# --- Properties ------------------------------------------------------------------------------------------

wages = st.decimals(min_value=D(0), max_value=D(200000), places=2)
averages = st.one_of(st.none(), st.decimals(min_value=D(1000), max_value=D(20000), places=2))


@given(st.integers(0, 600), st.integers(0, 600), st.integers(0, 30), wages, averages)
def test_monotonic_in_service(a: int, b: int, days: int, wage: Decimal, avg: Decimal | None) -> None:
    short, long = sorted((a, b))
    assert economic_compensation(short, wage, avg).amount <= economic_compensation(long, wage, avg, service_days=days
                                                                                   ).amount


@given(st.integers(0, 600), st.integers(0, 30), wages, averages, st.sampled_from(list(Ground)), st.booleans(),
       st.booleans())
def test_never_negative_and_cap_respected(months: int, days: int, wage: Decimal, avg: Decimal | None,
                                         ground: Ground, unlawful: bool, notice: bool) -> None:
    r = termination_payment(ground, months, wage, avg, service_days=days, unlawful=unlawful, notice_given=notice)
    assert r.amount >= 0
    if avg is not None and wage > avg * 3:
        assert r.cap_applied and r.years_counted <= 12 and r.monthly_base == (avg * 3).quantize(D("0.01"))
        assert r.compensation <= avg * 3 * 12 * (2 if unlawful else 1) + D("0.01")
    else:
        assert not r.cap_applied and r.monthly_base == wage
    if not unlawful and not GROUNDS[ground].compensation_due:
        assert r.amount == 0


@given(st.integers(0, 600), wages, averages)
def test_2n_is_exactly_double_n(months: int, wage: Decimal, avg: Decimal | None) -> None:
    n = termination_payment(Ground.LAYOFF, months, wage, avg)
    assert termination_payment(Ground.LAYOFF, months, wage, avg, unlawful=True).amount == n.amount * 2


@given(st.integers(0, 600), st.decimals(min_value=D(0), max_value=D(100000), places=2),
       st.decimals(min_value=D(0), max_value=D(100000), places=2))
def test_monotonic_in_wage(months: int, w1: Decimal, w2: Decimal) -> None:
    low, high = sorted((w1, w2))
    assert economic_compensation(months, low).amount <= economic_compensation(months, high).amount
