"""``platform.prepared``: a read query compiled once per connection gives what the QuerySet gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrguard.core.backends import UserBackend
from hrguard.people.models import Employee
from hrguard.platform.prepared import Prepared

pytestmark = pytest.mark.django_db


def test_rows_are_the_querysets_rows_for_each_value(world: Any) -> None:
    built: list[dict[str, Any]] = []

    def build(*, company_id: int, no: str) -> Any:
        built.append({"company_id": company_id, "no": no})
        return Employee.objects.select_related("department", "manager").filter(company_id=company_id, employee_no=no)

    query = Prepared(build)
    for e in world.employees.values():
        rows = query.rows(company_id=e.company_id, no=e.employee_no)
        expected = list(build(company_id=e.company_id, no=e.employee_no))
        assert [(r.pk, r.name, r.id_number, r.department.name) for r in rows] == \
            [(r.pk, r.name, r.id_number, r.department.name) for r in expected]
        assert rows[0].manager == expected[0].manager  # select_related filled in the same way
    assert query.rows(company_id=world.company.pk, no="none such") == []
    assert query.rows(company_id=world.company.pk + 1, no="S001") == []  # another company's: nothing
    # Compiled once on this connection (two builds to check the shape), then only run: one query each.
    n_builds = len(built) - len(world.employees)  # those for ``expected``
    assert n_builds == 2
    with CaptureQueriesContext(connection) as ctx:
        query.rows(company_id=world.company.pk, no="S001")
    assert len(ctx.captured_queries) == 1


def test_values_lists_and_shapes(world: Any) -> None:
    query = Prepared(lambda *, limit, company_id: Employee.objects.filter(company_id=company_id)
                     .order_by("employee_no").values_list("employee_no", flat=True)[:limit])
    assert query.rows(shape={"limit": 2}, company_id=world.company.pk) == ["R001", "S001"]
    assert query.rows(shape={"limit": 3}, company_id=world.company.pk) == ["R001", "S001", "S002"]


def test_values_that_change_the_sql_are_refused(world: Any) -> None:
    like = Prepared(lambda *, q: Employee.objects.filter(name__contains=q))
    with pytest.raises(ValueError, match="transformed"):
        like.rows(q="张")
    branching = Prepared(lambda *, pk: Employee.objects.filter(pk=pk) if pk % 2 else Employee.objects.filter(pk=pk, name="x"))
    with pytest.raises(ValueError):
        branching.rows(pk=1)
    unused = Prepared(lambda *, pk: Employee.objects.filter(pk=1))
    with pytest.raises(ValueError, match="does not reach"):
        unused.rows(pk=1)
    with pytest.raises(TypeError):
        Prepared(lambda *, flag: Employee.objects.filter(pk=1)).rows(flag=True)


def test_user_backend_loads_the_user_with_company_and_own_employee(world: Any) -> None:
    backend = UserBackend()
    manager = world.users["manager"]
    user = backend.get_user(manager.pk)
    assert user == manager and user.company.name == "甲公司"
    assert user.own_employee_id == world.employees["sales_manager"].pk
    assert backend.get_user(str(manager.pk)) == manager  # as ``get(pk=…)`` took it
    assert backend.get_user(10**9) is None and backend.get_user("x") is None
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    assert backend.get_user(manager.pk) is None  # read afresh every time: nothing is cached but the SQL


def test_like_values_are_bound_as_django_escapes_them(world: Any) -> None:
    # Declared in ``like=``: the value may reach the SQL as a startswith / contains / endswith pattern.
    query = Prepared(lambda *, q, no: Employee.objects.filter(name__contains=q, employee_no__startswith=no)
                     .order_by("employee_no").values_list("employee_no", flat=True), like=["q", "no"])
    for q, no in [("欧阳", "S"), ("王", ""), ("", "S00"), ("%", ""), ("_", "S"), ("欧_", ""), ("", "S_0"), ("\\", "")]:
        expected = list(Employee.objects.filter(name__contains=q, employee_no__startswith=no)
                        .order_by("employee_no").values_list("employee_no", flat=True))
        assert query.rows(q=q, no=no) == expected, (q, no)
    assert query.rows(q="欧阳", no="S") == ["S003"] and query.rows(q="", no="S_0") == []
    # A value transformed otherwise is still refused, even when declared.
    upper = Prepared(lambda *, q: Employee.objects.filter(name=q + "x"), like=["q"])
    with pytest.raises(ValueError, match="transformed"):
        upper.rows(q="张")


def test_converters_are_found_once_per_statement_and_still_applied(world: Any, monkeypatch: Any) -> None:
    from django.db.models.sql.compiler import SQLCompiler

    found: list[int] = []
    original = SQLCompiler.get_converters

    def counting(self: Any, expressions: Any) -> Any:
        found.append(len(expressions))
        return original(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    query = Prepared(lambda *, company_id: Employee.objects.filter(company_id=company_id)
                     .order_by("employee_no").only("employee_no", "id_number", "hire_date"))
    first = query.rows(company_id=world.company.pk)
    compiled = len(found)
    assert compiled >= 1
    for _ in range(3):
        again = query.rows(company_id=world.company.pk)
        # Decrypted ID numbers and dates: the converters ran, from what was found at compile time.
        assert [(e.employee_no, e.id_number, e.hire_date) for e in again] == \
            [(e.employee_no, e.id_number, e.hire_date) for e in first]
    assert len(found) == compiled
    expected = list(Employee.objects.filter(company_id=world.company.pk).order_by("employee_no"))
    assert [(e.employee_no, e.id_number, e.hire_date) for e in first] == \
        [(e.employee_no, e.id_number, e.hire_date) for e in expected]
