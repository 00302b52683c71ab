"""API test helpers: a client authenticated with a user's token; rate-limit counters reset per test."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def client_for(user: Any) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api() -> Any:
    return client_for


@pytest.fixture(autouse=True)
def fresh_throttles() -> Any:
    """Throttle counters live in the cache, keyed by user id or address: start every test from zero."""
    cache.clear()
    yield
    cache.clear()
