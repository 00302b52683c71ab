"""Fixtures for cases: the world's company with a legal user, and a helper opening a key-person case."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def open_keyperson(world: Any) -> Any:
    from hrguard.cases import services

    def run(*, actor: Any = None, subject: str = "sales_rep", **kw: Any) -> Any:
        kw.setdefault("title", "核心销售离职风险")
        kw.setdefault("category", "resignation_risk")
        return services.open_case(actor=actor or world.users["hr"], case_type="keyperson",
                                  subject_employee=world.employees[subject], **kw)

    return run
