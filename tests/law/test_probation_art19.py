import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrguard.law.contracts import (
    ContractType,
    add_months,
    max_probation_months,
    validate_probation,
    validate_probation_wage,
)

START = dt.date(2025, 1, 1)
FIXED = ContractType.FIXED_TERM


@pytest.mark.parametrize(
    ("end", "limit"),
    [
        (dt.date(2025, 3, 30), 0),  # under 3 months
        (dt.date(2025, 3, 31), 1),  # exactly 3 months
        (dt.date(2025, 12, 30), 1),  # one day short of a year
        (dt.date(2025, 12, 31), 2),  # exactly one year
        (dt.date(2027, 12, 30), 2),  # one day short of three years
        (dt.date(2027, 12, 31), 6),  # exactly three years
        (dt.date(2030, 12, 31), 6),
    ],
)
def test_art19_limits_at_the_boundaries(end: dt.date, limit: int) -> None:
    assert max_probation_months(FIXED, START, end) == limit


def test_open_ended_and_task_based() -> None:
    assert max_probation_months(ContractType.OPEN_ENDED, START, None) == 6
    assert max_probation_months(ContractType.TASK_BASED, START, dt.date(2030, 1, 1)) == 0
    (v,) = validate_probation(ContractType.TASK_BASED, START, None, 1)
    assert v.code == "probation.not_allowed" and "第十九条" in v.message_zh and "Art. 19" in v.message_en


def test_too_long_names_limit_and_article() -> None:
    (v,) = validate_probation(FIXED, START, dt.date(2025, 12, 31), 3)
    assert v.code == "probation.too_long"
    assert "最长2个月" in v.message_zh and v.citation.article == "19"
    assert validate_probation(FIXED, START, dt.date(2025, 12, 31), 2) == []
    assert validate_probation(FIXED, START, dt.date(2025, 12, 31), 0) == []


def test_only_one_probation_per_employer() -> None:
    codes = {v.code for v in validate_probation(FIXED, START, dt.date(2028, 1, 1), 1, prior_probation=True)}
    assert codes == {"probation.repeat"}


def test_probation_wage_floor_art20() -> None:
    assert validate_probation_wage(Decimal("8000"), Decimal("10000")) == []
    (v,) = validate_probation_wage(Decimal("7999.99"), Decimal("10000"))
    assert v.citation.article == "20" and "8000.00" in v.message_zh
    codes = {v.code for v in validate_probation_wage(Decimal("2000"), Decimal("2400"), Decimal("2690"))}
    assert codes == {"probation_wage.below_minimum"}


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


@given(st.integers(min_value=0, max_value=4000), st.integers(min_value=0, max_value=4000))
def test_limit_is_monotonic_in_contract_length(a: int, b: int) -> None:
    short, long = sorted((a, b))
    assert max_probation_months(FIXED, START, START + dt.timedelta(days=short)) <= max_probation_months(
        FIXED, START, START + dt.timedelta(days=long)
    )


def test_service_period_penalty_prorated_art22() -> None:
    from hrguard.law.contracts import service_period_penalty_cap

    assert service_period_penalty_cap(Decimal("30000"), 1095, 365) == Decimal("20000.00")
    assert service_period_penalty_cap(Decimal("30000"), 1095, 1095) == Decimal("0.00")
    assert service_period_penalty_cap(Decimal("30000"), 1095, 0) == Decimal("30000.00")
    assert service_period_penalty_cap(Decimal("30000"), 0, 0) == Decimal("0.00")
