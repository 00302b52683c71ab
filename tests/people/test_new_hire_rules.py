"""New-hire validation at every boundary (service/form, API, import): minimum working age (Labor Law
Art. 15), a sane date range, the ID number's birth date, canonical employee numbers; and home addresses
encrypted at rest and kept out of the evidence log in clear."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from hrguard.core import crypto
from hrguard.evidence.models import EvidenceEvent
from hrguard.law import employment
from hrguard.people import import_jobs, imports, services
from hrguard.people.inputs import normalize_employee_no
from hrguard.people.models import Employee
from tests.conftest import api_client_for as api_client
from tests.conftest import make_id

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("hrguard.people.migrations.0004_address_encrypted_employee_no_normalised")


def data(world: Any, **over: Any) -> dict[str, Any]:
    out = {
        "employee_no": "N100", "name": "新员工", "department": world.depts["east"].pk,
        "hire_date": "2026-03-02", "birth_date": "1995-05-05",
    }
    out.update(over)
    return out


def refused(world: Any, **over: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        services.create_employee(world.users["hr"], world.company, data(world, **over))
    return info.value.message_dict


# --- the law rule -----------------------------------------------------------------------------------
def test_age_counts_full_years_and_leap_day_birthdays() -> None:
    assert employment.age_on(dt.date(2010, 3, 2), dt.date(2026, 3, 1)) == 15
    assert employment.age_on(dt.date(2010, 3, 2), dt.date(2026, 3, 2)) == 16
    assert employment.age_on(dt.date(2008, 2, 29), dt.date(2024, 2, 28)) == 15
    assert employment.age_on(dt.date(2008, 2, 29), dt.date(2024, 2, 29)) == 16
    assert employment.minimum_age_violation(dt.date(2010, 3, 2), dt.date(2026, 3, 2)) is None
    problem = employment.minimum_age_violation(dt.date(2010, 3, 3), dt.date(2026, 3, 2))
    assert problem is not None and problem.citation.article == "15" and "劳动法" in problem.message_zh


# --- minimum age, date range ------------------------------------------------------------------------
def test_a_ten_year_old_is_not_hired_and_the_message_cites_art_15(world: Any) -> None:
    with translation.override("zh-hans"):
        errors = refused(world, birth_date="2016-01-01", hire_date="2026-01-05")
    assert "《劳动法》第15条" in errors["birth_date"][0] and "16" in errors["birth_date"][0]
    assert not Employee.objects.filter(employee_no="N100").exists()


def test_sixteenth_birthday_is_old_enough(world: Any) -> None:
    emp = services.create_employee(
        world.users["hr"], world.company, data(world, birth_date="2010-03-02", hire_date="2026-03-02")
    )
    assert emp.birth_date == dt.date(2010, 3, 2)


def test_editing_the_hire_date_to_before_the_sixteenth_birthday_is_refused(world: Any) -> None:
    emp = services.create_employee(
        world.users["hr"], world.company, data(world, birth_date="2010-03-02", hire_date="2026-03-02")
    )
    with pytest.raises(ValidationError) as info:
        services.update_employee(world.users["hr"], emp, {"hire_date": "2026-03-01"})
    assert "birth_date" in info.value.message_dict
    emp.refresh_from_db()
    assert emp.hire_date == dt.date(2026, 3, 2)


@pytest.mark.parametrize("field, value", [
    ("birth_date", "0001-01-01"), ("birth_date", "1899-12-31"), ("hire_date", "0001-01-01"),
    ("work_start_date", "0001-01-01"), ("hire_date", "2999-01-01"),
])
def test_absurd_dates_are_refused(world: Any, field: str, value: str) -> None:
    assert field in refused(world, **{field: value})


def test_a_birth_date_in_the_future_is_refused(world: Any) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "birth_date" in refused(world, birth_date=tomorrow)


# --- the ID number's birth date ---------------------------------------------------------------------
def test_id_number_contradicting_the_birth_date_is_refused_in_chinese(world: Any) -> None:
    with translation.override("zh-hans"):
        errors = refused(world, id_number=make_id(birth="19900307", seq="551"), birth_date="1995-05-05")
    message = errors["birth_date"][0]
    assert "1990-03-07" in message and "证件号码" in message
    assert not any(c.isascii() and c.isalpha() for c in message), message


def test_changing_only_the_birth_date_is_checked_against_the_stored_id_number(world: Any) -> None:
    emp = world.employees["engineer"]  # ID number carries 1990-03-07
    with pytest.raises(ValidationError) as info:
        services.update_employee(world.users["hr"], emp, {"birth_date": "1991-03-07"})
    assert "birth_date" in info.value.message_dict
    services.update_employee(world.users["hr"], emp, {"phone": "13811112222"})  # unrelated edit still fine


def test_matching_id_number_and_birth_date_are_accepted(world: Any) -> None:
    emp = services.create_employee(
        world.users["hr"], world.company,
        data(world, id_number=make_id(birth="19950505", seq="552"), birth_date="1995-05-05"),
    )
    assert emp.birth_date == dt.date(1995, 5, 5)


def test_check_digit_message_is_chinese_in_the_chinese_ui(world: Any) -> None:
    good = make_id(birth="19950505", seq="553")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with translation.override("zh-hans"):
        message = refused(world, id_number=bad)["id_number"][0]
    assert "校验位错误" in message and "check digit" not in message
    with translation.override("en"):
        assert "check digit" in refused(world, id_number=bad)["id_number"][0]


# --- canonical employee numbers ---------------------------------------------------------------------
def test_employee_number_normaliser() -> None:
    assert normalize_employee_no("e000001") == "E000001"
    assert normalize_employee_no("Ｅ０００００１") == "E000001"
    assert normalize_employee_no(" ｅ000001 ") == "E000001"


@pytest.mark.parametrize("typed", ["e000001", "Ｅ000001", "ｅ000001", "E000001"])
def test_case_and_width_variants_clash_with_the_existing_number(world: Any, typed: str) -> None:
    services.create_employee(world.users["hr"], world.company, data(world, employee_no="E000001"))
    assert "employee_no" in refused(world, employee_no=typed)
    assert Employee.objects.filter(company=world.company, employee_no__iexact="e000001").count() == 1


def test_numbers_are_stored_canonical_and_edits_are_checked(world: Any) -> None:
    emp = services.create_employee(world.users["hr"], world.company, data(world, employee_no="ｎ１００"))
    assert emp.employee_no == "N100"
    with pytest.raises(ValidationError) as info:
        services.update_employee(world.users["hr"], world.employees["engineer"], {"employee_no": "ｓ００１"})
    assert "employee_no" in info.value.message_dict  # S001 is the sales manager's


def test_api_refuses_variants_and_under_16(world: Any) -> None:
    client = api_client(world.users["hr"])
    base = {"name": "钱新人", "department": "研发部", "hire_date": "2026-03-02"}
    resp = client.post("/api/v1/employees/", {**base, "employee_no": "ｓ001"}, format="json")
    assert resp.status_code == 400 and "employee_no" in resp.json()["fields"]
    resp = client.post(
        "/api/v1/employees/", {**base, "employee_no": "N9", "birth_date": "2016-01-01"}, format="json"
    )
    assert resp.status_code == 400 and "birth_date" in resp.json()["fields"]
    resp = client.post("/api/v1/employees/", {**base, "employee_no": "n9"}, format="json")
    assert resp.status_code == 201 and resp.json()["employee_no"] == "N9"


def test_form_refuses_variant_of_existing_number(world: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.users["hr"])
    resp = client.post(reverse("people:employee_create"), {
        "employee_no": "ｒ001", "name": "赵新人", "department": str(world.depts["east"].pk),
        "hire_date": "2025-04-01", "id_type": "resident", "status": "probation", "employment_form": "full_time",
    })
    assert resp.status_code == 200
    assert Employee.objects.filter(company=world.company).count() == 4


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_refuses_variants_under_16_and_contradicting_ids(world: Any) -> None:
    header = ["工号", "姓名", "出生日期", "部门", "入职日期", "证件类型", "证件号码"]
    rows = [
        header,
        ["r001", "甲", "1992-05-06", "研发部", "2025-03-01", "", ""],  # clashes with R001
        ["N1", "乙", "2016-01-01", "研发部", "2026-01-05", "", ""],  # ten years old
        ["N2", "丙", "0001-01-01", "研发部", "2025-03-01", "", ""],
        ["N3", "丁", "1992-05-06", "研发部", "2025-03-01", "居民身份证", make_id(birth="19920507", seq="554")],
        ["ｎ4", "戊", "1992-05-06", "研发部", "2025-03-01", "", ""],
        ["N4", "己", "1992-05-06", "研发部", "2025-03-01", "", ""],  # same number as the row above
    ]
    report = imports.validate_file(world.company, _xlsx(rows), "roster.xlsx")
    problems = {(e.row, e.field) for e in report.errors}
    assert {(2, "employee_no"), (3, "birth_date"), (4, "birth_date"), (5, "birth_date"), (7, "employee_no")} <= problems
    assert [c["employee_no"] for _n, c in report.valid] == ["N4"]


# --- home address -----------------------------------------------------------------------------------
def _raw_address(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM people_employee WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_address_is_encrypted_at_rest_and_not_in_evidence_in_clear(world: Any) -> None:
    address = "上海市浦东新区世纪大道100号5楼"
    emp = services.create_employee(world.users["hr"], world.company, data(world, address=address))
    assert Employee.objects.get(pk=emp.pk).address == address
    raw = _raw_address(emp.pk)
    assert raw.startswith("v1:") and "上海" not in raw
    services.update_employee(world.users["hr"], emp, {"address": "北京市朝阳区建国路88号"})
    services.update_own_contact(world.users["employee"], world.employees["east_rep"], {"address": "杭州市西湖区文三路1号"})
    records = "".join(EvidenceEvent.objects.values_list("record", flat=True))
    for secret in (address, "建国路88号", "文三路1号"):
        assert secret not in records
    change = EvidenceEvent.objects.filter(action="employee.updated", employee_id=emp.pk).get()
    assert "北京市朝阳区****" in change.record and services.evidence_digest("address", "北京市朝阳区建国路88号") in change.record


class _Editor:
    connection = connection


def test_migration_encrypts_clear_addresses_and_normalises_numbers(world: Any) -> None:
    sales, rnd = world.employees["sales_rep"], world.employees["engineer"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_employee SET address = %s WHERE id = %s", ["广州市天河区", sales.pk])
        cursor.execute("UPDATE people_employee SET employee_no = %s WHERE id = %s", ["ｒ002", rnd.pk])
        cursor.execute("UPDATE people_employee SET employee_no = %s WHERE id = %s", ["s001", sales.pk])
    MIGRATION.encrypt_addresses(None, _Editor())
    MIGRATION.normalise_employee_numbers(None, _Editor())
    assert crypto.decrypt(_raw_address(sales.pk), MIGRATION.CONTEXT) == "广州市天河区"
    assert Employee.objects.get(pk=sales.pk).address == "广州市天河区"
    assert Employee.objects.get(pk=rnd.pk).employee_no == "R002"
    assert Employee.objects.get(pk=sales.pk).employee_no == "s001"  # would clash with S001: left for HR
    MIGRATION.encrypt_addresses(None, _Editor())  # idempotent: already encrypted rows stay readable
    assert Employee.objects.get(pk=sales.pk).address == "广州市天河区"


def test_lookups_by_number_accept_case_and_width_variants(world: Any) -> None:
    from hrguard.people import queries_ui, selectors

    hr = world.users["hr"]
    assert queries_ui.employee_by_number(hr, "ｒ００１") == world.employees["engineer"]
    found = selectors.employee_list(hr, selectors.EmployeeFilter(q="ｓ00"))
    assert {e.employee_no for e in found} == {"S001", "S002", "S003"}


def test_imported_addresses_are_encrypted_and_not_in_evidence(world: Any) -> None:
    rows = [["工号", "姓名", "部门", "入职日期", "家庭住址"], ["ｎ500", "甲", "研发部", "2025-03-01", "深圳市南山区科技园8号"]]
    result = import_jobs.run_import(world.users["hr"], world.company, _xlsx(rows), "roster.xlsx")
    assert result.created == 1
    emp = Employee.objects.get(company=world.company, employee_no="N500")
    assert emp.address == "深圳市南山区科技园8号"
    assert "深圳" not in _raw_address(emp.pk)
    assert "科技园8号" not in "".join(EvidenceEvent.objects.values_list("record", flat=True))


def test_address_is_masked_for_readers_without_sensitive_access_and_reveal_is_audited(world: Any) -> None:
    from django.test import Client

    emp = world.employees["east_rep"]
    emp.address = "上海市浦东新区世纪大道100号"
    emp.save()
    manager = Client()
    manager.force_login(world.users["manager"])
    page = manager.get(reverse("people:employee_detail", args=[emp.pk])).content.decode()
    assert "上海市浦东新****" in page and "世纪大道100号" not in page
    assert manager.post(reverse("people:reveal", args=[emp.pk, "address"])).status_code == 403
    hr = Client()
    hr.force_login(world.users["hr"])
    assert "世纪大道100号" not in hr.get(reverse("people:employee_detail", args=[emp.pk])).content.decode()
    revealed = hr.post(reverse("people:reveal", args=[emp.pk, "address"])).content.decode()
    assert "世纪大道100号" in revealed
    read = EvidenceEvent.objects.filter(action="sensitive.read", employee_id=emp.pk).get()
    assert '"field":"address"' in read.record and "世纪大道" not in read.record
    api = api_client(world.users["manager"]).get(f"/api/v1/employees/{emp.pk}/").json()
    assert api["address"] == "上海市浦东新****"
