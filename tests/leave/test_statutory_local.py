"""Maternity leave ceiling: national days (law/) plus the configured extension of the company's city."""

from __future__ import annotations

import pytest
from django.test import override_settings

from hrguard.law import leave
from hrguard.leave import statutory
from hrguard.leave.models import LeaveType

pytestmark = pytest.mark.django_db


def test_ceiling_adds_the_city_extension(world):
    emp = world.employees["east_rep"]
    national = leave.maternity_leave_days(max_case=True)
    assert statutory.max_leave_days(emp, LeaveType.MATERNITY)[0] == national
    world.company.city = "上海"
    world.company.save()
    emp.company.city = "上海"
    with override_settings(HRGUARD_MATERNITY_LOCAL_EXTRA_DAYS={"上海": 60}):
        assert statutory.max_leave_days(emp, LeaveType.MATERNITY)[0] == national + 60
    assert statutory.max_leave_days(emp, LeaveType.ANNUAL) is None
