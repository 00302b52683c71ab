"""The health check (the home page, 工作台, is tested in tests/workbench)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz(client, db):
    assert client.get(reverse("healthz")).json() == {"ok": True}
