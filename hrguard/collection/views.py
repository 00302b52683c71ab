"""Collection pages for the front desk and the employee: the log (readers only), the phone-friendly
contact form with the receiver's script and the duplicate check, one contact, and the employee's own
answer page. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hrguard.core.validation import parse_id

from . import selectors, services
from .models import Channel

FLAGS = ("employee_named", "amount_mentioned", "asked_to_collect", "threats")


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"all": exc.messages}


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    rows = selectors.contact_log(request.user)
    return render(request, "collection/log.html", {
        "rows": rows, "can_log": request.user.has_perm("collection.log_contact"),
        "can_manage": request.user.has_perm("collection.manage")})


def _parse_time(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _int(value: Any) -> int | None:
    return parse_id(value)  # None beyond a 64-bit id (was an OverflowError, a 500, on SQLite)


def _log_from_post(request: HttpRequest) -> Any:
    post = request.POST
    ids = [_int(post.get("employee"))]
    found = services.employees_to_choose(request.user, [i for i in ids if i])
    return services.log_contact(
        actor=request.user, employee=found[0] if found else None, occurred_at=_parse_time(post.get("occurred_at", "")),
        channel=post.get("channel", ""), agency=post.get("agency", ""), caller_name=post.get("caller_name", ""),
        caller_number=post.get("caller_number", ""), said=post.get("said", ""),
        received_by=post.get("received_by", ""), attachments=request.FILES.getlist("attachments"),
        merge_into=_int(post.get("merge_into")) if post.get("decision") == "merge" else None,
        not_duplicate=post.get("decision") == "separate", **{f: post.get(f) == "on" for f in FLAGS})


@login_required
@require_http_methods(["GET", "POST"])
def new_contact(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("collection.log_contact"):
        raise PermissionDenied(_("You may not log collection contacts."))
    errors: dict[str, list[str]] = {}
    duplicate = None
    data: dict[str, Any] = {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "call",
                            "received_by": request.user.get_full_name() or request.user.username}
    if request.method == "POST":
        data = request.POST.dict()
        try:
            contact = _log_from_post(request)
        except services.DuplicateContact as exc:
            duplicate, errors = exc.existing, errors_of(exc)
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Logged. The employee has been notified privately."))
            if request.user.has_perm("collection.view_contacts", contact.file.case):
                return redirect("collection:file", pk=contact.file.case_id)
            return redirect("collection:new")
    return render(request, "collection/new.html", {
        "errors": errors, "data": data, "duplicate": duplicate, "channels": Channel.choices,
        "employees": services.employees_to_choose(request.user), "flags": FLAGS}, status=400 if errors else 200)


@login_required
@require_GET
def contact_page(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for(request.user, pk)
    return redirect("collection:file", pk=contact.file.case_id) if contact else redirect("collection:log")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    files = selectors.own_files(request.user)
    return render(request, "collection/mine.html", {"files": files})


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.own_file(request.user, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.respond(actor=request.user, file_id=pk, text=request.POST.get("text", ""))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Thank you. HR has your answer."))
            return redirect("collection:respond", pk=pk)
    return render(request, "collection/respond.html", {
        "file": file, "pending": selectors.pending_answer(file), "errors": errors,
        "text": request.POST.get("text", "")}, status=400 if errors else 200)
