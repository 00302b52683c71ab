"""The anonymous EAP pages (/eap/): no sign-in, no session, no CSRF cookie, nothing logged.

CSRF without a cookie: the form carries a signed one-time nonce (random, not stored per person, valid for
two hours, spent on use), and a POST must come from this site (``Origin`` / ``Sec-Fetch-Site``). The
receipt phrase only ever travels in a POST body, never in a URL."""

from __future__ import annotations

import secrets
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..eap_models import EapCategory, EapProvider
from . import services

SALT = "hrguard.eap.form"
MAX_AGE = 2 * 3600
BURST = 60  # submissions per provider per 10 minutes, whoever sends them (no per-person counter exists)


def _nonce() -> str:
    return signing.dumps(secrets.token_urlsafe(18), salt=SALT)


def _spend(token: str) -> bool:
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    return bool(cache.add(f"eap:spent:{value}", 1, MAX_AGE))


def _same_origin(request: HttpRequest) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # old browsers send neither; the one-time nonce still holds
    return origin == f"{request.scheme}://{request.get_host()}"


def _provider(request: HttpRequest) -> EapProvider | None:
    code = str(request.POST.get("org") or request.GET.get("org") or "").strip()[:50]
    qs = EapProvider.objects.select_related("company")
    if code:
        return qs.filter(company__code=code).first()
    rows = list(qs[:2])
    return rows[0] if len(rows) == 1 else None


def _render(request: HttpRequest, name: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    ctx.setdefault("nonce", _nonce())
    response = render(request, f"care/eap/{name}.html", ctx, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _refused(request: HttpRequest) -> HttpResponse:
    return _render(request, "form", {"error": _("This form has expired. Please send it again."),
                                     "categories": EapCategory.choices}, status=400)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    provider = _provider(request)
    ctx: dict[str, Any] = {"provider": provider, "categories": EapCategory.choices,
                           "org": request.GET.get("org", "")[:50]}
    if request.method == "POST":
        if not _same_origin(request) or not _spend(request.POST.get("nonce", "")):
            return _refused(request)
        if provider is None:
            return _render(request, "form", {**ctx, "error": _("No EAP service is set up for this company.")}, 400)
        key = f"eap:burst:{provider.pk}"
        cache.add(key, 0, 600)
        if cache.incr(key) > BURST:
            return _render(request, "form", {**ctx, "error": _("Too many requests right now. Please try again "
                                                               "in a few minutes.")}, 429)
        try:
            done = services.submit(provider=provider, category=request.POST.get("category", ""),
                                   text=request.POST.get("text", ""))
        except ValidationError as exc:
            return _render(request, "form", {**ctx, "errors": exc.message_dict, "text": request.POST.get("text", "")},
                           400)
        return _render(request, "receipt", {"phrase": done.phrase, "provider": provider})
    return _render(request, "form", ctx)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Enter the receipt phrase: the request's messages and the provider's answers; add a message."""
    if request.method == "GET":
        return _render(request, "follow", {})
    if not _same_origin(request) or not _spend(request.POST.get("nonce", "")):
        return _render(request, "follow", {"error": _("This form has expired. Please send it again.")}, 400)
    phrase = request.POST.get("phrase", "")
    text = request.POST.get("text", "")
    if text.strip():
        try:
            services.follow_up(phrase=phrase, text=text)
        except ValidationError as exc:
            return _render(request, "follow", {"errors": exc.message_dict}, 400)
    found = services.find(phrase)
    if found is None:
        return _render(request, "follow", {"errors": {"phrase": [_("No request has this receipt phrase.")]}}, 404)
    request_row, receipt = found
    return _render(request, "thread", {"row": request_row, "lines": services.thread_for_person(request_row, receipt),
                                       "phrase": phrase})
