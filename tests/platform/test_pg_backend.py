"""PostgreSQL backend ``hrguard.platform.postgresql``: the health check before a request's first query asks
the socket first (a live connection costs no ``SELECT 1``; one the server ended is seen, checked, closed and
replaced, so the request still gets its answer), and statements are prepared after psycopg's threshold
except those whose plan should follow their values."""

from __future__ import annotations

import select

import pytest
from django.db import connection, connections

from hrguard.people.models import Employee

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's health check"),
    pytest.mark.django_db,
]


@pytest.fixture
def checked():
    """A second connection to the test database with health checks on, as the production settings have."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "CONN_HEALTH_CHECKS": True, "CONN_MAX_AGE": None}
    calls = []
    usable = wrapper.is_usable

    def counted() -> bool:
        calls.append(wrapper.connection.info.backend_pid)
        return usable()

    wrapper.is_usable = counted
    wrapper.ensure_connection()
    yield wrapper, calls
    wrapper.close()


def backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_engine_is_the_platform_backend():
    assert connection.settings_dict["ENGINE"] == "hrguard.platform.postgresql"


def test_a_live_connection_is_reused_without_a_round_trip(checked):
    wrapper, calls = checked
    first = backend_pid(wrapper)
    for _ in range(3):  # three requests
        wrapper.close_if_unusable_or_obsolete()  # what request_started does
        assert not wrapper.health_check_done
        assert backend_pid(wrapper) == first
        assert wrapper.health_check_done
    assert calls == []  # no SELECT 1 was sent


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(checked):
    wrapper, calls = checked
    old = backend_pid(wrapper)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old])
        assert cursor.fetchone()[0] is True
    # The server's FATAL message and the close reach the socket (wait for them: no time is asserted).
    poller = select.poll()
    poller.register(wrapper.connection.fileno(), select.POLLIN)
    assert poller.poll(10_000)
    wrapper.close_if_unusable_or_obsolete()  # the next request starts
    assert not wrapper.socket_quiet()
    new = backend_pid(wrapper)  # the request's first query: answered, on a new connection
    assert new != old
    assert calls == [old]  # Django's own check ran once, on the old connection, and failed
    wrapper.close_if_unusable_or_obsolete()
    assert backend_pid(wrapper) == new
    assert calls == [old]


def test_a_connection_inside_a_transaction_is_checked_the_usual_way(checked):
    wrapper, calls = checked
    pid = backend_pid(wrapper)
    wrapper.connection.execute("BEGIN")  # libpq: not idle, so the socket alone does not decide
    assert not wrapper.socket_quiet()
    wrapper.connection.execute("ROLLBACK")
    assert wrapper.socket_quiet()
    assert calls == [] and backend_pid(wrapper) == pid


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_fixed_queries_are_prepared_and_name_searches_are_planned_each_time(world):
    """The test settings bind on the server and prepare from the fifth execution, as production does."""
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    employees = list(world.employees.values())
    for i in range(6):
        employee = employees[i % len(employees)]
        assert Employee.objects.filter(pk=employee.pk).values_list("employee_no", flat=True).get()
    for text in ("欧阳娜", "芳", "李芳", "王", "张伟", "赵"):
        list(Employee.objects.filter(name__contains=text).values_list("pk", flat=True))
    statements = prepared_statements()
    head = 'SELECT "people_employee"."employee_no" AS "employee_no" FROM "people_employee" WHERE "people_employee"."id" = $1'
    assert len([s for s in statements if s.startswith(head)]) == 1  # one statement, whatever the value
    assert not [s for s in statements if "LIKE" in s.upper()]
    # Same answers as before it was prepared.
    east_rep = world.employees["east_rep"]
    assert Employee.objects.filter(pk=east_rep.pk).values_list("employee_no", flat=True).get() == east_rep.employee_no


def test_value_planned_statements_are_told_apart_and_remembered():
    from hrguard.platform.postgresql.base import value_planned

    value_planned.cache_clear()
    like = 'SELECT "id" FROM "people_employee" WHERE "name" LIKE %s ORDER BY "employee_no"'
    array = 'SELECT "id" FROM "people_employee" WHERE "tags" @> %s'
    fixed = 'SELECT "id", "name" FROM "people_employee" WHERE "id" = %s'
    named_like = 'SELECT "likes_count" FROM "x" WHERE "unlikely" = %s'  # LIKE inside a word is not a LIKE
    for _round in range(3):
        assert [value_planned(s) for s in (like, array, fixed, named_like)] == [True, True, False, False]
    info = value_planned.cache_info()
    assert (info.misses, info.hits) == (4, 8)
