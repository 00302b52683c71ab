"""Fixtures for the process engine: a simple two-step template and a subject record."""

from __future__ import annotations

from typing import Any

import pytest

TWO_STEPS: dict[str, Any] = {
    "stages": [
        {"key": "manager", "name": "上级审批", "kind": "approval", "assignee": {"rule": "manager"},
         "due": {"days": 2, "unit": "calendar"}},
        {"key": "finance", "name": "财务审核", "kind": "approval", "assignee": {"rule": "role", "role": "finance"}},
    ],
}


@pytest.fixture
def make_template(world: Any) -> Any:
    from hrguard.workflows import editing

    def make(definition: dict[str, Any] = TWO_STEPS, key: str = "test.flow", actor: Any = None) -> Any:
        version, _warnings = editing.create_template(
            actor=actor or world.users["admin"], company=world.company, key=key, name="测试流程", definition=definition,
        )
        return version

    return make


@pytest.fixture
def start_for(world: Any) -> Any:
    """``start_for(employee_key, key=…)``: start a process about that employee (the employee is the subject)."""
    from hrguard.workflows import services

    def start(employee_key: str = "east_rep", key: str = "test.flow", actor: Any = None, **kw: Any) -> Any:
        employee = world.employees[employee_key]
        return services.start(actor=actor or world.users["hr"], company=world.company, template_key=key,
                              subject=employee, subject_employee=employee, **kw)

    return start
