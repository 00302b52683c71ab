"""Collection pages for HR: one employee's file (contacts, answers, escalation, lawyer letter and its
delivery, police report, evidence package), the letter text, the monthly numbers with the ECharts chart."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import letters, selectors, services
from .models import DeliveryMethod, LawyerLetter
from .package import collection_package
from .views import _int


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]):
        for msg in msgs:
            messages.error(request, msg)


@login_required
@require_GET
def file_page(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.file_detail(request.user, pk)
    return render(request, "collection/file.html", {
        "d": detail, "can_manage": request.user.has_perm("collection.manage", detail.file.case),
        "methods": DeliveryMethod.choices, "today": timezone.localdate().isoformat()})


@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.escalate(actor=request.user, file_id=pk, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("collection:file", pk=pk)


@login_required
@require_POST
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issued = letters.issue_letter(actor=request.user, file_id=pk, agency=request.POST.get("agency", ""))
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("collection:file", pk=pk)
    messages.success(request, _("Lawyer letter issued. Record its delivery below."))
    return redirect("collection:letter_page", pk=issued.pk)


@login_required
@require_GET
def letter_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(LawyerLetter.objects.select_related("file"), company_id=request.user.company_id, pk=pk)
    selectors.file_detail(request.user, found.file.case_id)  # permission + evidence of the read
    return render(request, "collection/letter.html", {"letter": found, "methods": DeliveryMethod.choices,
                                                       "can_manage": request.user.has_perm("collection.manage")})


@login_required
@require_POST
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        letters.record_delivery(actor=request.user, letter_id=pk, method=request.POST.get("method", ""),
                                reference=request.POST.get("reference", ""))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Delivery recorded."))
    return redirect("collection:letter_page", pk=pk)


@login_required
@require_POST
def police(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.POST.get("reported_on", ""))
    except ValueError:
        day = None
    try:
        letters.record_police_report(actor=request.user, file_id=pk, reported_on=day,
                                     station=request.POST.get("station", ""),
                                     receipt_no=request.POST.get("receipt_no", ""), scan=request.FILES.get("scan"))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Police report recorded."))
    return redirect("collection:file", pk=pk)


@login_required
@require_GET
def package(request: HttpRequest) -> HttpResponse:
    try:
        data = collection_package(actor=request.user, employee_id=_int(request.GET.get("employee")),
                                  agency=request.GET.get("agency", ""))
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("collection:log")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="collection-evidence.zip"'
    return response


def chart_data(numbers: selectors.Numbers) -> dict[str, object]:
    months = [m.key for m in numbers.months]
    return {
        "months": months, "title": _("Collection contacts per month, by agency"), "empty": _("No contacts yet"),
        "series": [{"name": a, "data": [m.by_agency.get(a, 0) for m in numbers.months]} for a in numbers.agencies],
        "before": numbers.before, "after": numbers.after,
        "before_label": _("30 days before the lawyer letter"), "after_label": _("30 days after"),
    }


@login_required
@require_GET
def numbers(request: HttpRequest) -> HttpResponse:
    found = selectors.monthly(request.user)
    return render(request, "collection/numbers.html", {
        "n": found, "chart": chart_data(found),
        "months": [m for m in reversed(found.months) if m.total]})
