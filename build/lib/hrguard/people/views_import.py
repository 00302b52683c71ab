"""Roster import (花名册导入) and export pages. Thin: parse, check permission, call ``imports`` /
``exports``, render.

Flow: upload → report (nothing written; the file is staged encrypted) → confirm ("import N employees",
or "import only the N valid rows" when some rows are bad) → roster. The error report downloads as .xlsx."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import exports, imports, selectors

REPORT_ROWS_SHOWN = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )
    create_departments = forms.BooleanField(
        label=gettext_lazy("Create departments that do not exist yet (as top-level departments)"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.HRGUARD_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is too large (%(size).1f MB); the limit is %(limit).1f MB. Split it into smaller files.")
                % {"size": upload.size / 1048576, "limit": limit / 1048576}
            )
        return upload


def _require_importer(request: HttpRequest) -> None:
    if not request.user.has_perm("people.import_employees"):
        raise PermissionDenied


def _flag(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) in ("1", "on", "true")


def _report_page(
    request: HttpRequest, report: imports.ImportReport, token: str, create_departments: bool, status: int = 200
) -> HttpResponse:
    context = {
        "report": report,
        "token": token,
        "errors_shown": report.errors[:REPORT_ROWS_SHOWN],
        "errors_hidden": max(0, len(report.errors) - REPORT_ROWS_SHOWN),
        "create_departments": create_departments,
    }
    return render(request, "people/import_report.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        create = form.cleaned_data["create_departments"]
        report = imports.validate_file(request.user.company, content, upload.name, create_departments=create)
        token = imports.stage(request.user, content, upload.name) if not report.file_errors else ""
        return _report_page(request, report, token, create, status=200 if report.ok else 422)
    return render(request, "people/import.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    _require_importer(request)
    staged = imports.load_staged(request.user, token)
    if staged is None:
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("people:import_upload")
    content, filename = staged
    create = _flag(request, "create_departments")
    try:
        result = imports.run_import(
            request.user, request.user.company, content, filename,
            valid_only=_flag(request, "valid_only"), create_departments=create,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:import_upload")
    if not result.created:
        return _report_page(request, result.report, token, create, status=422)
    imports.discard(request.user, token)
    text = _("Imported %(n)d employees.") % {"n": result.created}
    if result.skipped_rows:
        text += " " + _("%(n)d rows with errors were not imported.") % {"n": result.skipped_rows}
    if result.new_departments:
        text += " " + _("New departments: %(names)s.") % {"names": "、".join(result.new_departments)}
    messages.success(request, text)
    return redirect("people:employee_list")


@login_required
@require_GET
def import_errors(request: HttpRequest, token: str) -> FileResponse:
    _require_importer(request)
    staged = imports.load_staged(request.user, token)
    if staged is None:
        raise Http404
    content, filename = staged
    report = imports.validate_file(
        request.user.company, content, filename, create_departments=request.GET.get("create_departments") == "1"
    )
    stem = filename.rsplit(".", 1)[0] or "import"
    return FileResponse(
        exports.error_report(report), as_attachment=True, filename=f"{stem}-错误报告.xlsx", content_type=exports.XLSX
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    _require_importer(request)
    return FileResponse(
        exports.import_template(), as_attachment=True, filename="花名册导入模板.xlsx", content_type=exports.XLSX
    )


@login_required
@require_GET
def employee_export(request: HttpRequest) -> FileResponse:
    if not request.user.has_perm("people.export_employees"):
        raise PermissionDenied
    flt = selectors.EmployeeFilter.from_params(request.GET)
    unmasked = request.GET.get("unmasked") == "1" and exports.may_unmask(request.user)
    data, _count = exports.export_employees(request.user, flt, unmasked=unmasked)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(data, as_attachment=True, filename=f"花名册-{stamp}.xlsx", content_type=exports.XLSX)
