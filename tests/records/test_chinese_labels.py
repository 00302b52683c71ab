"""Chinese screens: each form gets its own label for a shared English word (message contexts), and no
English leaks into messages shown to a Chinese user."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from hrguard.attendance.forms import ShiftForm
from hrguard.performance.forms import CycleForm, PlanForm


@pytest.fixture
def chinese() -> Any:
    with translation.override("zh-hans"):
        yield


def labels(form: Any) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.base_fields.items()}


def test_shift_times_and_period_dates_have_their_own_labels(chinese: Any) -> None:
    shift = labels(ShiftForm)
    assert (shift["start_time"], shift["end_time"]) == ("上班时间", "下班时间")
    cycle = labels(CycleForm)
    assert (cycle["start_date"], cycle["end_date"]) == ("开始日期", "结束日期")
    assert labels(PlanForm)["start_date"] == "开始日期"
