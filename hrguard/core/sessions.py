"""Sign-in sessions that end: after ``HRGUARD_SESSION_IDLE_MINUTES`` without a request (default 30) and,
however active, ``HRGUARD_SESSION_MAX_HOURS`` after sign-in (default 12).

The idle timeout is the session's own expiry (``SESSION_COOKIE_AGE``), slid forward by saving the session
— but not on every request (``SESSION_SAVE_EVERY_REQUEST`` would write the session row on each one):
only when the last save is more than a tenth of the idle time ago (at most once a minute), so a busy user
costs one session write a minute and an idle session ends within 30 minutes (at most a minute early).
Requests without a session cookie are not touched at all."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

STARTED = "_hrguard_started"
TOUCHED = "_hrguard_touched"


def idle_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def max_seconds() -> int:
    return int(getattr(settings, "HRGUARD_SESSION_MAX_SECONDS", 12 * 3600))


class SessionTimeoutMiddleware:
    """After ``AuthenticationMiddleware``: ends sessions past the absolute cap and slides the idle expiry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> None:
        session = request.session
        if "_auth_user_id" not in session:
            return
        now = int(time.time())
        started = session.get(STARTED)
        if not isinstance(started, int):
            session[STARTED] = session[TOUCHED] = now
            return
        if now - started > max_seconds():
            logout(request)  # flushes the session: the next page asks to sign in again
            return
        touched = session.get(TOUCHED)
        if not isinstance(touched, int) or now - touched >= min(60, idle_seconds() // 10):
            session[TOUCHED] = now  # modified: saved with a fresh expiry at the end of this request
