"""Token authentication: POST username and password, get a token for `Authorization: Token <key>`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrguard.platform.api_limits import LimitedFormParser, LimitedJSONParser, TokenIpThrottle, TokenUsernameThrottle

from ..auth import token_for
from ..schema import ApiSchema


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


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
            "expires (HRGUARD_API_TOKEN_TTL, default 30 days), then a new one."
        ),
    )
    def post(self, request: Request) -> Response:
        body = AuthTokenSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        token = token_for(body.validated_data["user"])
        return Response({"token": token.key})
