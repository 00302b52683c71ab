"""工作台 and search cost the same number of queries with 5 or 60 employees, each with pending leave, an
expiring contract, a probation end, an unread message and an open process step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hrguard.people.synthetic import generate_company

from .conftest import TODAY

pytestmark = pytest.mark.django_db

ONE_STEP = {"stages": [{"key": "manager", "name": "上级审批", "kind": "approval", "assignee": {"rule": "manager"},
                        "due": {"days": 1, "unit": "calendar"}}]}


def populate(gen: Any) -> Any:
    from hrguard.leave.models import LeaveRequest
    from hrguard.people.models import Contract, Employee, EmployeeStatus
    from hrguard.workflows import editing, services

    company = gen.company
    ids = [e.pk for e in gen.employees]
    Contract.objects.filter(company=company, employee_id__in=ids[::2]).update(end_date=TODAY + dt.timedelta(days=9))
    Contract.objects.filter(company=company, employee_id__in=ids[1::2]).update(
        probation_end_date=TODAY + dt.timedelta(days=5))
    Employee.objects.filter(pk__in=ids[1::2]).update(status=EmployeeStatus.PROBATION)
    LeaveRequest.objects.bulk_create([
        LeaveRequest(company=company, employee=e, leave_type="personal", start_date=TODAY, end_date=TODAY,
                     days=Decimal("1"), status="pending") for e in gen.employees
    ])
    editing.create_template(actor=gen.users["admin"], company=company, key="q.flow", name="流程", definition=ONE_STEP)
    for e in gen.employees[:: max(1, len(gen.employees) // 10)]:
        services.start(actor=gen.users["hr"], company=company, template_key="q.flow", subject=e, subject_employee=e)
    return gen


@pytest.fixture
def small_and_large(db: Any) -> tuple[Any, Any]:
    return (populate(generate_company("wq5", "小公司", employees=5, seed=1)),
            populate(generate_company("wq60", "大公司", employees=60, seed=1)))


def queries(client: Any, url: str) -> int:
    client.get(url)  # warm up: session, chart cache
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["hr", "manager", "employee", "finance", "admin"])
def test_workbench_and_search_queries_do_not_grow(small_and_large, role, client_for, django_assert_max_num_queries):
    small, large = small_and_large
    urls = [reverse("home"), reverse("search") + "?q=E0", reverse("search") + "?q=%231"]
    for url in urls:
        n = queries(client_for(small.users[role]), url)
        big = client_for(large.users[role])
        big.get(url)  # the same warm-up
        with django_assert_max_num_queries(n, info=f"{role} {url}"):
            assert big.get(url).status_code == 200
        assert n <= 30, (role, url, n)
