"""The signer's pages at /sign/<token>/ — no login: the link finds the envelope, a one-time code to the
employee's registered phone/email proves who is acting. Works on phones (one column, large targets)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import certificates, code_delivery, identity, pdfs, services, signer
from .models import Envelope, EnvelopeStatus
from .views import pdf_response

VERIFIED_FOR = dt.timedelta(minutes=30)
MAX_DATA_URL = 1_500_000


def _session_key(env: Envelope) -> str:
    return f"sign-verified:{env.pk}"


def _is_verified(request: HttpRequest, env: Envelope) -> bool:
    until = request.session.get(_session_key(env))
    if not until:
        return False
    try:
        return dt.datetime.fromisoformat(until) > timezone.now()
    except ValueError:
        return False


def _page(request: HttpRequest, env: Envelope | None, *, error: str = "", notice: str = "",
          status: int = 200, **extra: Any) -> HttpResponse:
    ctx: dict[str, Any] = {"env": env, "error": error, "notice": notice, **extra}
    if env is not None:
        verified = _is_verified(request, env)
        ctx.update(
            token=extra.get("token", ""), verified=verified, destinations=signer.code_destinations(env),
            consent_text=signer.CONSENT_TEXT, locked=env.locked_at is not None,
            final=not env.is_open, signed=env.status == EnvelopeStatus.SIGNED,
            declined=env.status == EnvelopeStatus.DECLINED, expired=env.status == EnvelopeStatus.EXPIRED,
            deadline=timezone.localtime(env.expires_at), company=env.company,
        )
        if env.is_open:
            ctx["blocker"] = identity.id_problem(env)  # said before the signer starts, not only on "sign"
        if verified and env.is_open:
            content = pdfs.envelope_content(env)
            ctx.update(doc_title=content.title, addressee=content.addressee, paragraphs=content.paragraphs,
                       digest=env.content_sha256, key_clauses=env.key_clauses or [],
                       ticked={str(v) for v in extra.get("ticked", ())})
    resp = render(request, "signing/page.html", ctx, status=status)
    resp["Cache-Control"] = "no-store"
    return resp


def with_envelope(view: Callable[..., HttpResponse]) -> Callable[[HttpRequest, str], HttpResponse]:
    """Resolve the link's token to its envelope (an unknown or malformed token: the 404 page) and call
    ``view(request, token, env)``."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            env = signer.find(token)
        except signer.SigningError as exc:
            return _page(request, None, error=exc.message, status=404)
        return view(request, token, env)

    return wrapper


@never_cache
@require_GET
@with_envelope
def page(request: HttpRequest, token: str, env: Envelope) -> HttpResponse:
    try:
        if env.is_open:
            signer.check_not_expired(env)
    except signer.SigningError as exc:
        return _page(request, env, error=exc.message, token=token, status=410)
    opened_key = f"sign-opened:{env.pk}"
    if env.is_open and not request.session.get(opened_key):
        signer.mark_opened(env)
        request.session[opened_key] = True
    if env.is_open and env.locked_at is None and not _is_verified(request, env) and not signer.code_destinations(env):
        code_delivery.report_unreachable(env)  # the signer cannot get a code: HR must hear of it
    return _page(request, env, token=token)


@require_POST
@with_envelope
def send_code(request: HttpRequest, token: str, env: Envelope) -> HttpResponse:
    try:
        sent = signer.send_code(env, request.POST.get("channel", ""), link=reverse("signing:page", args=[token]))
    except signer.SigningError as exc:
        return _page(request, env, error=exc.message, token=token, status=400 if exc.code != "rate" else 429)
    if not sent.ok:  # never "sent" when nothing went out: say so, and offer the other ways
        others = [c for c, _label in signer.code_destinations(env) if c != sent.channel]
        return _page(request, env, error=sent.message, token=token, chosen=(others or [sent.channel])[0],
                     status=200)
    return _page(request, env, token=token, code_sent_to=sent.destination, chosen=sent.channel, notice=sent.message)


@require_POST
@with_envelope
def verify(request: HttpRequest, token: str, env: Envelope) -> HttpResponse:
    try:
        result = signer.verify_code(env, request.POST.get("code", ""))
    except signer.SigningError as exc:
        return _page(request, env, error=exc.message, token=token, status=403)
    if not result.ok:
        env.refresh_from_db()
        return _page(request, env, error=result.message, token=token, code_sent_to="…", status=403)
    request.session.cycle_key()
    request.session[_session_key(env)] = (timezone.now() + VERIFIED_FOR).isoformat()
    return redirect("signing:page", token=token)


def _drawn(data_url: str) -> bytes | None:
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix) or len(data_url) > MAX_DATA_URL:
        return None
    try:
        return base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return None


@require_POST
@with_envelope
def sign(request: HttpRequest, token: str, env: Envelope) -> HttpResponse:
    mode = request.POST.get("mode", "typed")
    drawn = None
    if mode == "drawn":
        drawn = _drawn(request.POST.get("drawn", ""))
        if drawn is None:
            return _page(request, env, error=_("Please draw your signature in the box."), token=token, status=400)
    ticked = request.POST.getlist("clause")
    try:
        signer.sign(env, verified=_is_verified(request, env), consent=request.POST.get("consent") == "yes",
                    typed_name=request.POST.get("typed_name", "") if mode != "drawn" else "", drawn_png=drawn,
                    acknowledged=ticked)
    except signer.SigningError as exc:
        env.refresh_from_db()
        return _page(request, env, error=exc.message, token=token, ticked=ticked,
                     status=409 if exc.code == "final" else 400)
    return redirect("signing:page", token=token)


@require_POST
@with_envelope
def decline(request: HttpRequest, token: str, env: Envelope) -> HttpResponse:
    try:
        signer.decline(env, verified=_is_verified(request, env), reason=request.POST.get("reason", ""))
    except signer.SigningError as exc:
        env.refresh_from_db()
        return _page(request, env, error=exc.message, token=token, status=409 if exc.code == "final" else 400)
    return redirect("signing:page", token=token)


@never_cache
@require_GET
@with_envelope
def document(request: HttpRequest, token: str, env: Envelope) -> HttpResponse:
    """The PDF (original while unsigned, signed copy afterwards) — only after the code was verified."""
    if not _is_verified(request, env):
        return _page(request, env, error=_("Please verify your identity with the code first."), token=token,
                     status=403)
    if env.status == EnvelopeStatus.EXPIRED:
        return _page(request, env, error=_("This link has expired. Please contact HR for a new one."), token=token,
                     status=410)
    if env.status != EnvelopeStatus.SIGNED:
        services.ensure_original(env)
    name, data = signer.download(env)
    return pdf_response(name, data, inline=request.GET.get("inline") == "1")


@require_GET
def crl(request: HttpRequest, company_id: int) -> HttpResponse:
    """The company signing CA's certificate revocation list (public, as its certificates point here)."""
    from hrguard.core.models import Company

    if not Company.objects.filter(pk=company_id).exists():
        raise Http404
    resp = HttpResponse(certificates.crl(company_id), content_type="application/pkix-crl")
    resp["Cache-Control"] = "public, max-age=600"
    return resp
