"""Nothing about an EAP visit reaches a log or a cookie.

* ``EapAnonymityMiddleware`` (first after SecurityMiddleware in ``MIDDLEWARE``): on ``/eap/`` it drops the
  request's cookies (the employee's session never reaches the page — no session touch, no user), blanks
  the client address and agent before anything records them, and strips every ``Set-Cookie`` and the
  ``Vary: Cookie`` from the answer.
* ``silence_request_logs`` (from ``CareConfig.ready``): Django's ``django.request`` / ``django.server``
  log lines (404s, 403s, slow requests…) carry the path; those of ``/eap/`` are dropped. The web server
  (``hrguard.ops.webserver``: granian's worker without its Python access logger) keeps no access log."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PREFIX = "/eap/"
SCRUBBED_META = ("REMOTE_ADDR", "REMOTE_HOST", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_USER_AGENT",
                 "HTTP_COOKIE", "HTTP_REFERER", "HTTP_AUTHORIZATION")


def is_eap(path: str) -> bool:
    return path == PREFIX.rstrip("/") or path.startswith(PREFIX)


class EapAnonymityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_eap(request.path):
            return self.get_response(request)
        for key in SCRUBBED_META:
            request.META.pop(key, None)
        request.META["REMOTE_ADDR"] = ""
        request.COOKIES = {}
        response = self.get_response(request)
        response.cookies.clear()
        if "Vary" in response:
            kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        response["Referrer-Policy"] = "no-referrer"
        return response


class DropEapRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None) or ""
        if not path and record.args and isinstance(record.args, tuple):
            path = " ".join(str(a) for a in record.args)
        message = str(record.msg)
        return not (is_eap(path) or PREFIX in path or PREFIX in message)


def silence_request_logs() -> None:
    for name in ("django.request", "django.server", "django.security.csrf", "django.security"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropEapRecords) for f in logger.filters):
            logger.addFilter(DropEapRecords())
