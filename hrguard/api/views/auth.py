"""Token authentication: POST username and password, get a token for `Authorization: Token <key>`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrguard.core import brake
from hrguard.platform.api_limits import LimitedFormParser, LimitedJSONParser, TokenIpThrottle, TokenUsernameThrottle

from ..auth import token_for
from ..schema import ApiSchema


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


class SignInPaused(exceptions.Throttled):
    """The sign-in brake refused the attempt (429, like the sign-in page)."""


def paused() -> SignInPaused:
    window = brake.limits().window
    return SignInPaused(
        wait=window,
        detail=_("Too many failed sign-in attempts. Sign-in is paused for %(minutes)s minutes; try again later.")
        % {"minutes": max(1, window // 60)},
    )


def record_lock(user: Any, ip: str) -> None:
    """The ``auth.locked`` evidence event for an account whose sign-in was just paused."""
    from hrguard.evidence.services import Subject, record

    if user is None or user.company_id is None:
        return
    with transaction.atomic():
        record(user.company, None, "auth.locked", Subject.of(user), {"username": user.username, "ip": ip})


class TokenView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [LimitedJSONParser, LimitedFormParser]
    throttle_classes = [TokenIpThrottle, TokenUsernameThrottle]
    schema = ApiSchema()

    @extend_schema(
        tags=["auth"], request=AuthTokenSerializer, responses={200: TokenOut}, auth=[],
        description=(
            "Exchange a username and password for an API token: the same token on every call until it "
            "expires (HRGUARD_API_TOKEN_TTL, default 30 days), then a new one. The sign-in page's brake "
            "applies: after repeated wrong passwords for a username (or from an address) every attempt is "
            "refused with 429 for the rest of the window, right password included. A password change or "
            "deactivation revokes the token."
        ),
    )
    def post(self, request: Request) -> Response:
        body = AuthTokenSerializer(data=request.data, context={"request": request})
        fields = {k: v for k, v in body.fields.items() if k in ("username", "password")}
        missing = {name: [field.error_messages["required"]] for name, field in fields.items()
                   if not isinstance(request.data, dict) or not request.data.get(name)}
        if missing:  # nothing to check: no attempt is counted
            raise exceptions.ValidationError(missing)
        attempt = brake.claim(request, request.data.get("username"))
        if attempt is None:
            raise paused()
        if not body.is_valid():
            record_lock(attempt.failed(), attempt.ip)
            raise exceptions.ValidationError(body.errors)
        attempt.succeeded()
        token = token_for(body.validated_data["user"])
        return Response({"token": token.key})
