"""Fixtures for exits: the world's company with the roles the exit process needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

NOTICE = dt.date(2026, 11, 2)


@pytest.fixture
def staff(world: Any) -> dict[str, Any]:
    """One user for each role the default exit process assigns (compliance, client service, finance, IT)."""
    from hrguard.core.models import User

    out = {"hr": world.users["hr"], "finance": world.users["finance"], "manager": world.users["manager"],
           "admin": world.users["admin"]}
    for role in ("compliance", "client_service", "it"):
        out[role] = User.objects.create_user(username=f"acme-{role}", password="pw-x", company=world.company, role=role)
    return out


@pytest.fixture
def start(world: Any) -> Any:
    from hrguard.offboarding import services

    def run(employee_key: str = "east_rep", *, actor: Any = None, kind: str = "resignation", **kw: Any) -> Any:
        kw.setdefault("notice_date", NOTICE)
        return services.start_exit(actor=actor or world.users["hr"], employee=world.employees[employee_key],
                                   kind=kind, **kw)

    return run
