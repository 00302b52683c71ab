"""Browser scenario: HR imports a roster file with a bad row, reads the report (row + column), then
either fixes the file or imports only the valid rows, and finds the employees in the roster."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from hrguard.people.models import Employee
from tests.conftest import make_id

from .conftest import csp_violations, password_for

HEADER = "工号,姓名,性别,部门,岗位,入职日期,证件类型,证件号码,手机号"


def roster(second_department: str) -> bytes:
    lines = [
        HEADER,
        f"B001,郑导入,女,研发部,客户经理,2025-03-03,居民身份证,{make_id('320102', '19930404', '611')},13911112222",
        f"B002,冯导入,男,{second_department},客户经理,2025-03-03,居民身份证,{make_id('320102', '19940505', '612')},",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")  # what Chinese Excel saves as CSV


def upload(page, content: bytes) -> None:
    page.set_input_files("input[name='file']", files=[{"name": "花名册.csv", "mimeType": "text/csv", "buffer": content}])
    with page.expect_navigation():
        page.click("#import-form button[type='submit']")


def see_bad_row_report(page) -> None:
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_have_attribute("data-row", "3")
    expect(errors.first).to_contain_text("D 部门")
    expect(errors.first).to_contain_text("火星部")
    expect(page.locator("#import-error-report")).to_be_visible()
    expect(page.locator("#import-confirm")).to_have_count(0)  # a file with errors cannot be imported whole


def see_result_then_roster(page, text: str) -> None:
    """The background job's page: its result (polled with htmx until done), then the roster."""
    expect(page).to_have_url(re.compile(r"/people/import/jobs/\d+/$"))
    expect(page.locator("#import-result")).to_contain_text(text)
    with page.expect_navigation():
        page.click("#import-roster")
    expect(page).to_have_url(re.compile(r"/people/$"))


def test_hr_fixes_the_file_after_reading_the_report(page, login, e2e_world, console_log):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/")
    page.click("#roster-import")
    expect(page).to_have_url(re.compile(r"/people/import/$"))
    upload(page, roster("火星部"))
    see_bad_row_report(page)
    assert not Employee.objects.filter(employee_no__startswith="B00").exists()
    page.click("#import-again")
    upload(page, roster("研发部"))
    expect(page.locator("#import-summary")).to_be_visible()
    with page.expect_navigation():
        page.click("#import-confirm button[type='submit']")
    see_result_then_roster(page, "已导入 2 名员工")
    expect(page.locator("#roster-table")).to_contain_text("郑导入")
    expect(page.locator("#roster-table")).to_contain_text("冯导入")
    assert Employee.objects.filter(employee_no__in=["B001", "B002"]).count() == 2
    assert csp_violations(console_log) == []


def test_hr_imports_only_the_valid_rows(page, login, e2e_world, console_log):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/import/")
    upload(page, roster("火星部"))
    see_bad_row_report(page)
    with page.expect_navigation():
        page.click("#import-valid-only button[type='submit']")
    see_result_then_roster(page, "已导入 1 名员工")
    expect(page.locator("#roster-table")).to_contain_text("郑导入")
    expect(page.locator("#roster-table")).not_to_contain_text("冯导入")
    assert list(Employee.objects.filter(employee_no__startswith="B00").values_list("employee_no", flat=True)) == [
        "B001"]
    assert csp_violations(console_log) == []
