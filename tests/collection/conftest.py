"""Fixtures for collection contacts: a front-desk user (granted logging, not reading) and a helper
logging a contact about the world's ``east_rep`` (who has an account)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def front_desk(world: Any) -> Any:
    from hrguard.collection import services
    from hrguard.core.models import User

    user = User.objects.create_user(username="acme-front", password="pw-front", company=world.company,
                                    role="client_service")
    services.grant_access(actor=world.users["hr"], user=user, can_log=True, can_view=False)
    return user


@pytest.fixture
def log(world: Any) -> Any:
    from hrguard.collection import services

    def run(*, actor: Any = None, minutes_ago: int = 60, at: dt.datetime | None = None, **kw: Any) -> Any:
        kw.setdefault("employee", world.employees["east_rep"])
        kw.setdefault("channel", "call")
        kw.setdefault("agency", "某某资产管理有限公司")
        kw.setdefault("caller_number", "021-5555 0101")
        return services.log_contact(actor=actor or world.users["hr"],
                                    occurred_at=at or timezone.now() - dt.timedelta(minutes=minutes_ago), **kw)

    return run
