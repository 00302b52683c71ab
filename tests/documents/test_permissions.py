"""Documents and notify authorise through django-rules permissions (one style with the rest of the app):
who may send, edit templates, track requests and see delivery problems, by role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from hrguard.core.models import User
from hrguard.core.roles import Role
from hrguard.documents import library, services, tracker

pytestmark = pytest.mark.django_db

EXPECTED = {  # role: (send, edit templates, track, delivery problems)
    "admin": (True, True, True, True),
    "hr": (True, True, True, True),
    "legal": (False, False, True, False),
    "finance": (False, False, False, False),
    "hrbp": (False, False, False, False),
    "manager": (False, False, False, False),
    "employee": (False, False, False, False),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_document_and_notify_permissions_by_role(world: Any, key: str) -> None:
    user = world.users[key]
    got = (services.can_send(user), library.can_edit_templates(user), tracker.can_track(user),
           user.has_perm("notify.view_problems"))
    assert got == EXPECTED[key]


def test_no_company_or_anonymous_may_do_nothing(db: Any) -> None:
    stray = User.objects.create_user(username="stray-hr", password="pw-stray", company=None, role=Role.HR)
    for user in (stray, AnonymousUser()):
        assert not services.can_send(user)
        assert not library.can_edit_templates(user)
        assert not tracker.can_track(user)
        assert not user.has_perm("notify.view_problems")
