"""The former employee's proof page reached through the monthly request's link (/noncompete-proof/<token>/):
no login, the link is the key. Opening it is recorded; the upload is checked, hashed and kept as evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import proofs


def _private(resp: HttpResponse) -> HttpResponse:
    # The token stays on this site; "no-referrer" would make the form's POST send Origin: null (CSRF refusal).
    resp["Referrer-Policy"] = "same-origin"
    resp["Cache-Control"] = "no-store"
    return resp


@require_GET
def page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = proofs.open_by_link(token=token)
    except PermissionDenied as exc:
        return _private(render(request, "noncompete/proof_public.html", {"error": str(exc)}, status=410))
    month = link.month
    return _private(render(request, "noncompete/proof_public.html", {
        "month": month, "agreement": month.agreement, "token": token, "sent": list(month.proofs.defer("content")),
        "max_mb": proofs.MAX_PROOF_BYTES // (1024 * 1024)}))


@require_POST
def upload(request: HttpRequest, token: str) -> HttpResponse:
    try:
        proofs.upload_by_link(token=token, kind=str(request.POST.get("kind") or ""),
                              upload=request.FILES.get("file"), note=str(request.POST.get("note") or "")[:500])
    except PermissionDenied as exc:
        return _private(render(request, "noncompete/proof_public.html", {"error": str(exc)}, status=410))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return redirect("noncompete_proof:page", token=token)
    messages.success(request, _("Thank you: your proof was received."))
    return redirect("noncompete_proof:page", token=token)
