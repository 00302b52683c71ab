"""Name pieces (EmployeeNameGram, SQLite): kept by database triggers on every write path; name search uses
them. The search results are checked on both databases (PostgreSQL answers from its own indexes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from hrguard.people.models import Employee, EmployeeNameGram
from hrguard.people.selectors import name_pieces, search_q

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the pieces table is SQLite's index")


def pieces_of(employee: Employee) -> set[str]:
    return set(EmployeeNameGram.objects.filter(employee_id=employee.pk).values_list("gram", flat=True))


def found(world, text: str) -> list[str]:
    qs = Employee.objects.filter(search_q(world.company.pk, text)).order_by("employee_no")[:51]
    return [e.employee_no for e in qs]


def new_employee(world, no: str, name: str) -> Employee:
    return Employee(
        company=world.company, employee_no=no, name=name, department=world.depts["rnd"],
        hire_date=dt.date(2022, 1, 1), id_number="",
    )


@sqlite_only
def test_pieces_follow_insert_rename_and_delete(world):
    emp = world.employees["sales_rep"]  # 欧阳娜娜, saved through the ORM by the fixture
    assert pieces_of(emp) == {"欧阳", "阳娜", "娜娜"}
    emp.name = "欧阳明"
    emp.save()
    assert pieces_of(emp) == {"欧阳", "阳明"}
    Employee.objects.filter(pk=emp.pk).update(name="王小明")  # no save(): the trigger still runs
    assert pieces_of(emp) == {"王小", "小明"}
    pk = emp.pk
    emp.delete()
    assert not EmployeeNameGram.objects.filter(employee_id=pk).exists()


@sqlite_only
def test_bulk_inserted_employees_get_their_pieces(world):
    made = Employee.objects.bulk_create([new_employee(world, "B001", "司马相如"), new_employee(world, "B002", "李")])
    by_no = {e.employee_no: e for e in Employee.objects.filter(pk__in=[e.pk for e in made])}
    assert pieces_of(by_no["B001"]) == {"司马", "马相", "相如"}
    assert pieces_of(by_no["B002"]) == set()  # one character: no piece (one-character searches scan)
    assert {g.company_id for g in EmployeeNameGram.objects.filter(employee_id=by_no["B001"].pk)} == {world.company.pk}


def test_search_by_two_and_more_characters_finds_through_the_pieces(world, other_world):
    Employee.objects.bulk_create([new_employee(world, "B001", "张测试员"), new_employee(world, "B002", "测张")])
    assert found(world, "测试") == ["B001", "S002"]  # 张测试 and 张测试员
    assert found(world, "张测试员") == ["B001"]
    assert found(world, "测张") == ["B002"]
    assert found(world, "试张") == []  # both pieces exist in the company, never next to each other
    assert found(world, "欧阳娜娜") == ["S003"]
    assert found(other_world, "欧阳娜娜") == ["S003"]  # each company finds its own only
    assert Employee.objects.filter(search_q(world.company.pk, "欧阳娜娜")).get().company_id == world.company.pk
    world.employees["east_rep"].name = "赵新名"
    world.employees["east_rep"].save()
    assert found(world, "测试") == ["B001"]
    assert found(world, "新名") == ["S002"]


@sqlite_only
def test_search_plan_uses_the_pieces_index(world):
    qs = Employee.objects.filter(search_q(world.company.pk, "欧阳娜")).order_by("employee_no")[:51]
    assert "employee_name_gram" in qs.explain()
    one = Employee.objects.filter(search_q(world.company.pk, "欧"))
    assert "people_employeenamegram" not in str(one.query)  # one character: no piece to look up


@sqlite_only
def test_pieces_are_first_and_last_two_characters():
    assert name_pieces("欧") == []
    assert name_pieces("欧阳") == ["欧阳"]
    assert name_pieces("司马相如") == sorted(["司马", "相如"])
    assert name_pieces("洋洋洋") == ["洋洋"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite LIKE ignores ASCII case; PostgreSQL's does not")
def test_ascii_letters_keep_the_case_insensitive_search_on_sqlite(world):
    Employee.objects.bulk_create([new_employee(world, "B001", "Anna Li")])
    assert name_pieces("anna") == []
    assert found(world, "anna li") == ["B001"]
    assert found(world, "NA L") == ["B001"]
