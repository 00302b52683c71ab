"""Exit pages for the documents (send for signature, record the fallback), the Art. 50 clocks (record the
social-insurance transfer), restarting a cancelled process, and the 社保减员 / 退工登记 exports with their
layouts. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import duties, exit_documents, services, si_export
from .si_layouts import FIELDS, LIST_KINDS, parse_lines, to_lines
from .views import _flash, _post

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SCAN = 10 * 1024 * 1024


def _days(raw: Any) -> int:
    try:
        return int(str(raw or exit_documents.DEFAULT_DAYS))
    except ValueError:
        return 0


@login_required
@require_POST
def send_document(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    values = {k: str(p.get(k) or "")[:2000] for k in ("reason", "effective_date", "amount", "items") if p.get(k)}
    return _post(request, pk, lambda: exit_documents.send(
        actor=request.user, exit_id=pk, kind=str(p.get("kind") or ""), channels=p.getlist("channels")[:6],
        values=values, days=_days(p.get("days"))), _("The document was sent for signature."))


@login_required
@require_POST
def document_fallback(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    p = request.POST
    upload = request.FILES.get("scan")

    def act() -> None:
        if upload is not None and upload.size > MAX_SCAN:
            raise ValidationError({"scan": [_("The scan must not exceed 10 MB.")]})
        exit_documents.record_fallback(
            actor=request.user, exit_id=pk, document_id=doc_pk, kind=str(p.get("kind") or ""),
            tracking_no=str(p.get("tracking_no") or "")[:60], note=str(p.get("note") or "")[:500],
            scan=upload.read() if upload is not None else None, scan_name=upload.name if upload else "")

    return _post(request, pk, act, _("Notification by other route recorded."))


@login_required
@require_POST
def record_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _post(request, pk, lambda: duties.record_transfer(
        actor=request.user, exit_id=pk, done_on=str(p.get("done_on") or ""), note=str(p.get("note") or "")),
        _("The transfer was recorded."))


@login_required
@require_POST
def restart_process(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, lambda: services.restart_process(actor=request.user, exit_id=pk),
                 _("The exit process was started again."))


@login_required
@require_GET
def si_lists(request: HttpRequest) -> HttpResponse:
    """社保减员 / 退工登记: employments ending in a range, previewed, downloaded as Excel."""
    if not si_export.may_export(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    q = request.GET
    data = {"from": str(q.get("from") or today.replace(day=1).isoformat())[:10],
            "to": str(q.get("to") or today.isoformat())[:10], "layout": str(q.get("layout") or "generic")[:40]}
    errors: dict[str, list[str]] = {}
    result = None
    try:
        if q.get("download") == "1":
            result, content = si_export.export(actor=request.user, date_from=data["from"], date_to=data["to"],
                                               layout=data["layout"])
            resp = HttpResponse(content, content_type=XLSX)
            resp["Content-Disposition"] = f'attachment; filename="{result.filename}"'
            return resp
        result = si_export.build(actor=request.user, date_from=data["from"], date_to=data["to"],
                                 layout=data["layout"])
    except ValidationError as exc:
        errors = exc.message_dict
    layouts = si_export.layouts_for(request.user.company_id)
    return render(request, "offboarding/si_lists.html", {
        "data": data, "errors": errors, "result": result, "layouts": layouts.values(),
        "kinds": {k: str(v) for k, v in LIST_KINDS.items()},
        "can_edit": request.user.has_perm("offboarding.edit_si_layouts"),
    }, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def si_layout(request: HttpRequest) -> HttpResponse:
    """Pick a layout and edit it (column order, headers, value mapping): saved as the company's own."""
    if not request.user.has_perm("offboarding.edit_si_layouts"):
        raise PermissionDenied
    layouts = si_export.layouts_for(request.user.company_id)
    key = str(request.GET.get("key") or request.POST.get("key") or "generic")[:40]
    current = layouts.get(key)
    data = {"key": key, "name": current.name if current else "", "list_kind": current.list_kind if current else
            "reduction", "columns": to_lines(current.columns) if current else ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        p = request.POST
        data = {"key": key, "name": str(p.get("name") or "")[:100], "list_kind": str(p.get("list_kind") or ""),
                "columns": str(p.get("columns") or "")[:8000]}
        try:
            si_export.save_layout(actor=request.user, key=key, name=data["name"], list_kind=data["list_kind"],
                                  columns=parse_lines(data["columns"]))
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                errors = exc.message_dict
            else:
                _flash(request, exc)
        else:
            messages.success(request, _("Layout saved."))
            return redirect(reverse("offboarding:si_layout") + f"?key={key}")
    return render(request, "offboarding/si_layout.html", {
        "data": data, "errors": errors, "layouts": layouts.values(), "fields": [(k, str(v)) for k, v in FIELDS.items()],
        "kinds": {k: str(v) for k, v in LIST_KINDS.items()},
    }, status=400 if errors else 200)
