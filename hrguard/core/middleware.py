from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once per policy setting instead of per response.

    ``build_policy`` deep-copies and joins the whole configuration on every response (twice: the policy
    and the report-only one) for a header fixed by the settings. A response with no nonce asked for and no
    per-response change (``@csp_update`` / ``@csp_replace`` / ``@csp``) gets the header built once for the
    current setting objects; any other response is django-csp's own ``process_response``."""

    _built: dict[bool, tuple[Any, str]] = {}

    @staticmethod
    def _policy(report_only: bool) -> str:
        config = getattr(settings, _CSP_SETTINGS[report_only], None)
        built = ContentSecurityPolicyMiddleware._built
        found = built.get(report_only)
        if found is None or found[0] is not config:  # the setting object itself: override_settings replaces it
            found = built[report_only] = (config, build_policy(report_only=report_only))
        return found[1]

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CSP_PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, exempt in _CSP_HEADERS:
            policy = self._policy(report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            config = getattr(settings, _CSP_SETTINGS[report_only], None) or {}
            if not request.path_info.startswith(tuple(config.get("EXCLUDE_URL_PREFIXES", None) or ())):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


_CSP_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                     "_csp_replace_ro")
_CSP_HEADERS = ((False, HEADER, "_csp_exempt"), (True, HEADER_REPORT_ONLY, "_csp_exempt_ro"))
_CSP_SETTINGS = {False: "CONTENT_SECURITY_POLICY", True: "CONTENT_SECURITY_POLICY_REPORT_ONLY"}
