"""Every API endpoint, the plugged-in apps' included, caps JSON and form bodies and is rate-limited
(the platform API base is the REST framework default; views that name their own parsers keep the caps)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.parsers import FormParser, JSONParser

from hrguard.platform.api_limits import BodyLimit


def _api_views(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found += _api_views(p.url_patterns, route)
        elif isinstance(p, URLPattern) and route.startswith("api/v1/"):
            cls = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)
            if cls is not None:
                found.append((route, cls))
    return found


def test_every_api_view_has_capped_parsers_and_a_throttle() -> None:
    views = _api_views(get_resolver().url_patterns)
    assert len(views) > 40  # people, org, records, documents, notify, token
    assert any(route.startswith("api/v1/activity/") for route, _ in views)
    for route, cls in views:
        parsers = list(cls.parser_classes)
        for parser in parsers:
            if issubclass(parser, JSONParser | FormParser):
                assert issubclass(parser, BodyLimit), (route, parser)
        assert list(cls.throttle_classes), route
