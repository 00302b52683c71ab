"""Editing one field of an employee in the browser changes that field only (the date inputs used to be
filled as 1990/08/08, which Chromium drops, so saving erased the birth and first-work dates)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from hrguard.people.models import Employee

from .conftest import csp_violations, password_for

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
    page.screenshot(path=str(SHOTS / "employee_edit_desktop.png"), full_page=True)
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
    page.screenshot(path=str(SHOTS / "employee_edit_phone.png"), full_page=True)
    assert csp_violations(console_log) == []
