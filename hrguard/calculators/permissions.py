"""Who may use the calculators: HR, legal and the company administrator (the figures are about people's pay
and exits). Wage history is recorded by HR and the administrator."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import Role

CALCULATOR_ROLES = frozenset({Role.ADMIN, Role.HR, Role.LEGAL})
WAGE_EDITORS = frozenset({Role.ADMIN, Role.HR})


def can_calculate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "company_id", None)
                and user.role in CALCULATOR_ROLES)


def can_manage_wages(user: Any) -> bool:
    return bool(can_calculate(user) and user.role in WAGE_EDITORS)


@rules.predicate
def _calculates(user: Any) -> bool:
    return can_calculate(user)


@rules.predicate
def _manages_wages(user: Any) -> bool:
    return can_manage_wages(user)


rules.add_perm("calculators.calculate", _calculates)
rules.add_perm("calculators.manage_wages", _manages_wages)
