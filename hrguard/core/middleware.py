from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import LazyObject, empty
from django.utils.translation import check_for_language, get_supported_language_variant

from . import context


def client_ip(request: HttpRequest) -> str:
    # Behind a trusted proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        token = context.set_current(
            context.RequestContext(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                channel=channel,
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class LanguageMiddleware:
    """Chinese unless the user chose otherwise.

    Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so an English-language
    browser would get English pages. HR users in China expect Chinese whatever the browser says:
    here only an explicit choice (the cookie set by ``/i18n/setlang/``) switches language, and
    everything else gets ``settings.LANGUAGE_CODE`` (zh-hans).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def chosen_language(request: HttpRequest) -> str:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code and check_for_language(code):
            try:
                return get_supported_language_variant(code)
            except LookupError:
                pass
        return settings.LANGUAGE_CODE

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class NoStoreMiddleware:
    """Every dynamic response is ``Cache-Control: no-store, private``: pages and API answers carry personal
    data (and, after a reveal or an unmasked export, plain ID numbers), which no browser cache or proxy
    should keep. Static files never reach this (WhiteNoise answers them first) and keep their long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response or "no-store" not in response["Cache-Control"]:
            response["Cache-Control"] = "no-store, private"
        return response


class ResolvedUserMiddleware:
    """After ``AuthenticationMiddleware`` and ``SessionTimeoutMiddleware``: on a request with a session
    cookie, ``request.user`` becomes the user itself instead of Django's lazy proxy.

    Such a request reads its session in ``SessionTimeoutMiddleware`` anyway, and every page it opens asks
    for the user (sign-in check, page permissions, navigation), so this loads nothing that was not loaded;
    but each attribute read through the proxy (``user.role`` in ~30 navigation predicates, templates,
    scopes) cost a Python call: ~0.3 ms a page. Requests without the cookie keep the lazy user (their
    session is not touched, so no ``Vary: Cookie``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lazy = request.__dict__.get("user")
        if isinstance(lazy, LazyObject) and settings.SESSION_COOKIE_NAME in request.COOKIES:
            if lazy._wrapped is empty:
                lazy._setup()
            request.user = lazy._wrapped
        return self.get_response(request)
