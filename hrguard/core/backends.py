"""The password backend, loading what every page needs with the signed-in user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# Values every page needs about the signed-in user, computed by the user query itself: name -> ORM
# expression over the user. Apps above core add theirs in ``AppConfig.ready`` (people: the user's own
# employee id, which the scope and the navigation ask on every page) — the arrow still points down.
_USER_ANNOTATIONS: dict[str, Any] = {}


def annotate_user(name: str, expression: Any) -> None:
    """Have the per-request user carry ``name``, computed by ``expression`` in the user's own query
    (one query a page instead of two). The attribute is only present on users loaded by this backend."""
    _USER_ANNOTATIONS[name] = expression


class UserBackend(ModelBackend):
    """Django's ``ModelBackend`` whose per-request user lookup brings the user's company (every page shows
    the company's name) and the registered annotations in the same query."""

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        users = model._default_manager.select_related("company")
        if _USER_ANNOTATIONS:
            users = users.annotate(**_USER_ANNOTATIONS)
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
