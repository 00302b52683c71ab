"""A list page costs the same number of queries whatever the data size (no per-row queries, no COUNT)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrguard.core.models import Department
from hrguard.people.inputs import apply_indexes
from hrguard.people.models import (
    ClauseTemplate,
    Contract,
    ContractClause,
    Employee,
    LifecycleEvent,
    SupplementaryAgreement,
)
from hrguard.people.selectors import visible_employees

_serial = itertools.count(1)


def grow(world, n: int) -> None:
    """Add ``n`` employees (half in the sales subtree, half in R&D), each with a contract that has two clauses
    and a supplementary agreement; ``n`` more lifecycle events for each of the first two; a few sales sub-departments."""
    company = world.company
    tpl = ClauseTemplate.objects.get_or_create(company=company, code="CONF", defaults={"title": "保密", "body": "…"})[0]
    depts = [world.depts["east"], world.depts["rnd"]]
    position = world.employees["engineer"].position
    employees = []
    for i in range(n):
        k = next(_serial)
        emp = Employee(
            company=company, employee_no=f"G{k:05d}", name=f"员工{k}", department=depts[i % 2], position=position,
            hire_date=dt.date(2021, 1, 4), phone=f"139{k:08d}", bank_account=f"62220000{k:011d}",
            manager=world.employees["sales_manager"],
        )
        apply_indexes(emp)
        employees.append(emp)
    Employee.objects.bulk_create(employees)
    contracts = Contract.objects.bulk_create(
        Contract(
            company=company, employee=e, contract_no=f"C-{e.employee_no}", contract_type="open_ended",
            start_date=dt.date(2021, 1, 4), wage=10000, work_location="上海",
        )
        for e in employees
    )
    ContractClause.objects.bulk_create(
        ContractClause(contract=c, template=tpl, title=f"条款{j}", body="…", is_key=j == 0, order=j)
        for c in contracts
        for j in range(2)
    )
    SupplementaryAgreement.objects.bulk_create(
        SupplementaryAgreement(company=company, contract=c, title="补充", body="…", effective_date=dt.date(2022, 1, 1))
        for c in contracts
    )
    for _i in range(max(n // 5, 1)):
        Department.objects.create(company=company, name=f"小组{next(_serial)}", parent=world.depts["sales"],
                                  manager=world.employees["east_rep"])
    hr = world.users["hr"]
    LifecycleEvent.objects.bulk_create(
        LifecycleEvent(company=company, employee=emp, kind="transfer", changes={"note": j}, created_by=hr,
                       effective_date=dt.date(2022, 1, 1) + dt.timedelta(days=j))
        for j in range(n)
        for emp in Employee.objects.filter(company=company, employee_no__startswith="G").order_by("employee_no")[:2]
    )


def count_queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, resp.content
    body = resp.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert not any("count(" in q["sql"].lower() for q in ctx.captured_queries)
    return len(ctx.captured_queries), len(rows)


LIST_URLS = ["/api/v1/employees/", "/api/v1/employees/?department={sales}&q=员工", "/api/v1/contracts/",
             "/api/v1/employees/{first}/lifecycle/", "/api/v1/departments/", "/api/v1/departments/tree/"]


@pytest.mark.parametrize("role", ["hr", "manager", "hrbp"])
@pytest.mark.parametrize("url", LIST_URLS)
def test_list_queries_do_not_grow_with_rows(world, api, django_assert_max_num_queries, role, url):
    client = api(world.users[role])
    grow(world, 5)
    user = world.users[role]
    first = visible_employees(user).filter(employee_no__startswith="G").order_by("employee_no").first().pk
    url = url.format(sales=world.depts["sales"].pk, first=first)
    client.get(url)  # warm-up: token and content-type caches
    small, small_rows = count_queries(client, url)
    grow(world, 55)
    with django_assert_max_num_queries(small):
        large, large_rows = count_queries(client, url)
    assert large == small
    assert large_rows >= small_rows
    print(f"{role} {url}: {small} queries ({small_rows} rows) vs {large} ({large_rows} rows)")
    assert small <= 7
