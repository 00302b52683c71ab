"""Roster import (花名册导入) and export pages. Thin: parse, check permission, call ``imports`` /
``exports`` / ``core.jobs``, render.

Flow: upload (size and content type checked) → a background job checks every row (progress bar,
htmx polling; nothing written) → report → confirm ("import N employees", or "import only the N valid
rows" when some rows are bad) → the job saves in batches (progress bar) → roster. The error report
downloads as .xlsx from the stored report (the file is not parsed again in the web process)."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.core import jobs
from hrguard.core.models import ImportJob
from hrguard.platform import uploads

from . import exports, import_jobs, imports, selectors

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
        content = uploads.read(upload)
        try:
            uploads.check(upload.name, content, uploads.SPREADSHEETS)
        except uploads.UploadError as exc:
            raise ValidationError(str(exc)) from exc
        self.content = content
        return upload


def _require_importer(request: HttpRequest) -> None:
    if not request.user.has_perm("people.import_employees"):
        raise PermissionDenied


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _require_importer(request)
    job = jobs.visible(request.user).filter(pk=pk, kind=import_jobs.KIND).first()
    if job is None:
        raise Http404
    return job


def _job_context(job: ImportJob) -> dict[str, Any]:
    report = imports.ImportReport.from_json(job.report) if job.finished else None
    return {
        "job": job,
        "report": report,
        "errors_shown": report.errors[:REPORT_ROWS_SHOWN] if report else [],
        "errors_hidden": max(0, report.error_count - REPORT_ROWS_SHOWN) if report else 0,
        "create_departments": bool(job.params.get("create_departments")),
        "created": job.report.get("created", 0),
        "failure": job.report.get("failure", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.create(
            request.user, import_jobs.KIND, form.content, upload.name, hashlib.sha256(form.content).hexdigest(),
            params={"create_departments": form.cleaned_data["create_departments"]},
        )
        return redirect("people:import_job", pk=job.pk)
    return render(request, "people/import.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job page: progress while the worker runs, then the report (or the result)."""
    job = _job(request, pk)
    template = "people/_import_job.html" if request.headers.get("HX-Request") else "people/import_job.html"
    return render(request, template, _job_context(job))


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    report = imports.ImportReport.from_json(job.report)
    valid_only = request.POST.get("valid_only") in ("1", "on", "true")
    if job.report.get("failure") or report.file_errors or not (report.ok or (valid_only and report.can_import_valid)):
        messages.error(request, _("This file cannot be imported: upload it again."))
        return redirect("people:import_upload")
    if not jobs.restart(job, "import", {"valid_only": valid_only}):
        messages.info(request, _("This import has already been started."))
    return redirect("people:import_job", pk=job.pk)


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if not job.finished:
        raise Http404
    report = imports.ImportReport.from_json(job.report)
    stem = job.filename.rsplit(".", 1)[0] or "import"
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
