from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrguard.law import hours
from hrguard.law.citations import Citation
from hrguard.law.hours import OvertimeKind, hourly_wage, overtime_pay, overtime_violations

D = Decimal


def test_names_the_activity_adapter_uses() -> None:
    assert hours.MONTHLY_OVERTIME_LIMIT_HOURS == 36
    assert hours.DAILY_OVERTIME_LIMIT_SPECIAL_HOURS == 3
    assert isinstance(hours.ART_41, Citation) and hours.ART_41.zh == "《劳动法》第41条"
    assert (hours.DAILY_HOURS, hours.WEEKLY_HOURS, hours.DAILY_OVERTIME_LIMIT_HOURS) == (8, 40, 1)


@pytest.mark.parametrize(("kind", "pay"), [("workday", D("300.00")), ("rest_day", D("400.00")),
                                           ("holiday", D("600.00"))])
def test_art44_rates(kind: str, pay: Decimal) -> None:
    assert overtime_pay(D(50), 4, kind) == pay


def test_rest_day_with_comp_time_and_holiday_without() -> None:
    assert overtime_pay(D(50), 4, OvertimeKind.REST_DAY, comp_time_given=True) == 0
    assert overtime_pay(D(50), 4, OvertimeKind.HOLIDAY, comp_time_given=True) == D("600.00")
    with pytest.raises(ValueError):
        overtime_pay(D(50), -1, "workday")
    with pytest.raises(ValueError):
        overtime_pay(D(50), 1, "night")


def test_wage_conversion_21_75_days() -> None:
    assert hourly_wage(D("8700")).quantize(D("0.01")) == D("50.00")  # 8700 / 21.75 / 8
    assert overtime_pay(hourly_wage(D("8700")), D("1.5"), "workday") == D("112.50")


def test_art41_limits() -> None:
    assert overtime_violations([D(1)] * 20) == []
    (v,) = overtime_violations([D(2)] + [D(0)] * 20)
    assert v.code == "overtime.daily" and v.citation.article == "41"
    assert overtime_violations([D(2)] * 18, special=True) == []
    codes = {v.code for v in overtime_violations([D(3)] * 13, special=True)}
    assert codes == {"overtime.monthly"}


@given(st.decimals(min_value=D(0), max_value=D(1000), places=2), st.decimals(min_value=D(0), max_value=D(100),
                                                                             places=1))
def test_higher_kind_never_pays_less(wage: Decimal, h: Decimal) -> None:
    pays = [overtime_pay(wage, h, k) for k in OvertimeKind]
    assert pays == sorted(pays) and pays[0] >= (wage * h).quantize(D("0.01"))
