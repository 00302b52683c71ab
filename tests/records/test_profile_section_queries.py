"""The profile's records section: a fixed number of queries whatever the records, and the same figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrguard.discipline.models import ClientComplaint, HandbookClause, Violation
from hrguard.leave.models import LeaveBalance
from hrguard.records.summary import summary_for_employee

pytestmark = pytest.mark.django_db

HR_QUERIES = 6  # leave: balances, used days, pending; violations (both numbers); complaints; money owed


def summarise(user: Any, employee: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as ctx:
        summary = summary_for_employee(user, employee)
    return summary, len(ctx.captured_queries)


def add_records(world: Any, employee: Any, n: int) -> None:
    clause = HandbookClause.objects.get_or_create(company=world.company, code="3.1", defaults={"title": "迟到"})[0]
    for i in range(n):
        Violation.objects.create(
            company=world.company, employee=employee, clause=clause, occurred_on=dt.date(2025, 3, 1 + i),
            facts="迟到", decision="warning", ack="" if i % 2 else "acknowledged",
        )
        Violation.objects.create(company=world.company, employee=employee, clause=clause,
                                 occurred_on=dt.date(2025, 3, 1 + i), facts="在查")  # not decided: not counted
        ClientComplaint.objects.create(company=world.company, employee=employee, client=f"客户{i}",
                                       received_on=dt.date(2025, 3, 1 + i), claimed_loss=Decimal("10.50"), facts="投诉")


def test_section_queries_do_not_grow_with_records(world: Any) -> None:
    hr, quiet, busy = world.users["hr"], world.employees["engineer"], world.employees["east_rep"]
    summary_for_employee(hr, quiet)  # the first look creates this year's statutory annual-leave row
    summary_for_employee(hr, busy)
    assert LeaveBalance.objects.filter(employee=busy, year=timezone.localdate().year).count() == 1
    _s, n_quiet = summarise(hr, quiet)
    add_records(world, busy, 6)
    summary, n_busy = summarise(hr, busy)
    assert n_quiet == n_busy == HR_QUERIES
    assert (summary.violations, summary.violations_awaiting_ack) == (6, 3)
    assert [c.client for c in summary.open_complaints] == [f"客户{i}" for i in range(5, -1, -1)]
    assert summary.open_complaints[0].claimed_loss == Decimal("10.50")
    assert summary.open_complaints[0].received_on == dt.date(2025, 3, 6)
    assert [b.leave_type for b in summary.balances] == ["annual"]
    assert LeaveBalance.objects.filter(employee=busy, year=timezone.localdate().year).count() == 1


def test_first_look_creates_the_annual_balance_once(world: Any) -> None:
    hr, emp = world.users["hr"], world.employees["sales_rep"]
    year = timezone.localdate().year
    assert not LeaveBalance.objects.filter(employee=emp, year=year).exists()
    first, _n = summarise(hr, emp)
    again, n_again = summarise(hr, emp)
    assert LeaveBalance.objects.filter(employee=emp, year=year).count() == 1
    assert first.balances == again.balances and n_again == HR_QUERIES
