"""The employee's conversation page reached through the link HR sends (/exit-thread/<token>/): no login,
the link is the key (192-bit token, hash stored). Opening it records the read receipts of HR's messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import threads


@require_GET
def page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        exit_, rows = threads.open_by_link(token=token)
    except PermissionDenied as exc:
        return render(request, "offboarding/thread_public.html", {"error": str(exc)}, status=410)
    resp = render(request, "offboarding/thread_public.html", {"exit": exit_, "rows": rows, "token": token})
    # The token stays on this site: "no-referrer" made the reply form's POST send ``Origin: null``, which
    # Django's CSRF check refuses (found by tests/e2e/test_exit_thread.py).
    resp["Referrer-Policy"] = "same-origin"
    resp["Cache-Control"] = "no-store"
    return resp


@require_POST
def post(request: HttpRequest, token: str) -> HttpResponse:
    try:
        threads.post_by_link(token=token, body=str(request.POST.get("body") or ""))
    except PermissionDenied as exc:
        return render(request, "offboarding/thread_public.html", {"error": str(exc)}, status=410)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Sent."))
    return redirect("exit_thread:page", token=token)
