"""The roster's page, unfiltered or searched, comes from a statement compiled once per connection, viewer
scope and search shape (``selectors.compiled_roster_page``): the same rows, next and previous flags as the
ORM's pages, for every viewer (each sees only their scope), every cursor and every kind of search text."""

from __future__ import annotations

import pytest

from hrguard.people import selectors
from tests.people.test_views import _bulk_employees


def orm_page(user, size, *, number, after, before, q=""):
    qs = selectors.roster_columns(selectors.employee_list(user, selectors.EmployeeFilter(q=q)))
    if after is not None or before is not None:
        return selectors.keyset_page(qs, size, after=after, before=before)
    rows, has_next = selectors.page(qs, number, size)
    return rows, has_next, False


@pytest.mark.parametrize("viewer", ["hr", "manager", "employee", "hrbp", "engineer", "legal"])
def test_compiled_pages_equal_the_orm_pages(world, other_world, viewer):
    _bulk_employees(world, 23)
    _bulk_employees(other_world, 5)  # another company's employees (the same numbers) never show
    user = world.users[viewer]
    cursors = [(1, None, None), (2, "S001", None), (2, "X0007", None), (3, None, "X0010"), (2, None, "R001"),
               (2, "", None), (4, "X0022", "X0009"), (2, "Z", None), (2, None, "A")]
    for number, after, before in cursors:
        for _ in range(2):  # compiled on the first call, re-bound on the second
            compiled = selectors.compiled_roster_page(
                user, selectors.EmployeeFilter(), 5, number=number, after=after, before=before)
            assert compiled == orm_page(user, 5, number=number, after=after, before=before), (number, after, before)
    seen = {r.employee_no for r in selectors.compiled_roster_page(
        user, selectors.EmployeeFilter(), 100, number=1, after=None, before=None)[0]}
    assert seen == {r.employee_no for r in orm_page(user, 100, number=1, after=None, before=None)[0]}


# Every kind of search text: numbers (prefix, full-width, with LIKE's own characters), names of one to four
# characters, ASCII, a mobile and an ID number (blind indexes, for roles that read them), nothing found.
SEARCHES = ["S", "S00", "s001", "ｓ００", "X001", "S_0", "S%", "%", "_", "\\", "王", "欧阳", "欧阳娜", "欧阳娜娜",
            "阳娜", "批量1", "批量", "Ann", "  欧阳 ", "王_", "none such"]


@pytest.mark.parametrize("viewer", ["hr", "manager", "employee", "legal"])
def test_compiled_searches_equal_the_orm_searches(world, other_world, viewer):
    _bulk_employees(world, 23)
    _bulk_employees(other_world, 5)
    user = world.users[viewer]
    sensitive = [world.employees["east_rep"].phone, world.employees["east_rep"].id_number]
    for q in [*SEARCHES, *sensitive]:
        flt = selectors.EmployeeFilter(q=q)
        for number, after, before in [(1, None, None), (2, "S001", None), (2, None, "X0010")]:
            for _ in range(2):  # compiled on the first call, re-bound on the second
                compiled = selectors.compiled_roster_page(user, flt, 5, number=number, after=after, before=before)
                assert compiled == orm_page(user, 5, number=number, after=after, before=before, q=q), (q, after)


def test_search_patterns_are_escaped_when_bound(world):
    user = world.users["hr"]

    def found(q):
        rows = selectors.compiled_roster_page(user, selectors.EmployeeFilter(q=q), 50, number=1, after=None,
                                              before=None)[0]
        return [r.employee_no for r in rows]

    assert found("S0") == ["S001", "S002", "S003"]
    assert found("S_0") == [] and found("S%") == [] and found("%") == []  # LIKE's characters match themselves
    assert found("王") == ["S001"] and found("王_") == []
    assert found(world.employees["east_rep"].phone) == ["S002"]  # HR reads phones: found by the blind index
    assert [r.employee_no for r in selectors.compiled_roster_page(
        world.users["manager"], selectors.EmployeeFilter(q=world.employees["east_rep"].phone), 50, number=1,
        after=None, before=None)[0]] == []


def test_filters_and_offset_pages_go_through_the_orm(world):
    user = world.users["hr"]
    assert selectors.compiled_roster_page(user, selectors.EmployeeFilter(status="active"), 5, number=1,
                                          after=None, before=None) is None
    assert selectors.compiled_roster_page(user, selectors.EmployeeFilter(q="王", department=1), 5, number=1,
                                          after=None, before=None) is None
    assert selectors.compiled_roster_page(user, selectors.EmployeeFilter(q="王"), 5, number=3, after=None,
                                          before=None) is None
    assert selectors.compiled_roster_page(user, selectors.EmployeeFilter(), 5, number=3, after=None,
                                          before=None) is None
