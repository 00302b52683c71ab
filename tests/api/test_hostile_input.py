"""Inputs that used to answer 500, and error answers that used to be HTML: every one is now a JSON error
in the documented format (400/404/405/413/415/500), and nothing is saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import path
from rest_framework.test import APIClient

from hrguard import urls as project_urls
from hrguard.core.validation import parse_amount, parse_id, parse_month
from hrguard.evidence.models import EvidenceEvent
from hrguard.people.models import Contract, Employee

HUGE = "1" * 4301  # Python refuses int() of more than 4,300 digits
CONTRACT = {"contract_no": "HT-NAN", "contract_type": "open_ended", "start_date": "2024-01-01",
            "work_location": "上海"}


def json_error(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.content[:300]
    assert resp["Content-Type"].startswith("application/json"), resp["Content-Type"]
    body = resp.json()
    assert body["error"] == (code or body["error"]) and body["detail"]
    return body


@pytest.mark.parametrize("value", [HUGE, "9" * 5000, "²", "１２", "9" * 19])
@pytest.mark.parametrize("field", ["position", "department"])
def test_numeric_text_of_any_length_in_department_or_position_is_a_400(world, api, field, value):
    hr = api(world.users["hr"])
    events = EvidenceEvent.objects.count()
    body = {"employee_no": "X001", "name": "甲", "hire_date": "2024-01-02", "department": "销售部", field: value}
    resp = hr.post("/api/v1/employees/", body, format="json")
    assert field in json_error(resp, 400, "invalid")["fields"]
    emp = world.employees["east_rep"]
    resp = hr.patch(f"/api/v1/employees/{emp.pk}/", {field: value}, format="json")
    assert field in json_error(resp, 400, "invalid")["fields"]
    assert not Employee.objects.filter(employee_no="X001").exists()
    assert EvidenceEvent.objects.count() == events


def test_department_by_id_still_works(world, api):
    emp = world.employees["east_rep"]
    resp = api(world.users["hr"]).patch(f"/api/v1/employees/{emp.pk}/", {"department": str(world.depts["rnd"].pk)},
                                        format="json")
    assert resp.status_code == 200 and resp.json()["department"]["id"] == world.depts["rnd"].pk


@pytest.mark.parametrize("wage", ["NaN", "Infinity", "-Infinity", "sNaN", "1e999", 1e308, "1" * 4301, True, [1]])
def test_non_finite_or_absurd_wage_is_a_400(world, api, wage):
    body = {**CONTRACT, "employee": world.employees["east_rep"].pk, "wage": wage}
    resp = api(world.users["hr"]).post("/api/v1/contracts/", body, format="json")
    assert "wage" in json_error(resp, 400, "invalid")["fields"]
    assert not Contract.objects.exists()


def test_wage_given_as_number_or_text_is_saved_exactly(world, api):
    hr = api(world.users["hr"])
    emp = world.employees["east_rep"]
    resp = hr.post("/api/v1/contracts/", {**CONTRACT, "employee": emp.pk, "wage": "12,000.50"}, format="json")
    assert resp.status_code == 201, resp.content
    assert Contract.objects.get().wage == Decimal("12000.50")


@pytest.mark.parametrize("wage", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_wage_on_the_contract_page_is_a_field_error(world, wage, client_for):
    from tests.people.test_views_contracts import contract_post, field_errors

    emp = world.employees["east_rep"]
    resp = client_for(world.users["hr"]).post(f"/people/{emp.pk}/contracts/new/", contract_post(wage=wage))
    assert resp.status_code == 200
    assert field_errors(resp.content.decode(), "wage")
    assert not Contract.objects.exists()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2024-13", "10000-01", HUGE + "-01", "2024-²"])
def test_monthly_attendance_with_a_month_out_of_range_is_a_400(world, api, month):
    resp = api(world.users["hr"]).get("/api/v1/activity/attendance-monthly/", {"month": month})
    assert "month" in json_error(resp, 400, "invalid")["fields"]


def test_monthly_attendance_of_a_normal_month_answers(world, api):
    assert api(world.users["hr"]).get("/api/v1/activity/attendance-monthly/", {"month": "2024-02"}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/employees/abc/", "/api/v1/employees/" + "9" * 30 + "/", "/api/v1/nope/",
                                 "/api/nope", "/api/v1/activity/trips/x/"])
def test_unknown_api_paths_are_json_404s(world, api, url):
    json_error(api(world.users["hr"]).get(url), 404, "not_found")
    json_error(APIClient().get(url), 404, "not_found")


def test_pages_outside_the_api_keep_their_html_404(world):
    resp = APIClient().get("/people/nope/")
    assert resp.status_code == 404 and resp["Content-Type"].startswith("text/html")


def test_method_and_media_type_errors_are_json(world, api):
    hr = api(world.users["hr"])
    emp = world.employees["east_rep"]
    json_error(hr.put(f"/api/v1/employees/{emp.pk}/", {}, format="json"), 405, "method_not_allowed")
    json_error(hr.post("/api/v1/employees/", "x", content_type="text/plain"), 415, "unsupported_media_type")


def test_errors_of_the_schema_and_docs_views_are_json_too(db):
    client = APIClient()
    for url in ("/api/schema/", "/api/schema/?format=json", "/api/docs/"):
        json_error(client.post(url, {}), 405, "method_not_allowed")
    json_error(client.get("/api/v1/employees/", HTTP_ACCEPT="text/html"), 406, "not_acceptable")
    json_error(client.get("/api/v1/employees/", {"format": "api"}), 404, "not_found")  # no browsable API


def test_multipart_body_with_too_many_fields_is_a_json_400(world, api):
    fields = {f"f{i}": "x" for i in range(1100)}
    hr = api(world.users["hr"])
    json_error(hr.post("/api/v1/activity/expense-claims/", fields), 400, "parse_error")
    form = "&".join(f"f{i}=x" for i in range(1100))
    resp = APIClient().post("/api/v1/auth/token/", form, content_type="application/x-www-form-urlencoded")
    json_error(resp, 400, "parse_error")


def test_multipart_field_too_big_to_hold_is_a_json_413(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    resp = api(world.users["hr"]).post("/api/v1/activity/expense-claims/", {"description": "x" * 2000})
    json_error(resp, 413, "too_large")


def _boom(request: Any) -> Any:
    raise RuntimeError("a bug")


# A URL conf with a view that fails, and the project's error views.
urlpatterns = [path("api/v1/boom/", _boom), path("boom/", _boom)]
handler500 = project_urls.handler500


@pytest.mark.urls("tests.api.test_hostile_input")
def test_a_server_error_under_the_api_is_json_and_pages_keep_html(db):
    client = APIClient(raise_request_exception=False)
    body = json_error(client.get("/api/v1/boom/"), 500, "server_error")
    assert "a bug" not in body["detail"]  # no internals in the answer
    page = client.get("/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_boundary_parsers():
    assert parse_id("42") == 42 and parse_id(42) == 42
    for bad in (HUGE, "²", "１２", "0", "-1", "9" * 19, 2**63, True, None, 1.5, " ", "0x1F"):
        assert parse_id(bad) is None, bad
    assert parse_month("2024-02") == (2024, 2)
    assert parse_amount(" 1,234.5 ", "w") == Decimal("1234.5")
    for bad in ("NaN", "Infinity", "-1", "0.001", "1e999", float("nan"), "1" * 41):
        with pytest.raises(ValidationError):
            parse_amount(bad, "w")


def test_a_nul_character_in_a_query_parameter_is_a_400(world, api, client_for):
    """PostgreSQL text cannot hold NUL (psycopg refuses the query: a 500 on PostgreSQL only)."""
    hr = api(world.users["hr"])
    body = json_error(hr.get("/api/v1/activity/trips/", {"status": "\x00"}), 400)
    assert body["error"] == "parse_error"
    json_error(hr.get("/api/v1/employees/", {"q": "a\x00b"}), 400)
    page = client_for(world.users["hr"]).get("/people/", {"q": "\x00"})
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert hr.get("/api/v1/employees/", {"q": "%00 literally"}).status_code == 200  # the text "%00" is fine


def test_a_nul_character_in_a_username_is_an_ordinary_failed_sign_in(world):
    resp = APIClient().post("/api/v1/auth/token/", {"username": "acme-hr\x00", "password": "x"}, format="json")
    json_error(resp, 400, "invalid")
