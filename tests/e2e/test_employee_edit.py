"""Editing one field of an employee in the browser changes that field only (the date inputs used to be
filled as 1990/08/08, which Chromium drops, so saving erased the birth and first-work dates)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from hrguard.people.models import Employee

from .conftest import csp_violations, password_for, shoot

SHOTS = Path(tempfile.gettempdir())
FIELDS = (
    "employee_no", "name", "gender", "birth_date", "id_type", "id_number", "phone", "email", "address",
    "emergency_contact", "bank_account", "employment_form", "hire_date", "work_start_date", "work_location",
    "department_id", "position_id", "status",
)


def snapshot(pk: int) -> dict:
    emp = Employee.objects.get(pk=pk)
    return {name: getattr(emp, name) for name in FIELDS}


def test_editing_one_field_in_the_browser_changes_nothing_else(page, login, e2e_world, console_log):
    emp = e2e_world.employees["east_rep"]
    Employee.objects.filter(pk=emp.pk).update(birth_date=dt.date(1990, 3, 7), work_start_date=dt.date(2012, 7, 1))
    before = snapshot(emp.pk)
    login(page, "acme-hr", password_for("hr"))
    page.goto(f"/people/{emp.pk}/edit/")
    expect(page.locator("#id_birth_date")).to_have_value("1990-03-07")
    expect(page.locator("#id_work_start_date")).to_have_value("2012-07-01")
    expect(page.locator("#id_hire_date")).to_have_value("2020-01-06")
    shoot(page, str(SHOTS / "employee_edit_desktop.png"))
    page.fill("#id_email", "renamed@acme.test")
    with page.expect_navigation():
        page.click("#employee-form button[type='submit']")
    expect(page.locator("h1")).to_contain_text(emp.name)
    after = snapshot(emp.pk)
    assert after.pop("email") == "renamed@acme.test"
    before.pop("email")
    assert after == before
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/people/{emp.pk}/edit/")
    expect(page.locator("#id_birth_date")).to_have_value("1990-03-07")
    shoot(page, str(SHOTS / "employee_edit_phone.png"))
    assert csp_violations(console_log) == []


def test_new_employee_with_contradicting_id_or_under_16_is_refused_in_chinese(page, login, e2e_world, console_log,
                                                                               make_id_number):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/new/")
    page.fill("#id_employee_no", "ｎ888")
    page.fill("#id_name", "钱浏览")
    page.fill("#id_birth_date", "1994-08-08")
    page.fill("#id_id_number", make_id_number(region="310101", birth="19940809", seq="246"))
    page.select_option("#id_department", str(e2e_world.depts["east"].pk))
    page.fill("#id_hire_date", "2025-02-03")
    page.click("#employee-form button[type='submit']")
    error = page.locator(".invalid-feedback[data-field='birth_date']")
    expect(error).to_contain_text("与证件号码中的出生日期（1994-08-09）不一致")
    shoot(page, str(SHOTS / "employee_new_id_mismatch.png"))
    page.fill("#id_id_number", "")
    page.fill("#id_birth_date", "2016-01-01")
    page.click("#employee-form button[type='submit']")
    expect(page.locator(".invalid-feedback[data-field='birth_date']")).to_contain_text("《劳动法》第15条")
    assert not Employee.objects.filter(employee_no="N888").exists()
    page.fill("#id_birth_date", "1994-08-08")
    with page.expect_navigation():
        page.click("#employee-form button[type='submit']")
    assert Employee.objects.get(employee_no="N888").name == "钱浏览"  # stored canonical
    assert csp_violations(console_log) == []
