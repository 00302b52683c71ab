"""PostgreSQL: the pg_trgm GIN index on the employee name serves "name contains" searches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F, Value

from hrguard.people.models import Employee
from hrguard.people.selectors import NameHasBigram, search_q

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL only")


def test_name_contains_search_can_use_the_trigram_index(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'employee_name_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        # A test roster is too small for the planner to want an index: take the other ways away.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert "employee_name_trgm" in Employee.objects.filter(name__contains="欧阳娜").explain()
    found = Employee.objects.filter(search_q(world.company.pk, "欧阳娜")).order_by("employee_no")[:51]
    assert [e.employee_no for e in found] == ["S003"]


def test_two_character_search_uses_the_bigram_index_and_stays_exact(world):
    east = world.depts["east"]
    for no, name in (("B1", "张芳芳"), ("B2", "芳芳"), ("B3", "芳张芳"), ("B4", "李芳")):
        Employee.objects.create(company=world.company, employee_no=no, name=name, department=east,
                                department_path=east.path, hire_date=world.employees["east_rep"].hire_date)
    with connection.cursor() as cursor:
        cursor.execute("SELECT hrguard_bigrams('张芳芳')")
        assert sorted(cursor.fetchone()[0]) == sorted(["张芳", "芳芳"])
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    # The condition search_q writes for two characters is answered from the bigram index.
    assert "employee_name_bigrams" in Employee.objects.filter(NameHasBigram(F("name"), Value("芳芳"))).explain()
    query = Employee.objects.filter(search_q(world.company.pk, "芳芳"))
    assert sorted(e.employee_no for e in query) == ["B1", "B2"]  # 芳张芳 has both characters, not the pair
    assert sorted(e.employee_no for e in Employee.objects.filter(search_q(world.company.pk, "李芳"))) == ["B4"]


def test_name_indexes_have_no_pending_list_a_search_must_read(world):
    """GIN's fast-update list is read in full by every search until a vacuum merges it (3–8 ms of server
    CPU a search on a bulk-loaded roster of 100,000): both name indexes are built without it, so an
    employee added just now is found through the index proper."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_class c WHERE c.relname = ANY(%s) ORDER BY c.relname",
            [["employee_name_bigrams", "employee_name_trgm"]],
        )
        rows = cursor.fetchall()
    assert [name for name, _options in rows] == ["employee_name_bigrams", "employee_name_trgm"]
    assert all("fastupdate=off" in (options or []) for _name, options in rows)
    east = world.depts["east"]
    Employee.objects.create(company=world.company, employee_no="N1", name="新来的", department=east,
                            department_path=east.path, hire_date=world.employees["east_rep"].hire_date)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert [e.employee_no for e in Employee.objects.filter(search_q(world.company.pk, "新来的"))] == ["N1"]
    assert [e.employee_no for e in Employee.objects.filter(search_q(world.company.pk, "新来"))] == ["N1"]
