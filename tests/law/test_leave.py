import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrguard.law import leave
from hrguard.law.citations import Citation
from hrguard.law.contracts import add_months
from hrguard.law.leave import (
    ANNUAL_LEAVE_CITATION,
    MATERNITY_CITATION,
    annual_leave_days_for_year,
    annual_leave_days_on_leaving,
    cumulative_years,
    forfeits_annual_leave,
    maternity_leave_days,
    miscarriage_leave_days,
    unused_leave_extra_pay,
    yearly_entitlement,
)

D = dt.date


def test_names_the_activity_adapter_uses() -> None:
    assert isinstance(ANNUAL_LEAVE_CITATION, Citation) and isinstance(MATERNITY_CITATION, Citation)
    assert "年休假" in ANNUAL_LEAVE_CITATION.zh and ANNUAL_LEAVE_CITATION.article == "3"
    assert MATERNITY_CITATION.zh == "《女职工劳动保护特别规定》第7条"
    assert isinstance(maternity_leave_days(max_case=True), int)


@pytest.mark.parametrize(("years", "days"), [(0, 0), (1, 5), (9, 5), (10, 10), (19, 10), (20, 15), (45, 15)])
def test_regulation_art3_tiers(years: int, days: int) -> None:
    assert yearly_entitlement(years) == days


def test_cumulative_years_anniversary_completes_a_year() -> None:
    assert cumulative_years(D(2015, 7, 1), D(2025, 6, 30)) == 9
    assert cumulative_years(D(2015, 7, 1), D(2025, 7, 1)) == 10
    assert cumulative_years(D(2015, 7, 1), D(2014, 1, 1)) == 0
    assert cumulative_years(D(2000, 2, 29), D(2001, 2, 28)) == 1  # no 29 Feb: month end (Civil Code Art. 202)


def test_full_year_employees() -> None:
    assert annual_leave_days_for_year(D(2010, 7, 1), D(2012, 1, 1), 2025) == 10
    assert annual_leave_days_for_year(D(2000, 1, 1), D(2000, 1, 1), 2024) == 15  # leap year: not 15.04 → 15
    assert annual_leave_days_for_year(D(2020, 1, 1), D(2020, 1, 1), 2020) == 0  # first year of work


def test_new_hire_prorated_by_remaining_calendar_days_measures_art5() -> None:
    # Eligible on hire (10+ years of work): 184 remaining days ÷ 365 × 10 = 5.04 → 5.
    assert annual_leave_days_for_year(D(2010, 1, 1), D(2025, 7, 1), 2025) == 5
    # 92 days ÷ 365 × 5 = 1.26 → 1.
    assert annual_leave_days_for_year(D(2020, 1, 1), D(2025, 10, 1), 2025) == 1
    # 31 days ÷ 365 × 5 = 0.42 → 0: fractions of a day are dropped.
    assert annual_leave_days_for_year(D(2020, 1, 1), D(2025, 12, 1), 2025) == 0
    assert annual_leave_days_for_year(D(2020, 1, 1), D(2026, 1, 1), 2025) == 0  # not employed yet


def test_mid_year_tier_change_prorated() -> None:
    # 10 years completed on 2025-07-01: 181 days at 5 + 184 days at 10 = 2745 / 365 = 7.5 → 7.
    assert annual_leave_days_for_year(D(2015, 7, 1), D(2015, 7, 1), 2025) == 7
    # First job 2024-07-01: eligible from 2025-07-01 → 184 × 5 / 365 = 2.5 → 2.
    assert annual_leave_days_for_year(D(2024, 7, 1), D(2024, 7, 1), 2025) == 2
    assert leave.TIER_CHANGE.unconfirmed


def test_leaving_measures_art12() -> None:
    # Left on 2025-06-30 with 10 days a year: 181 ÷ 365 × 10 = 4.96 → 4, minus 1 taken → 3.
    assert annual_leave_days_on_leaving(D(2010, 1, 1), D(2012, 1, 1), D(2025, 6, 30), 1) == 3
    assert annual_leave_days_on_leaving(D(2010, 1, 1), D(2012, 1, 1), D(2025, 6, 30), 9) == 0  # not clawed back


def test_art4_exclusions() -> None:
    assert forfeits_annual_leave(5, sick_leave_months=Decimal(2))
    assert not forfeits_annual_leave(12, sick_leave_months=Decimal(2))
    assert forfeits_annual_leave(12, sick_leave_months=Decimal(3))
    assert not forfeits_annual_leave(25, sick_leave_months=Decimal("3.9"))
    assert forfeits_annual_leave(25, sick_leave_months=Decimal(4))
    assert forfeits_annual_leave(5, paid_personal_leave_days=20)
    assert forfeits_annual_leave(5, school_vacation_days=6) and not forfeits_annual_leave(5, school_vacation_days=5)
    assert not forfeits_annual_leave(5)


def test_unused_leave_pay_extra_200_percent() -> None:
    assert unused_leave_extra_pay(Decimal("500"), 3) == Decimal("3000.00")


def test_maternity_art7() -> None:
    assert maternity_leave_days() == 98
    assert maternity_leave_days(difficult_birth=True) == 113
    assert maternity_leave_days(babies=2) == 113
    assert maternity_leave_days(difficult_birth=True, babies=3) == 143
    assert maternity_leave_days(max_case=True) >= maternity_leave_days(difficult_birth=True, babies=2)
    assert maternity_leave_days(local_extra_days=60) == 158
    assert (miscarriage_leave_days(3), miscarriage_leave_days(4)) == (15, 42)


dates = st.dates(min_value=D(1970, 1, 1), max_value=D(2030, 12, 31))


@given(dates, dates, st.integers(1990, 2031))
def test_annual_leave_bounded_by_yearly_entitlement(first: dt.date, hire: dt.date, year: int) -> None:
    days = annual_leave_days_for_year(first, hire, year)
    assert 0 <= days <= yearly_entitlement(cumulative_years(first, D(year, 12, 31))) <= 15


@given(dates, dates, dates, st.integers(1990, 2031))
def test_earlier_hire_never_gets_less(first: dt.date, h1: dt.date, h2: dt.date, year: int) -> None:
    early, late = sorted((h1, h2))
    assert annual_leave_days_for_year(first, early, year) >= annual_leave_days_for_year(first, late, year)


@given(dates, dates, st.integers(1990, 2031))
def test_longer_career_never_gets_less(f1: dt.date, f2: dt.date, year: int) -> None:
    early, late = sorted((f1, f2))
    hire = D(year, 1, 1)
    assert annual_leave_days_for_year(early, hire, year) >= annual_leave_days_for_year(late, hire, year)


@given(dates, st.dates(min_value=D(1970, 1, 1), max_value=D(2030, 12, 31)))
def test_cumulative_years_matches_anniversaries(first: dt.date, on: dt.date) -> None:
    years = cumulative_years(first, on)
    assert years >= 0
    if on >= first:
        assert add_months(first, 12 * years) <= on < add_months(first, 12 * (years + 1))
