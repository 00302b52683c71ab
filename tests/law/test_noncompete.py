from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hrguard.law.noncompete import (
    Role,
    cancellation_extra,
    default_monthly_compensation,
    employee_may_cancel,
    validate_noncompete,
)

D = Decimal


def test_law_md_example_6_default_and_cancellation() -> None:
    check = validate_noncompete(Role.SENIOR_TECHNICAL, 24, average_monthly_wage=D(12000))
    assert check.violations == ()
    assert (check.monthly_compensation, check.compensation_is_default, check.total_compensation) == (
        D("3600.00"), True, D("86400.00"))
    assert cancellation_extra(check.monthly_compensation) == D("10800.00")


def test_default_not_below_minimum_wage() -> None:
    assert default_monthly_compensation(D(5000), D(2690)) == D("2690.00")
    assert default_monthly_compensation(D(5000)) == D("1500.00")


def test_violations() -> None:
    codes = {v.code for v in validate_noncompete("other", 36, monthly_compensation=D(3000)).violations}
    assert codes == {"noncompete.role", "noncompete.too_long"}
    (v,) = validate_noncompete(Role.CONFIDENTIALITY, 12, knows_secrets=False).violations
    assert v.code == "noncompete.no_secrets" and v.citation.article == "13"
    agreed = validate_noncompete(Role.SENIOR_MANAGER, 12, monthly_compensation=D(5000), average_monthly_wage=D(9000))
    assert (agreed.monthly_compensation, agreed.compensation_is_default, agreed.total_compensation) == (
        D(5000), False, D("60000.00"))
    assert validate_noncompete(Role.SENIOR_MANAGER, 12).monthly_compensation is None


def test_employee_may_cancel_after_three_unpaid_months() -> None:
    assert not employee_may_cancel(2) and employee_may_cancel(3)


@given(st.integers(-5, 60), st.decimals(min_value=D(0), max_value=D(100000), places=2))
def test_duration_over_two_years_always_flagged(months: int, wage: Decimal) -> None:
    check = validate_noncompete(Role.SENIOR_MANAGER, months, average_monthly_wage=wage)
    assert ("noncompete.too_long" in {v.code for v in check.violations}) == (months > 24)
    assert check.total_compensation is not None and 0 <= check.total_compensation <= check.monthly_compensation * 24
