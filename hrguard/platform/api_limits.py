"""Request limits of the API: a cap on JSON body size (413) and rate limits (429 with ``Retry-After``).

Rates come from ``settings.HRGUARD_API_RATES`` (keys ``user``, ``token_ip``, ``token_username``) and default
to the values below; the cache is Django's default cache, so with several processes it should be shared
(Redis) for the limits to be global."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

# The API's JSON bodies are small forms (the longest text field is 20,000 characters).
MAX_BODY_BYTES = 1024 * 1024

DEFAULT_RATES = {
    "user": "1200/min",  # every authenticated call, per user
    "token_ip": "30/min",  # token requests per client address
    "token_username": "10/min",  # token requests per username (password guessing from many addresses)
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


def rate(key: str) -> str | None:
    rates = getattr(settings, "HRGUARD_API_RATES", {}) or {}
    return rates.get(key, DEFAULT_RATES[key])


def _content_length(request: Any) -> int:
    meta = request.META
    try:
        return int(meta.get("CONTENT_LENGTH") or meta.get("HTTP_CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


class BodyLimit:
    """Bodies up to MAX_BODY_BYTES; bigger ones are refused before they are read (413)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        if request is not None and _content_length(request) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        return super().parse(stream, media_type, parser_context)  # type: ignore[misc]


class LimitedJSONParser(BodyLimit, JSONParser):
    pass


class LimitedFormParser(BodyLimit, FormParser):
    pass


class UserThrottle(SimpleRateThrottle):
    scope = "api_user"

    def get_rate(self) -> str | None:
        return rate("user")

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenIpThrottle(SimpleRateThrottle):
    scope = "api_token_ip"

    def get_rate(self) -> str | None:
        return rate("token_ip")

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenUsernameThrottle(SimpleRateThrottle):
    scope = "api_token_user"

    def get_rate(self) -> str | None:
        return rate("token_username")

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        data = request.data if isinstance(request.data, dict) else {}
        username = str(data.get("username") or "").strip().lower()[:150]
        if not username:
            return None
        digest = hashlib.sha256(username.encode()).hexdigest()[:32]  # any text, safe as a cache key
        return self.cache_format % {"scope": self.scope, "ident": digest}
