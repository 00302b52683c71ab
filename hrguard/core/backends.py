"""The password backend, loading what every page needs with the signed-in user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from hrguard.platform.prepared import Prepared

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
    the company's name) and the registered annotations in the same query.

    It authenticates; it grants nothing. Who may do what is the ``rules`` predicates alone (the backend
    before this one). Django's permission and group tables are not used by HRGuard, yet a "no" from
    ``rules`` fell through to ``ModelBackend``, which read both tables (two queries) on every page of a
    user some navigation link is hidden from — and would have granted whatever a row there said."""

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False

    def get_user(self, user_id: Any) -> Any:
        try:  # what ``get(pk=…)`` does with it first
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if not isinstance(user_id, int):
            return None
        rows = _USER_QUERY.rows(shape={"annotations": tuple(_USER_ANNOTATIONS)}, pk=user_id)
        user = rows[0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None


def _user_query(*, annotations: tuple[str, ...], pk: int) -> Any:
    users = get_user_model()._default_manager.select_related("company")
    if annotations:
        users = users.annotate(**{name: _USER_ANNOTATIONS[name] for name in annotations})
    return users.filter(pk=pk).order_by()[:2]  # what ``get(pk=…)`` runs, compiled once (platform.prepared)


_USER_QUERY = Prepared(_user_query)
