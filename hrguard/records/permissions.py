"""Object-level permissions of the record apps (django-rules; loaded by ``RecordsConfig.ready``).

Every object permission receives the *employee* the record belongs to."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import Role
from hrguard.people.permissions import is_hr, is_self, manages, partners, reads_roster, same_company

from .access import COMPLAINT_RECORDERS, DISCIPLINE_ROLES, EXPENSE_READERS, FINANCE_ROLES
from .access import is_line_manager as _is_line_manager


@rules.predicate
def line_manager(user: Any, employee: Any) -> bool:
    return _is_line_manager(user, employee)


@rules.predicate
def discipline_role(user: Any) -> bool:
    return user.is_authenticated and user.role in DISCIPLINE_ROLES


@rules.predicate
def finance_role(user: Any) -> bool:
    return user.is_authenticated and user.role in FINANCE_ROLES


@rules.predicate
def expense_reader(user: Any) -> bool:
    return user.is_authenticated and user.role in EXPENSE_READERS


@rules.predicate
def complaint_recorder(user: Any) -> bool:
    return user.is_authenticated and user.role in COMPLAINT_RECORDERS


@rules.predicate
def compliance_role(user: Any) -> bool:
    return user.is_authenticated and user.role in (Role.ADMIN, Role.HR, Role.COMPLIANCE)


@rules.predicate
def has_company(user: Any) -> bool:
    return user.is_authenticated and user.company_id is not None


in_scope = same_company & (reads_roster | is_self | manages | partners)

# Attendance (shifts, calendar, imports are company-wide HR tasks).
rules.add_perm("attendance.view_attendance", in_scope)
rules.add_perm("attendance.manage_attendance", has_company & is_hr)
# Leave
rules.add_perm("leave.view_leave", in_scope)
rules.add_perm("leave.request_leave", same_company & (is_self | is_hr))
rules.add_perm("leave.decide_leave", same_company & ~is_self & (line_manager | is_hr))
rules.add_perm("leave.manage_leave_balances", same_company & is_hr)
# Expenses and travel
rules.add_perm("expenses.view_expenses", same_company & (is_self | line_manager | expense_reader))
rules.add_perm("expenses.submit_expenses", same_company & is_self)
rules.add_perm("expenses.approve_expenses_manager", same_company & ~is_self & line_manager)
rules.add_perm("expenses.approve_expenses_finance", same_company & ~is_self & finance_role)
rules.add_perm("expenses.manage_advances", same_company & ~is_self & finance_role)
rules.add_perm("expenses.view_finance_overview", has_company & expense_reader)
# Performance
rules.add_perm("performance.view_performance", in_scope)
rules.add_perm("performance.manage_performance", same_company & ~is_self & (is_hr | line_manager))
rules.add_perm("performance.manage_cycles", has_company & is_hr)
# Violations and discipline
rules.add_perm("discipline.view_violations", same_company & (discipline_role | line_manager | is_self))
rules.add_perm("discipline.record_violation", same_company & ~is_self & (discipline_role | line_manager))
rules.add_perm("discipline.decide_violation", same_company & ~is_self & discipline_role)
rules.add_perm("discipline.acknowledge_violation", same_company & is_self)
rules.add_perm("discipline.manage_handbook", has_company & compliance_role)
# Client complaints
rules.add_perm("discipline.view_complaints", same_company & (discipline_role | line_manager))
rules.add_perm("discipline.record_complaint", same_company & ~is_self & (complaint_recorder | line_manager))
rules.add_perm("discipline.resolve_complaint", same_company & ~is_self & discipline_role)
