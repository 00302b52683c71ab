"""API tokens that expire, and die with the credentials that obtained them.

DRF's tokens live forever; a leaked one would open the API until someone deletes it by hand. Here a
token is refused once it is older than ``HRGUARD_API_TOKEN_TTL`` (seconds, default 30 days), and the
token endpoint replaces an expired token with a new one. A user's token is deleted when their password
changes or their account is deactivated (however that happens: a page, ``changepassword``, the shell),
so neither a leaked token nor one held by a departed employee outlives the change; the deletion is
an ``api.token_revoked`` evidence event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_ttl() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "HRGUARD_API_TOKEN_TTL", 30 * 24 * 3600)))


def is_expired(token: Token, now: dt.datetime | None = None) -> bool:
    return token.created < (now or timezone.now()) - token_ttl()


def token_for(user: Any) -> Token:
    """The user's current token; a new one if they have none or theirs has expired (recorded as evidence:
    who obtained API access, when, from where — never the key itself)."""
    from hrguard.evidence.services import record

    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not is_expired(token):
            return token
        replaced = token is not None
        if token is not None:
            token.delete()
        token = Token.objects.create(user=user)
        if user.company_id is not None:
            record(user.company_id, user, "api.token_issued", user, {"replaced_expired": replaced})
        return token


def revoke_on_credential_change(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """``pre_save`` of the user model: delete the user's token when the password changes or the account
    is deactivated. Saves that name their fields and touch neither (``last_login`` on every sign-in) cost
    no query."""
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values_list("password", "is_active").first()
    if before is None:
        return
    password_changed = before[0] != instance.password
    deactivated = before[1] and not instance.is_active
    if not (password_changed or deactivated):
        return
    from hrguard.evidence.services import record

    with transaction.atomic():
        deleted, _rows = Token.objects.filter(user_id=instance.pk).delete()
        if deleted and instance.company_id is not None:
            reason = "password_changed" if password_changed else "deactivated"
            record(instance.company_id, None, "api.token_revoked", instance, {"reason": reason})


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise exceptions.AuthenticationFailed(_("Token has expired; request a new one."))
        return user, token
