"""Service-side authorisation helper: ``require(actor, perm, obj)`` raises ``PermissionDenied`` unless
the actor holds the (django-rules) permission on the object."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class PermissionDenied(DjangoPermissionDenied):
    """Raised by services when the actor may not perform the action."""


def require(actor: object, perm: str, obj: object = None) -> None:
    if not actor.has_perm(perm, obj):  # type: ignore[attr-defined]
        raise PermissionDenied(perm)
