"""``core.middleware.ResolvedUserMiddleware``: a request with a session cookie has the user itself as
``request.user`` (not Django's lazy proxy), read with the same checks; without the cookie nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.functional import LazyObject

from hrguard.core.middleware import ResolvedUserMiddleware
from hrguard.core.models import User
from hrguard.core.sessions import SessionTimeoutMiddleware

pytestmark = pytest.mark.django_db


def chain(seen: list[Any]) -> Any:
    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request.user)
        return HttpResponse("ok")

    return SessionMiddleware(AuthenticationMiddleware(SessionTimeoutMiddleware(ResolvedUserMiddleware(view))))


def request_with(cookie: str | None) -> HttpRequest:
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
    return request


def test_signed_in_requests_get_the_user_itself(world: Any, client_for: Any) -> None:
    hr = world.users["hr"]
    cookie = client_for(hr).cookies[settings.SESSION_COOKIE_NAME].value
    seen: list[Any] = []
    chain(seen)(request_with(cookie))
    assert type(seen[0]) is User and seen[0].pk == hr.pk and seen[0].is_authenticated
    assert seen[0].role == hr.role


def test_an_ended_session_or_user_gives_the_anonymous_user(world: Any, client_for: Any) -> None:
    hr = world.users["hr"]
    cookie = client_for(hr).cookies[settings.SESSION_COOKIE_NAME].value
    hr.is_active = False
    hr.save(update_fields=["is_active"])
    seen: list[Any] = []
    chain(seen)(request_with(cookie))  # a deactivated user
    chain(seen)(request_with("no-such-session-key-0123456789abcdef"))  # a session that does not exist
    assert [s.is_authenticated for s in seen] == [False, False]
    assert not any(isinstance(s, User) for s in seen)


def test_requests_without_the_cookie_keep_the_lazy_user_and_their_session_untouched(world: Any) -> None:
    seen: list[Any] = []
    response = chain(seen)(request_with(None))
    assert isinstance(seen[0], LazyObject)
    assert "Cookie" not in response.get("Vary", "")  # the session was not read
    assert not seen[0].is_authenticated
