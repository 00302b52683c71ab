"""Fixtures for activity tests: the shared two-company world plus a compliance user, and helpers."""

from __future__ import annotations

from typing import Any

import pytest

from hrguard.core.models import User
from hrguard.evidence.models import EvidenceEvent


@pytest.fixture(autouse=True)
def english() -> Any:
    """Assert on the English msgids: the zh-hans catalog is filled later by a translator pass."""
    from django.utils import translation

    with translation.override("en"):
        yield


def client_for(user: Any) -> Any:
    from django.conf import settings
    from django.test import Client

    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # only an explicit choice switches from Chinese
    c.force_login(user)
    return c


@pytest.fixture
def compliance(world: Any) -> Any:
    return User.objects.create_user(
        username="acme-compliance", password="pw-compliance", company=world.company, role="compliance"
    )


@pytest.fixture
def client_service(world: Any) -> Any:
    return User.objects.create_user(
        username="acme-cs", password="pw-cs", company=world.company, role="client_service"
    )


def evidence_count(company: Any) -> int:
    return EvidenceEvent.objects.filter(company=company).count()


def csv_bytes(lines: list[str], header: str = "工号,时间,类型") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")
