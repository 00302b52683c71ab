"""Pages of the record kernel: attachment download (the owning app decides visibility)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from . import files
from .models import Attachment


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Download an attachment when its record is visible to the user."""
    att = Attachment.objects.filter(company_id=request.user.company_id, pk=pk).first()
    if att is None:
        raise Http404
    if files.visible_owner(request.user, att) is None:
        raise Http404
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
