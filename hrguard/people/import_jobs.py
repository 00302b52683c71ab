"""The roster import's write step and its background job (``core.jobs`` kind "roster").

Job steps: "check" reads and checks every row and keeps the report on the job (nothing else is
written); "import" (after the user confirmed) checks the file again and inserts in batches. An
import step that saved part of the file before its worker died is not re-run blindly: it ends with
a message saying how many employees were saved (the evidence log has each of them)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrguard.core import jobs
from hrguard.core.crypto import blind_index
from hrguard.core.models import Company, ImportJob, User
from hrguard.evidence.services import PendingEvent, Subject, record, record_many
from hrguard.platform import bulk
from hrguard.platform.errors import require

from .imports import BATCH, ImportReport, ImportResult, Progress, validate_file
from .inputs import ID_INDEX_CONTEXT, PHONE_INDEX_CONTEXT
from .models import Employee, LifecycleEvent, LifecycleKind

KIND = "roster"


def roster_job(job: ImportJob) -> None:
    """The handler the worker calls for a roster job (registered in ``PeopleConfig.ready``)."""
    content = jobs.load_file(job)
    if content is None:
        jobs.fail(job, _("The uploaded file has expired: upload it again."))
        return
    create = bool(job.params.get("create_departments"))
    progress = jobs.Progress(job)
    if job.step == "check":
        report = validate_file(job.company, content, job.filename, create_departments=create, progress=progress)
        jobs.finish(job, report.to_json())
        if report.file_errors:
            jobs.discard_file(job)
        return
    if job.attempts > 1 and job.phase == "saving":  # a worker died after the first batch may have committed
        jobs.fail(job, _("The import was interrupted while saving: check the roster and the evidence log for the "
                         "employees already saved, then import the rest."))
        return
    try:
        result = run_import(
            job.created_by, job.company, content, job.filename, valid_only=bool(job.params.get("valid_only")),
            create_departments=create, progress=progress,
        )
    except ValidationError as exc:
        jobs.fail(job, " ".join(exc.messages))
        return
    if result.created:
        jobs.discard_file(job)
    jobs.finish(job, {**result.report.to_json(), "created": result.created, "skipped_rows": result.skipped_rows,
                      "new_departments_created": result.new_departments})


def run_import(
    actor: User, company: Company, content: bytes, filename: str = "", *,
    valid_only: bool = False, create_departments: bool = False, per_employee_events: bool = True,
    progress: Progress | None = None, batch_size: int = BATCH,
) -> ImportResult:
    """Validate the whole file again (nothing is written while any row is unchecked), then insert in
    batches of ``batch_size``, each its own short transaction with its evidence, so a long import never
    holds the write lock for more than a moment. Without ``valid_only`` a file with any error imports
    nothing (the report says why). ``progress(done, total)`` counts rows read, then rows written."""
    require(actor, "people.import_employees")
    if actor.company_id != company.pk:
        raise ValidationError(_("You can only add employees to your own company."))
    report = validate_file(company, content, filename, create_departments=create_departments, progress=progress)
    if report.file_errors or not report.valid or (report.errors and not valid_only):
        return ImportResult(0, report.bad_rows, [], report)
    valid = [cleaned for _row, cleaned in report.valid]
    summary = {
        "file": report.filename, "sha256": report.sha256, "rows": report.total_rows, "created": len(valid),
        "skipped_rows": sorted({e.row for e in report.errors}), "mode": "valid_only" if report.errors else "all",
        "new_departments": [], "first_employee_no": valid[0]["employee_no"],
        "last_employee_no": valid[-1]["employee_no"],
    }
    created = 0
    if progress is not None:
        progress("saving", 0, len(valid))
    for start in range(0, len(valid), batch_size):
        part = valid[start : start + batch_size]
        last = start + batch_size >= len(valid)
        try:
            with transaction.atomic():
                if start == 0:
                    summary["new_departments"] = _create_departments(report)
                _write_batch(actor, company, report, part, per_employee_events, summary if last else None)
        except IntegrityError as exc:  # a concurrent import or edit took an employee number meanwhile
            _interrupted(actor, company, summary, created)
            raise ValidationError(_interrupted_message(created, report.valid, start)) from exc
        created += len(part)
        bulk.let_writers_in()
        if progress is not None:
            progress("saving", created, len(valid))
    return ImportResult(created, report.bad_rows, summary["new_departments"], report)


def _write_batch(
    actor: User, company: Company, report: ImportReport, part: list[dict[str, Any]], per_employee_events: bool,
    summary: dict[str, Any] | None,
) -> None:
    """One batch: employees, their hire events and the evidence, in the caller's transaction."""
    pks = _insert_employees(company, part)
    note = str(_("Imported"))
    bulk.insert(
        LifecycleEvent,
        [
            {"employee_id": pk, "effective_date": c["hire_date"],
             "changes": {"department": c["department"].name, "position": str(c["position"] or "")}}
            for pk, c in zip(pks, part, strict=True)
        ],
        constants={"company_id": company.pk, "kind": LifecycleKind.HIRE, "note": note, "created_by_id": actor.pk},
    )
    subject_type = f"{Employee._meta.app_label}.{Employee._meta.model_name}"
    events = [
        PendingEvent(
            "employee.created", Subject(subject_type, str(pk)),
            {"employee_no": c["employee_no"], "name": c["name"], "department": c["department"].name,
             "hire_date": c["hire_date"], "source": "import", "import_sha256": report.sha256},
            pk,
        )
        for pk, c in zip(pks, part, strict=True)
    ] if per_employee_events else [
        PendingEvent("employee.import_batch", None, {
            "sha256": report.sha256, "created": len(part), "first_employee_no": part[0]["employee_no"],
            "last_employee_no": part[-1]["employee_no"],
        })
    ]
    if summary is not None:
        events.append(PendingEvent("employee.imported", None, summary))
    record_many(company, actor, events)


def _interrupted(actor: User, company: Company, summary: dict[str, Any], created: int) -> None:
    if created:
        with transaction.atomic():
            record(company, actor, "employee.imported", None, {**summary, "created": created, "interrupted": True})


def _interrupted_message(created: int, valid: list[tuple[int, dict[str, Any]]], start: int) -> str:
    if not created:
        return _("Another change to the roster happened meanwhile: upload the file again.")
    return _(
        "Another change to the roster happened meanwhile: the employees of rows up to %(row)d (%(n)d) were "
        "imported, the rest were not. Upload the file again and import only the valid rows."
    ) % {"row": valid[start - 1][0], "n": created}


def _insert_employees(company: Company, valid: list[dict[str, Any]]) -> list[int]:
    """Insert the cleaned rows; returns the new primary keys in row order. The blind indexes and the
    department path are what ``inputs.apply_indexes`` would set."""
    rows = []
    for cleaned in valid:
        row = {k: v for k, v in cleaned.items() if k not in ("department", "position")}
        row["department_id"] = cleaned["department"].pk
        row["department_path"] = cleaned["department"].path
        row["position_id"] = cleaned["position"].pk if cleaned.get("position") else None
        row["id_number_index"] = blind_index(row["id_number"], ID_INDEX_CONTEXT) if row.get("id_number") else ""
        row["phone_index"] = blind_index(row["phone"], PHONE_INDEX_CONTEXT) if row.get("phone") else ""
        rows.append(row)
    bulk.insert(Employee, rows, constants={"company_id": company.pk})
    numbers = [row["employee_no"] for row in rows]
    found: dict[str, int] = {}
    for start in range(0, len(numbers), 1000):  # the unique (company, employee_no) maps rows to keys
        found.update(
            Employee.objects.filter(company=company, employee_no__in=numbers[start : start + 1000])
            .values_list("employee_no", "pk")
        )
    return [found[number] for number in numbers]


def _create_departments(report: ImportReport) -> list[str]:
    """Save the departments the report planned to create (the cleaned rows hold the same objects)."""
    made: list[str] = []
    for _row, cleaned in report.valid:
        dept = cleaned.get("department")
        if dept is not None and dept.pk is None:
            dept.save()
            made.append(dept.name)
    return sorted(made)
