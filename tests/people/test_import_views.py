"""Import / export pages over HTTP: permission, upload limit, report, confirm modes, downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hrguard.people.models import Employee

from .test_imports import HEADER, csv_bytes, good_row


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def upload(client: Any, content: bytes, name: str = "roster.csv", **extra: Any) -> Any:
    return client.post(
        reverse("people:import_upload"), {"file": SimpleUploadedFile(name, content), **extra},
        HTTP_ACCEPT_LANGUAGE="en",
    )


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


def test_bad_row_report_then_valid_only(client, world):
    client.force_login(world.users["hr"])
    content = csv_bytes([HEADER, good_row("W001", "301"), good_row("W002", "302", dept="火星部")])
    response = upload(client, content)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-row="3" data-field="department"' in html and "火星部" in html
    token = response.context["token"]
    assert not Employee.objects.filter(employee_no__startswith="W").exists()
    # Confirming without valid_only imports nothing.
    again = client.post(reverse("people:import_confirm", args=[token]))
    assert again.status_code == 422 and not Employee.objects.filter(employee_no__startswith="W").exists()
    errors = client.get(reverse("people:import_errors", args=[token]))
    assert errors.status_code == 200
    sheet = list(load_workbook(io.BytesIO(b"".join(errors.streaming_content))).active.values)
    assert sheet[1][0] == 3
    done = client.post(reverse("people:import_confirm", args=[token]), {"valid_only": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("people:employee_list")
    assert list(Employee.objects.filter(employee_no__startswith="W").values_list("employee_no", flat=True)) == [
        "W001"]
    # The staged file is gone after the import.
    assert client.post(reverse("people:import_confirm", args=[token]), {"valid_only": "1"}).status_code == 302
    assert Employee.objects.filter(employee_no__startswith="W").count() == 1


def test_clean_file_imports_on_confirm(client, world):
    client.force_login(world.users["hr"])
    response = upload(client, csv_bytes([HEADER, good_row("C001", "401"), good_row("C002", "402")], "gbk"))
    assert response.status_code == 200 and b"import-confirm" in response.content
    done = client.post(reverse("people:import_confirm", args=[response.context["token"]]))
    assert done.status_code == 302
    assert Employee.objects.filter(company=world.company, employee_no__in=["C001", "C002"]).count() == 2


def test_another_user_cannot_use_the_token(client, world):
    client.force_login(world.users["hr"])
    token = upload(client, csv_bytes([HEADER, good_row("T001", "451")])).context["token"]
    client.force_login(world.users["admin"])
    client.post(reverse("people:import_confirm", args=[token]))
    assert not Employee.objects.filter(employee_no="T001").exists()
    assert client.get(reverse("people:import_errors", args=[token])).status_code == 404


def test_wrong_type_report(client, world):
    client.force_login(world.users["hr"])
    response = upload(client, b"%PDF-1.4 whatever", "roster.xlsx")
    assert response.status_code == 422 and b"import-file-errors" in response.content
    assert response.context["token"] == ""


def test_export_download_with_filters(client, world):
    client.force_login(world.users["hr"])
    response = client.get(reverse("people:employee_export"), {"department": world.depts["rnd"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == ["R001"]
    template = client.get(reverse("people:import_template"))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
