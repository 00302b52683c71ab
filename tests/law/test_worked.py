"""Worked answers (law.worked / law.working): LAW.md examples with their working, properties over the answers,
the Regulation Art. 27 wage window and its missing months, and the bad inputs each calculator refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrguard.law import worked
from hrguard.law.working import MissingWageMonths, average_wage, wage_window

D = Decimal
wages = st.decimals(min_value=D("0"), max_value=D("200000"), places=2)
averages = st.one_of(st.none(), st.decimals(min_value=D("1000"), max_value=D("30000"), places=2))
days = st.dates(min_value=dt.date(2008, 1, 1), max_value=dt.date(2040, 12, 31))


def comp(**kw: object) -> worked.Answer:
    kw.setdefault("ground", "art36_employer")
    return worked.economic_compensation(**kw)  # type: ignore[arg-type]


def articles(answer: worked.Answer) -> set[str]:
    return {s.citation.zh for s in answer.steps if s.citation} | {c.zh for c in answer.citations}


# --- LAW.md worked examples, with their working -------------------------------------------------------


def test_example_1_working_names_every_figure_and_article() -> None:
    a = comp(monthly_wage=D(12000), service_months=67, local_average_wage=D(9000))
    assert a.figures["amount"] == D(72000) and a.figures["years_counted"] == D(6)
    values = [s.value for s in a.steps]
    assert "27,000.00" in values and "72,000.00" in values and "6" in values
    assert "《劳动合同法》第47条" in articles(a)


def test_example_2_and_3_and_4() -> None:
    assert comp(ground="art40_3", monthly_wage=D(12000), service_months=67, local_average_wage=D(9000),
                notice_given=False).figures["amount"] == D(84000)
    assert comp(monthly_wage=D(12000), service_months=67, local_average_wage=D(9000),
                unlawful=True).figures["amount"] == D(144000)
    high = {"monthly_wage": D(40000), "service_months": 14 * 12 + 8, "local_average_wage": D(9000)}
    n = comp(**high)
    assert (n.figures["amount"], n.figures["years_before_cap"], n.figures["years_counted"]) == (D(324000), 15, 12)
    assert comp(**high, unlawful=True).figures["amount"] == D(648000)
    n1 = comp(ground="art40_2", **high, notice_given=False)
    assert n1.figures["amount"] == D(364000) and n1.figures["kind"] == "N+1"
    assert "《劳动合同法实施条例》第20条" in articles(n1)


def test_example_5_half_month() -> None:
    a = comp(monthly_wage=D(8000), service_months=4)
    assert a.figures["amount"] == D(4000) and a.figures["years_counted"] == D("0.5")


def test_example_6_noncompete_default_and_release() -> None:
    a = worked.noncompete_compensation(months=24, average_monthly_wage=D(12000))
    assert (a.figures["monthly"], a.figures["total"], a.figures["release_payment"]) == (D(3600), D(86400), D(10800))
    assert any("第36条" in s.citation.zh for s in a.steps if s.citation)
    assert not a.warnings


def test_noncompete_floor_and_too_long() -> None:
    a = worked.noncompete_compensation(months=36, average_monthly_wage=D(5000), minimum_wage=D(2500))
    assert a.figures["monthly"] == D(2500) and a.figures["months"] == 24
    assert [w.code for w in a.warnings] == ["noncompete.too_long"]


# --- properties ----------------------------------------------------------------------------------------


@given(days, st.integers(0, 400), st.integers(0, 400), wages, averages)
def test_monotonic_in_service_by_dates(start: dt.date, a: int, b: int, wage: Decimal, avg: Decimal | None) -> None:
    short, long = sorted((a, b))
    one = comp(start=start, end=start + dt.timedelta(days=short * 10), monthly_wage=wage, local_average_wage=avg)
    two = comp(start=start, end=start + dt.timedelta(days=long * 10), monthly_wage=wage, local_average_wage=avg)
    assert one.figures["amount"] <= two.figures["amount"]


@given(st.integers(0, 600), wages, averages, wages)
def test_n_plus_1_is_n_plus_last_month(months: int, wage: Decimal, avg: Decimal | None, last: Decimal) -> None:
    n = comp(ground="art40_2", service_months=months, monthly_wage=wage, local_average_wage=avg)
    n1 = comp(ground="art40_2", service_months=months, monthly_wage=wage, local_average_wage=avg,
              notice_given=False, last_month_wage=last)
    assert n1.figures["amount"] == n.figures["amount"] + last.quantize(D("0.01"))
    assert n1.figures["n"] == n.figures["n"]


@given(st.integers(0, 600), wages, averages)
def test_2n_is_twice_n_and_caps_hold(months: int, wage: Decimal, avg: Decimal | None) -> None:
    n = comp(service_months=months, monthly_wage=wage, local_average_wage=avg)
    two = comp(service_months=months, monthly_wage=wage, local_average_wage=avg, unlawful=True)
    assert two.figures["amount"] == 2 * n.figures["amount"] and two.figures["kind"] == "2N"
    if avg is not None and wage > 3 * avg:
        assert n.figures["monthly_base"] == (3 * avg).quantize(D("0.01")) and n.figures["years_counted"] <= 12
        assert n.figures["amount"] <= (3 * avg * 12).quantize(D("0.01"))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)), st.integers(0, 3000))
def test_wage_window_is_at_most_twelve_consecutive_months(hire: dt.date, length: int) -> None:
    months = wage_window(hire, hire + dt.timedelta(days=length))
    assert 1 <= len(months) <= 12
    assert months[0] >= (hire.year, hire.month)
    indexes = [y * 12 + m for y, m in months]
    assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))


# --- wage definition (Regulation Art. 27) ---------------------------------------------------------------


def test_window_before_the_last_month_and_including_a_month_end() -> None:
    assert wage_window(dt.date(2020, 1, 1), dt.date(2026, 3, 15))[0] == (2025, 3)
    assert wage_window(dt.date(2020, 1, 1), dt.date(2026, 3, 15))[-1] == (2026, 2)
    assert wage_window(dt.date(2020, 1, 1), dt.date(2026, 3, 31))[-1] == (2026, 3)
    assert wage_window(dt.date(2026, 1, 10), dt.date(2026, 3, 31)) == [(2026, 1), (2026, 2), (2026, 3)]
    assert wage_window(dt.date(2026, 3, 2), dt.date(2026, 3, 20)) == [(2026, 3)]


def test_missing_months_are_named() -> None:
    window = wage_window(dt.date(2026, 1, 10), dt.date(2026, 3, 31))
    with pytest.raises(MissingWageMonths) as exc:
        average_wage({(2026, 1): D(9000)}, window)
    assert exc.value.labels == ["2026-02", "2026-03"]


def test_average_raised_to_minimum_wage() -> None:
    a = average_wage({(2026, 1): D(1000), (2026, 2): D(2000)}, [(2026, 1), (2026, 2)], D(2500))
    assert a.average == D(2500) and a.minimum_applied and a.total == D(3000)


# --- last day, probation, annual leave -----------------------------------------------------------------


def test_last_day_resignation_probation_and_bad_input() -> None:
    assert worked.last_working_day(dt.date(2026, 3, 1)).figures["last_day"] == dt.date(2026, 3, 31)
    assert worked.last_working_day(dt.date(2026, 3, 1), in_probation=True).figures["last_day"] == dt.date(2026, 3, 4)
    early = worked.last_working_day(dt.date(2026, 3, 1), proposed_last_day=dt.date(2026, 3, 10))
    assert [w.code for w in early.warnings] == ["last_day.early"]
    with pytest.raises(worked.CalculationError) as exc:
        worked.last_working_day(dt.date(2026, 3, 1), proposed_last_day=dt.date(2026, 2, 28))
    assert exc.value.field == "proposed_last_day" and "早于通知日期" in exc.value.zh


def test_probation_limits_and_warnings() -> None:
    assert worked.probation_limit("fixed_term", dt.date(2026, 1, 1), dt.date(2026, 12, 31)).figures["max_months"] == 2
    assert worked.probation_limit("fixed_term", dt.date(2026, 1, 1), dt.date(2026, 6, 30)).figures["max_months"] == 1
    assert worked.probation_limit("open_ended", dt.date(2026, 1, 1)).figures["max_months"] == 6
    over = worked.probation_limit("fixed_term", dt.date(2026, 1, 1), dt.date(2026, 6, 30), proposed_months=3)
    assert [w.code for w in over.warnings] == ["probation.too_long"]
    with pytest.raises(worked.CalculationError):
        worked.probation_limit("fixed_term", dt.date(2026, 1, 1), dt.date(2025, 1, 1))


def test_annual_leave_new_hire_and_leaving() -> None:
    a = worked.annual_leave(dt.date(2010, 7, 1), dt.date(2026, 4, 1), 2026)
    assert (a.figures["yearly_days"], a.figures["days"]) == (10, 7)
    b = worked.annual_leave(dt.date(2010, 7, 1), dt.date(2020, 1, 1), 2026, last_day=dt.date(2026, 6, 30),
                            taken_days=2)
    assert b.figures["untaken_on_leaving"] == 2  # 181 days × 10 ÷ 365 = 4.96 → 4, minus 2 taken
    with pytest.raises(worked.CalculationError):
        worked.annual_leave(dt.date(2010, 7, 1), dt.date(2009, 1, 1), 2026)


@pytest.mark.parametrize("field,kw", [
    ("monthly_wage", {"monthly_wage": D(-1), "service_months": 12}),
    ("monthly_wage", {"monthly_wage": D("1000000000"), "service_months": 12}),
    ("local_average_wage", {"monthly_wage": D(1), "service_months": 12, "local_average_wage": D(0)}),
    ("service_months", {"monthly_wage": D(1), "service_months": 100000}),
    ("end_date", {"monthly_wage": D(1), "start": dt.date(2026, 1, 1), "end": dt.date(2025, 1, 1)}),
    ("start_date", {"monthly_wage": D(1)}),
])
def test_compensation_bad_input_names_the_field(field: str, kw: dict[str, object]) -> None:
    with pytest.raises(worked.CalculationError) as exc:
        comp(**kw)
    assert exc.value.field == field
