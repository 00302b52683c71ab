"""``core.backends.UserBackend`` authenticates and grants nothing: ``rules`` alone decides, and a "no" no
longer reads Django's permission tables (two queries on every page of most roles)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["employee", "manager", "finance"])
def test_pages_never_read_the_permission_tables(world: Any, role: str, client_for: Any) -> None:
    client = client_for(world.users[role])
    client.get(reverse("home"), follow=True)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home"), follow=True).status_code == 200
    tables = [q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"] or "auth_group" in q["sql"]]
    assert tables == []


def test_a_row_in_the_permission_table_grants_nothing(world: Any) -> None:
    user = world.users["employee"]
    assert not user.has_perm("documents.track_requests")
    codename = Permission.objects.filter(content_type__app_label="core").first()
    assert codename is not None
    user.user_permissions.add(codename)
    user = type(user).objects.get(pk=user.pk)  # no cached permissions
    assert not user.has_perm(f"core.{codename.codename}")
    assert user.get_all_permissions() == set()
    assert not user.has_module_perms("core")


def test_rules_still_grant(world: Any) -> None:
    assert world.users["hr"].has_perm("documents.track_requests")
    assert not world.users["employee"].has_perm("documents.track_requests")
