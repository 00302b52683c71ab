"""客户导入 pages: upload a client sheet (every row checked first; errors by row and column, nothing saved
with any error) and download the template with the Chinese headers."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hrguard.people.pages import guard
from hrguard.platform import spreadsheets, uploads

from . import imports


@login_required
@guard("clients:import")
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    report, upload_error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            upload_error = _("Choose a file.")
        else:
            content = uploads.read(upload)
            try:
                checked = uploads.check(upload.name, content, uploads.SPREADSHEETS)
            except uploads.UploadError as exc:
                upload_error = str(exc)
            else:
                report = imports.import_clients(actor=request.user, content=content, source=checked.name)
                if report.ok:
                    messages.success(request, _(
                        "Imported: %(new)d clients added, %(old)d updated, %(cov)d serving employees recorded.") % {
                        "new": report.created, "old": report.updated, "cov": report.saved_coverage})
                    return redirect("clients:list")
    failed = bool(upload_error or (report is not None and not report.ok))
    return render(request, "clients/import.html", {
        "report": report, "upload_error": upload_error,
        "headers": [h for h, _others in imports.COLUMNS.values()],
    }, status=400 if failed else 200)


@login_required
@guard("clients:import_template")
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    resp = HttpResponse(imports.template_xlsx(), content_type=spreadsheets.XLSX)
    name = quote("客户导入模板.xlsx")
    resp["Content-Disposition"] = f"attachment; filename=\"clients-template.xlsx\"; filename*=UTF-8''{name}"
    return resp
