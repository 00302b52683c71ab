"""Import / export pages over HTTP: permission, upload limit, report, confirm modes, downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hrguard.core import jobs
from hrguard.core.models import ImportJob
from hrguard.people.models import Employee

from .test_imports import HEADER, csv_bytes, good_row


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks: Any) -> Any:
    """Run the on-commit hand-off to the (immediate, in tests) worker, as a real commit would."""

    def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return call


def upload(client: Any, content: bytes, name: str = "roster.csv", **extra: Any) -> Any:
    return client.post(
        reverse("people:import_upload"), {"file": SimpleUploadedFile(name, content), **extra},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def checked(client: Any, run_jobs: Any, content: bytes, name: str = "roster.csv") -> tuple[int, Any]:
    """Upload → redirect to the job page → the job's report page."""
    response = run_jobs(upload, client, content, name)
    assert response.status_code == 302, response.content[:500]
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return pk, client.get(response["Location"])


def test_only_hr_sees_the_import_page(client, world):
    client.force_login(world.users["manager"])
    assert client.get(reverse("people:import_upload")).status_code == 403
    assert client.get(reverse("people:import_template")).status_code == 403
    assert client.get(reverse("people:employee_export")).status_code == 403
    client.force_login(world.users["hr"])
    page = client.get(reverse("people:import_upload"))
    assert page.status_code == 200 and b"import-form" in page.content
    roster = client.get(reverse("people:employee_list"))
    assert b"roster-import" in roster.content and b"roster-export" in roster.content


def test_oversized_upload_gets_a_clear_message(client, world, settings):
    settings.HRGUARD_MAX_UPLOAD_BYTES = 100
    client.force_login(world.users["hr"])
    response = upload(client, csv_bytes([HEADER] + [good_row(f"N{i}", f"1{i:02d}") for i in range(5)]))
    assert response.status_code == 422
    html = response.content.decode()  # the page language follows the user's setting, so check the markup
    assert 'data-field="file"' in html and "MB" in html
    assert not Employee.objects.filter(employee_no__startswith="N").exists()
    assert not ImportJob.objects.exists()


def test_bad_row_report_then_valid_only(client, world, run_jobs):
    client.force_login(world.users["hr"])
    content = csv_bytes([HEADER, good_row("W001", "301"), good_row("W002", "302", dept="火星部")])
    pk, page = checked(client, run_jobs, content)
    html = page.content.decode()
    assert 'data-row="3" data-field="department"' in html and "火星部" in html and "import-valid-only" in html
    assert not Employee.objects.filter(employee_no__startswith="W").exists()
    # Confirming without valid_only imports nothing.
    again = run_jobs(client.post, reverse("people:import_confirm", args=[pk]))
    assert again.status_code == 302 and not Employee.objects.filter(employee_no__startswith="W").exists()
    errors = client.get(reverse("people:import_errors", args=[pk]))
    assert errors.status_code == 200
    sheet = list(load_workbook(io.BytesIO(b"".join(errors.streaming_content))).active.values)
    assert sheet[1][0] == 3
    done = run_jobs(client.post, reverse("people:import_confirm", args=[pk]), {"valid_only": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("people:import_job", args=[pk])
    result = client.get(done["Location"])
    assert b"import-result" in result.content
    assert list(Employee.objects.filter(employee_no__startswith="W").values_list("employee_no", flat=True)) == [
        "W001"]
    # The job cannot be run twice, and its staged file is gone.
    run_jobs(client.post, reverse("people:import_confirm", args=[pk]), {"valid_only": "1"})
    assert Employee.objects.filter(employee_no__startswith="W").count() == 1
    assert jobs.load_file(ImportJob.objects.get(pk=pk)) is None


def test_clean_file_imports_on_confirm(client, world, run_jobs):
    client.force_login(world.users["hr"])
    pk, page = checked(client, run_jobs, csv_bytes([HEADER, good_row("C001", "401"), good_row("C002", "402")], "gbk"))
    assert page.status_code == 200 and b"import-confirm" in page.content
    done = run_jobs(client.post, reverse("people:import_confirm", args=[pk]))
    assert done.status_code == 302
    assert Employee.objects.filter(company=world.company, employee_no__in=["C001", "C002"]).count() == 2
    assert ImportJob.objects.get(pk=pk).report["created"] == 2


def test_progress_partial_polls_until_the_job_is_done(client, world):
    client.force_login(world.users["hr"])
    response = upload(client, csv_bytes([HEADER, good_row("P001", "411")]))  # no commit: the job waits
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    waiting = client.get(reverse("people:import_job", args=[pk]), HTTP_HX_REQUEST="true")
    html = waiting.content.decode()
    assert "<html" not in html and 'hx-trigger="load delay:1s"' in html and "import-progress" in html
    jobs.run(pk)
    finished = client.get(reverse("people:import_job", args=[pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in finished and "import-confirm" in finished


def test_another_user_cannot_use_the_job(client, world, run_jobs):
    client.force_login(world.users["hr"])
    pk, _page = checked(client, run_jobs, csv_bytes([HEADER, good_row("T001", "451")]))
    client.force_login(world.users["admin"])
    assert client.post(reverse("people:import_confirm", args=[pk])).status_code == 404
    assert not Employee.objects.filter(employee_no="T001").exists()
    assert client.get(reverse("people:import_errors", args=[pk])).status_code == 404
    assert client.get(reverse("people:import_job", args=[pk])).status_code == 404


def test_wrong_type_is_refused_at_upload(client, world):
    client.force_login(world.users["hr"])
    response = upload(client, b"%PDF-1.4 whatever", "roster.xlsx")
    assert response.status_code == 422 and 'data-field="file"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_export_download_with_filters(client, world):
    client.force_login(world.users["hr"])
    response = client.get(reverse("people:employee_export"), {"department": world.depts["rnd"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == ["R001"]
    template = client.get(reverse("people:import_template"))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
