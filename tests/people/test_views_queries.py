"""Every page runs a fixed number of SQL queries whatever the data size (5 vs 60 employees)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hrguard.people.models import Contract, Employee
from hrguard.people.synthetic import generate_company

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = pytest.mark.django_db


def queries(c: Client, url: str, **extra) -> int:
    c.get(url, **extra)  # warm up (session, first-request caches)
    with CaptureQueriesContext(connection) as ctx:
        resp = c.get(url, **extra)
    assert resp.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def small_and_large(db):
    return generate_company("q5", "小公司", employees=5, seed=1), generate_company(
        "q60", "大公司", employees=60, seed=1
    )


def pages_for(gen, role: str) -> list[str]:
    emp = gen.users["employee"].employee if role == "employee" else gen.employees[0]
    urls = {
        "hr": [
            reverse("home"),
            reverse("people:employee_list"),
            reverse("people:employee_list") + "?q=E0&status=active",
            reverse("people:employee_detail", args=[emp.pk]),
            reverse("evidence:employee_timeline", args=[emp.pk]),
            reverse("people:clause_list"),
            reverse("people:employee_create"),
            reverse("people:contract_create", args=[emp.pk]),
        ],
        "manager": [reverse("home"), reverse("people:employee_list")],
        "employee": [reverse("people:my_profile"), reverse("people:my_contact")],
    }
    return urls[role]


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_query_count_does_not_grow_with_employees(small_and_large, django_assert_max_num_queries, role, client_for):
    small, large = small_and_large
    c_small, c_large = client_for(small.users[role]), client_for(large.users[role])
    for url_small, url_large in zip(pages_for(small, role), pages_for(large, role), strict=True):
        # ``queries`` warms each page up first: a page may initialise per-employee rows on first view
        # (e.g. this year's statutory leave balance); the steady state must not depend on data size.
        n_small = queries(c_small, url_small)
        assert queries(c_large, url_large) == n_small, url_large


def test_profile_query_count_does_not_grow_with_history(small_and_large, django_assert_max_num_queries, client_for):
    """One employee with one contract and two events vs one with many contracts, clauses and events."""
    from hrguard.evidence.services import record_standalone

    small, _large = small_and_large
    hr = small.users["hr"]
    quiet, busy = small.employees[0], small.employees[1]
    c = client_for(hr)
    n_quiet = queries(c, reverse("people:employee_detail", args=[quiet.pk]))
    n_timeline = queries(c, reverse("evidence:employee_timeline", args=[quiet.pk]))
    base = Contract.objects.get(employee=busy)
    for i in range(8):
        Contract.objects.create(
            company=small.company,
            employee=busy,
            contract_no=f"EXTRA-{i}",
            contract_type="open_ended",
            start_date=base.start_date,
            wage=base.wage,
            work_location="上海",
        )
    for _ in range(30):
        record_standalone(small.company, hr, "sensitive.read", busy, {"field": "phone"}, employee=busy)
    assert queries(c, reverse("people:employee_detail", args=[busy.pk])) <= n_quiet
    assert queries(c, reverse("evidence:employee_timeline", args=[busy.pk])) <= n_timeline
    assert Employee.objects.filter(company=small.company).count() == 5
