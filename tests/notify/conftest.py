from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from .fakes import FakeProvider, SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    fake = FakeProvider().start()
    cache.clear()  # cached access tokens from another test's server must not leak in
    yield fake
    fake.stop()


@pytest.fixture
def email_channel(world: Any, smtp: SmtpServer) -> Any:
    from hrguard.notify.adapters import configure

    return configure(world.company, "email", {"host": "127.0.0.1", "port": smtp.port, "from_address": "hr@acme.test"})
