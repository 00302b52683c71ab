"""Browser scenarios for the people pages: HR searches the roster and creates an employee, an employee
sees only their own file and edits their phone, the language switch."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hrguard.people.models import Employee

from .conftest import csp_violations, password_for, shoot

SCREENSHOTS = Path(tempfile.gettempdir())  # /tmp: looked at by hand after a run
ROSTER_PNG = SCREENSHOTS / "roster.png"
PROFILE_PNG = SCREENSHOTS / "profile.png"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "hrguard" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_hr_searches_the_roster(page, login, e2e_world, console_log):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/")
    rows = page.locator("#roster-table tbody tr")
    expect(rows).to_have_count(4)
    page.locator("main input[name='q']").press_sequentially("欧阳", delay=30)
    # htmx swaps only the table after the debounce, and puts the search in the address bar.
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("欧阳娜娜")
    expect(page).to_have_url(re.compile(r"/people/\?q=%E6%AC%A7%E9%98%B3"))
    page.locator("main input[name='q']").fill("")
    page.locator("select[name='department']").select_option(str(e2e_world.depts["rnd"].pk))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李工程")
    page.locator("select[name='department']").select_option("")
    expect(rows).to_have_count(4)
    shoot(page, str(ROSTER_PNG))
    assert csp_violations(console_log) == []


def test_hr_creates_an_employee_after_fixing_a_bad_id_number(page, login, e2e_world, console_log, make_id_number):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/new/")
    page.fill("#id_employee_no", "N777")
    page.fill("#id_name", "孙浏览")
    page.select_option("#id_gender", "F")
    page.fill("#id_birth_date", "1994-08-08")
    page.fill("#id_id_number", "110105199003071230")  # wrong check digit
    page.fill("#id_phone", "13912345678")
    page.select_option("#id_department", str(e2e_world.depts["east"].pk))
    page.fill("#id_hire_date", "2025-02-03")
    page.click("#employee-form button[type='submit']")
    error = page.locator(".invalid-feedback[data-field='id_number']")
    expect(error).to_be_visible()
    expect(page.locator("#id_id_number")).to_have_class(re.compile("is-invalid"))
    assert not Employee.objects.filter(employee_no="N777").exists()
    good = make_id_number(region="310101", birth="19940808", seq="246")
    page.fill("#id_id_number", good)
    page.click("#employee-form button[type='submit']")
    expect(page.locator("h1")).to_contain_text("孙浏览")
    emp = Employee.objects.get(employee_no="N777")
    assert emp.id_number == good
    # Masked until HR presses "show"; the reveal is swapped in by htmx and written to the evidence log.
    masked = page.locator("[data-masked='id_number']")
    expect(masked).to_have_text(good[:3] + "*" * 11 + good[-4:])
    page.locator("[data-reveal='id_number']").click()
    expect(page.locator("[data-revealed='id_number']")).to_have_text(good)
    page.reload()
    expect(page.locator("#evidence tr[data-action='sensitive.read']")).to_have_count(1)
    shoot(page, str(PROFILE_PNG))
    assert csp_violations(console_log) == []


def test_employee_sees_only_own_profile_and_edits_phone(page, login, e2e_world, console_log):
    login(page, "acme-employee", password_for("employee"))
    expect(page.locator("h1")).to_have_text("工作台")  # 工作台 first, then the own profile
    page.goto("/people/me/")
    expect(page).to_have_url(re.compile(r"/people/me/$"))
    expect(page.locator("h1")).to_contain_text("张测试")
    other = e2e_world.employees["sales_rep"]
    response = page.goto(f"/people/{other.pk}/")
    assert response is not None and response.status == 404
    roster = page.goto("/people/")  # the roster is for those who see others (the top bar hides it too)
    assert roster is not None and roster.status == 403
    page.goto("/people/me/contact/")
    page.fill("#id_phone", "139 0000 8888")
    page.click("#contact-form button[type='submit']")
    expect(page).to_have_url(re.compile(r"/people/me/$"))
    expect(page.locator("[data-masked='phone']")).to_have_text("139****8888")
    assert Employee.objects.get(pk=e2e_world.employees["east_rep"].pk).phone == "13900008888"
    assert csp_violations(console_log) == []


def switch_language(page, code: str) -> None:
    """Use the language switch of the page (a form posting to Django's set_language view)."""
    form = page.locator("form[action*='/i18n/setlang/']").first
    button = form.locator(f"button[name='language'][value='{code}']")
    with page.expect_navigation():
        if button.count():
            button.click()
        else:
            form.locator("select[name='language']").select_option(code)
            form.locator("button[type='submit'], input[type='submit']").first.click()


def test_language_switch_to_english(page, login, e2e_world, console_log):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    switch_language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Roster")
    expect(page.locator("#roster-table thead")).to_contain_text("Employee number")
    assert csp_violations(console_log) == []


@pytest.mark.xfail(
    not (LOCALE_DIR / "django.mo").exists(),
    reason="the zh-hans catalog is filled and compiled by the translator pass",
    strict=True,
)
def test_chinese_labels_by_default(page, login, e2e_world):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/")
    expect(page.locator("h1")).to_have_text("花名册")
    expect(page.locator("#roster-table thead")).to_contain_text("工号")
