"""The unfiltered roster's page comes from a statement compiled once per connection and viewer scope
(``selectors.compiled_roster_page``): the same rows, next and previous flags as the ORM's pages, for every
viewer (each sees only their scope) and every cursor."""

from __future__ import annotations

import pytest

from hrguard.people import selectors
from tests.people.test_views import _bulk_employees


def orm_page(user, size, *, number, after, before):
    qs = selectors.roster_columns(selectors.employee_list(user, selectors.EmployeeFilter()))
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


def test_filters_searches_and_offset_pages_go_through_the_orm(world):
    user = world.users["hr"]
    assert selectors.compiled_roster_page(user, selectors.EmployeeFilter(q="王"), 5, number=1, after=None,
                                          before=None) is None
    assert selectors.compiled_roster_page(user, selectors.EmployeeFilter(status="active"), 5, number=1,
                                          after=None, before=None) is None
    assert selectors.compiled_roster_page(user, selectors.EmployeeFilter(), 5, number=3, after=None,
                                          before=None) is None
