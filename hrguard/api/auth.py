"""API tokens that expire.

DRF's tokens live forever; a leaked one would open the API until someone deletes it by hand. Here a
token is refused once it is older than ``HRGUARD_API_TOKEN_TTL`` (seconds, default 30 days), and the
token endpoint replaces an expired token with a new one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
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
    """The user's current token; a new one if they have none or theirs has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise exceptions.AuthenticationFailed(_("Token has expired; request a new one."))
        return user, token
