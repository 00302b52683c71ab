"""Object-level permission predicates and the people and evidence-timeline permissions (django-rules;
loaded by ``PeopleConfig.ready``). Checked with ``user.has_perm(name, obj)``; other apps build their
permissions from these predicates."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import SENSITIVE_READERS

from .scope import scope_of


@rules.predicate
def same_company(user: Any, obj: Any) -> bool:
    return obj is not None and user.is_authenticated and obj.company_id == user.company_id


@rules.predicate
def is_hr(user: Any) -> bool:
    return user.is_authenticated and user.is_hr


@rules.predicate
def reads_roster(user: Any) -> bool:
    return user.is_authenticated and user.reads_roster


@rules.predicate
def is_self(user: Any, employee: Any) -> bool:
    return employee is not None and employee.pk == scope_of(user).employee_id


def employee_of(obj: Any) -> Any:
    """The employee a record is about (its ``employee``), or the object itself when it is an employee."""
    return getattr(obj, "employee", obj)


@rules.predicate
def is_subject(user: Any, obj: Any) -> bool:
    """The user is the employee the object (a record about someone, or an employee) is about — the party
    rule of risk, offboarding and care: nobody acts on, or reads the restricted parts of, a case about
    themself."""
    employee = employee_of(obj)
    return employee is not None and user.is_authenticated and employee.pk == scope_of(user).employee_id


@rules.predicate
def manages(user: Any, employee: Any) -> bool:
    return employee is not None and scope_of(user).manages(employee)


@rules.predicate
def partners(user: Any, employee: Any) -> bool:
    return employee is not None and scope_of(user).partners(employee)


@rules.predicate
def reads_sensitive(user: Any) -> bool:
    return user.is_authenticated and user.role in SENSITIVE_READERS


@rules.predicate
def is_employee_of_company(user: Any) -> bool:
    return user.is_authenticated and user.company_id is not None


# Employees
rules.add_perm("people.view_employee", same_company & (reads_roster | is_self | manages | partners))
rules.add_perm("people.change_employee", same_company & (is_hr | partners))
rules.add_perm("people.add_employee", is_hr)
rules.add_perm("people.view_employee_sensitive", same_company & (reads_sensitive | is_self))
rules.add_perm("people.change_own_contact", same_company & is_self)
rules.add_perm("people.record_lifecycle", same_company & (is_hr | partners))
rules.add_perm("people.import_employees", is_hr)
rules.add_perm("people.export_employees", is_hr)
# Payroll and social-insurance work need the full numbers: HR roles that may read sensitive fields.
rules.add_perm("people.export_employees_unmasked", is_hr & reads_sensitive)
# Contracts: predicate receives the employee the contract belongs to.
rules.add_perm("people.view_contracts", same_company & (is_hr | partners | is_self))
rules.add_perm("people.change_contracts", same_company & is_hr)
rules.add_perm("people.manage_clauses", is_hr)
# Evidence timeline of an employee
rules.add_perm("evidence.view_timeline", same_company & (reads_roster | partners | manages))
rules.add_perm("evidence.verify", is_hr)


def role_in(*roles: str) -> Any:
    """A predicate: the signed-in user has one of these roles."""

    @rules.predicate(name=f"role_in({', '.join(roles)})")
    def predicate(user: Any) -> bool:
        return user.is_authenticated and user.role in roles

    return predicate
