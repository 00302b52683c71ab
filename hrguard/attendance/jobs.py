"""The punch import as a background job (``core.jobs`` kind "punches"): one step, "import"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hrguard.core import jobs
from hrguard.core.models import ImportJob

from . import importer
from .models import PunchDeviceProfile

KIND = "punches"


def punch_job(job: ImportJob) -> None:
    """The handler the worker calls (registered in ``ActivityConfig.ready``). Re-running it is safe:
    punches already stored are skipped as duplicates."""
    content = jobs.load_file(job)
    if content is None:
        jobs.fail(job, _("The uploaded file has expired: upload it again."))
        return
    profile = PunchDeviceProfile.objects.filter(company_id=job.company_id, pk=job.params.get("profile") or 0).first()
    if profile is None:
        jobs.fail(job, _("Choose a device model."))
        return
    try:
        batch = importer.import_file(
            job.created_by, job.company, profile, content, job.filename, progress=jobs.Progress(job)
        )
    except ValidationError as exc:
        messages = [m for values in exc.message_dict.values() for m in values] if hasattr(exc, "error_dict") else (
            exc.messages)
        jobs.fail(job, _("Nothing was saved."), errors=messages)
        jobs.discard_file(job)
        return
    jobs.discard_file(job)
    jobs.finish(job, {
        "batch": batch.pk, "rows": batch.rows, "inserted": batch.inserted, "duplicates": batch.duplicates,
        "out_of_order": batch.out_of_order, "first_date": batch.first_date.isoformat() if batch.first_date else "",
        "last_date": batch.last_date.isoformat() if batch.last_date else "",
    })
