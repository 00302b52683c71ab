import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hrguard.law.disputes import ART_27, limitation_deadline

D = dt.date


def test_one_year_from_knowledge() -> None:
    assert limitation_deadline(D(2025, 3, 10)) == D(2026, 3, 10)
    assert limitation_deadline(D(2024, 2, 29)) == D(2025, 2, 28)  # no corresponding day: month end
    assert ART_27.article == "27" and "劳动争议调解仲裁法" in ART_27.zh


def test_wage_arrears_run_from_end_of_employment() -> None:
    assert limitation_deadline(D(2020, 1, 1), wage_arrears=True) is None
    assert limitation_deadline(D(2020, 1, 1), wage_arrears=True, employment_ended_on=D(2025, 6, 30)) == D(2026, 6, 30)


def test_deadline_on_holiday_moves_to_next_working_day() -> None:
    holidays = {D(2026, 10, d) for d in range(1, 8)}
    assert limitation_deadline(D(2025, 10, 1), is_non_working_day=holidays.__contains__) == D(2026, 10, 8)
    weekend = limitation_deadline(D(2025, 3, 14), is_non_working_day=lambda d: d.weekday() >= 5)
    assert weekend == D(2026, 3, 16)  # 2026-03-14 is a Saturday


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_deadline_within_a_year(known: dt.date) -> None:
    deadline = limitation_deadline(known)
    assert deadline is not None and 365 <= (deadline - known).days <= 366
