"""Permission matrix: who sees whom (services/selectors level; pages and API have their own tests)."""

from __future__ import annotations

import pytest

from hrguard.people.selectors import EmployeeFilter, employee_detail, employee_list

pytestmark = pytest.mark.django_db


def visible(world, user_key):
    return {e.employee_no for e in employee_list(world.users[user_key], EmployeeFilter())}


def test_hr_sees_whole_company_only(world, other_world):
    assert visible(world, "hr") == {"S001", "S002", "S003", "R001"}
    assert visible(other_world, "hr") == {"S001", "S002", "S003", "R001"}
    a_ids = {e.pk for e in employee_list(world.users["hr"], EmployeeFilter())}
    b_ids = {e.pk for e in employee_list(other_world.users["hr"], EmployeeFilter())}
    assert not a_ids & b_ids


def test_manager_sees_department_tree(world):
    # The sales manager manages 销售部, which contains 华东组; not 研发部.
    assert visible(world, "manager") == {"S001", "S002", "S003"}


def test_hrbp_sees_partnered_departments(world):
    assert visible(world, "hrbp") == {"R001"}


def test_employee_sees_only_self(world):
    assert visible(world, "employee") == {"S002"}
    user = world.users["employee"]
    assert employee_detail(user, world.employees["east_rep"].pk) is not None
    assert employee_detail(user, world.employees["sales_rep"].pk) is None


def test_cross_company_detail_is_invisible(world, other_world):
    assert employee_detail(world.users["hr"], other_world.employees["east_rep"].pk) is None
    assert employee_detail(world.users["admin"], other_world.employees["engineer"].pk) is None


@pytest.mark.parametrize(
    ("user_key", "target", "perm", "allowed"),
    [
        ("hr", "east_rep", "people.view_employee_sensitive", True),
        ("manager", "east_rep", "people.view_employee_sensitive", False),
        ("employee", "east_rep", "people.view_employee_sensitive", True),
        ("employee", "sales_rep", "people.view_employee", False),
        ("manager", "east_rep", "people.view_employee", True),
        ("manager", "engineer", "people.view_employee", False),
        ("manager", "east_rep", "people.change_employee", False),
        ("hrbp", "engineer", "people.change_employee", True),
        ("hrbp", "east_rep", "people.change_employee", False),
        ("employee", "east_rep", "people.view_contracts", True),
        ("manager", "east_rep", "people.view_contracts", False),
        ("manager", "east_rep", "evidence.view_timeline", True),
        ("employee", "east_rep", "evidence.view_timeline", False),
        ("legal", "east_rep", "people.view_employee", True),
        ("finance", "east_rep", "people.view_employee", False),
    ],
)
def test_object_permissions(world, user_key, target, perm, allowed):
    assert world.users[user_key].has_perm(perm, world.employees[target]) is allowed


def test_no_permission_across_companies(world, other_world):
    for perm in ("people.view_employee", "people.change_employee", "people.view_employee_sensitive"):
        assert not world.users["hr"].has_perm(perm, other_world.employees["east_rep"])


def test_moving_a_department_moves_its_employees_scope(world):
    """A department moved under another parent carries its employees' scope paths along, so a manager
    of the new parent sees them and the old parent's manager no longer does."""
    from hrguard.people.models import Employee
    from hrguard.people.scope import scope_of

    east, rnd = world.depts["east"], world.depts["rnd"]
    rep = world.employees["east_rep"]
    manager = world.users["manager"]  # manages 销售部, which contains 华东组
    assert scope_of(manager).covers(rep)
    east.parent = rnd
    east.save()
    rep = Employee.objects.get(pk=rep.pk)
    assert rep.department_path == east.path
    assert rep.department_path.startswith(rnd.path)
    assert not scope_of(manager).covers(rep)
