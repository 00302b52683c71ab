"""PostgreSQL: the pg_trgm GIN index on the employee name serves "name contains" searches."""

from __future__ import annotations

import pytest
from django.db import connection

from hrguard.people.models import Employee
from hrguard.people.selectors import search_q

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
