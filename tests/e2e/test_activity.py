"""Browser scenarios for activity records: an employee requests leave and the manager approves it; HR
imports a month of punches and sees the lateness summary; compliance records a violation with a file
and the employee acknowledges it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from hrguard.core.models import User
from hrguard.discipline import violations as violation_services
from hrguard.discipline.models import Violation
from hrguard.leave.models import LeaveRequest

from .conftest import csp_violations, password_for


def sign_in(page: Any, username: str, password: str) -> None:
    """Sign in through the login form itself (the navbar's language switcher is a form with submit
    buttons too, so "the first submit button" is not the login button)."""
    page.goto("/accounts/login/")
    form = page.locator("form[action$='/accounts/login/']")
    form.locator("input[name='username']").fill(username)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    assert "/accounts/login/" not in page.url, f"login failed for {username}"


@pytest.fixture
def login(live_server: Any) -> Any:
    return sign_in


def month_of_punches(path: Path) -> Path:
    """March 2025 for 张测试 (S002): late on the 4th (09:12) and the 11th (09:31), otherwise on time."""
    lines = ["工号,时间,类型"]
    day = dt.date(2025, 3, 1)
    while day.month == 3:
        if day.weekday() < 5:
            start = {4: "09:12", 11: "09:31"}.get(day.day, "08:50")
            lines += [f"S002,{day} {start},上班", f"S002,{day} 18:05,下班"]
            lines += [f"S003,{day} 08:45,上班", f"S003,{day} 18:30,下班"]
        day += dt.timedelta(days=1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_employee_requests_leave_and_manager_approves(page, login, e2e_world, console_log, browser):
    login(page, "acme-employee", password_for("employee"))
    page.goto("/activity/leave/")
    expect(page.locator("#leave-balance")).to_be_visible()
    page.select_option("#id_leave_type", "personal")
    page.fill("#id_start_date", "2025-03-12")
    page.fill("#id_end_date", "2025-03-13")
    page.fill("#id_reason", "家中有事")
    page.click("#leave-form button[type='submit']")
    row = page.locator("#my-requests tbody tr").first
    expect(row).to_contain_text("2025-03-12")
    expect(row.locator("[data-leave-status]")).to_have_attribute("data-leave-status", "pending")
    assert csp_violations(console_log) == []

    manager = browser.new_context(base_url=page.url.split("/activity")[0], locale="zh-CN").new_page()
    login(manager, "acme-manager", password_for("manager"))
    manager.goto("/activity/leave/approvals/")
    card = manager.locator("[data-request]").filter(has_text="张测试")
    expect(card).to_have_count(1)
    card.locator("button[value='approve']").click()
    expect(manager.locator("#no-approvals")).to_be_visible()
    assert LeaveRequest.objects.get().status == "approved"

    page.reload()
    expect(page.locator("#my-requests [data-leave-status]").first).to_have_attribute("data-leave-status", "approved")


def test_hr_imports_a_month_and_sees_the_lateness_summary(page, login, e2e_world, console_log, tmp_path):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/activity/attendance/import/")
    page.set_input_files("#id_file", str(month_of_punches(tmp_path / "2025-03.csv")))
    page.click("#import-form button[type='submit']")
    report = page.locator("#import-report")
    expect(report).to_be_visible()
    expect(report.locator("[data-report='inserted']")).to_have_text("84")  # 21 workdays × 2 × 2
    expect(report.locator("[data-report='duplicates']")).to_have_text("0")
    report.locator("a").click()
    summary = page.locator("#monthly-summary")
    rep = summary.locator("tr[data-employee='S002']")
    expect(rep.locator("[data-col='late_days']")).to_have_text("2")
    expect(rep.locator("[data-col='late_minutes']")).to_have_text("43")  # 12 + 31
    other = summary.locator("tr[data-employee='S003']")
    expect(other.locator("[data-col='late_days']")).to_have_text("0")
    # Employees without punches are absent on every workday of the month.
    expect(summary.locator("tr[data-employee='R001'] [data-col='absent_days']")).to_have_text("21")
    assert csp_violations(console_log) == []


def test_compliance_records_a_violation_with_a_file_and_the_employee_acknowledges(
    page, login, e2e_world, console_log, tmp_path, browser
):
    officer = User.objects.create_user(username="acme-compliance", password=password_for("compliance"),
                                       company=e2e_world.company, role="compliance")
    violation_services.save_clause(officer, e2e_world.company, {"code": "5.3", "title": "私下与客户交易"})
    evidence = tmp_path / "聊天记录.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% chat log\n")
    login(page, "acme-compliance", password_for("compliance"))
    page.goto("/activity/violations/new/")
    page.fill("#id_employee_no", "S002")
    page.select_option("#id_clause", label="5.3 私下与客户交易")
    page.fill("#id_occurred_on", "2025-03-03")
    page.fill("#id_facts", "在门店外与客户私下签约，客户已书面证实。")
    page.set_input_files("#id_files", str(evidence))
    page.click("#violation-form button[type='submit']")
    expect(page.locator("#violation-facts")).to_contain_text("聊天记录.pdf")
    page.select_option("#decide-form select[name='decision']", "serious_warning")
    page.fill("#decide-form textarea[name='decision_note']", "违反员工手册第5.3条，给予严重警告。")
    page.click("#decide-form button[type='submit']")
    expect(page.locator("[data-ack]")).to_have_attribute("data-ack", "pending")
    assert csp_violations(console_log) == []

    employee = browser.new_context(base_url=page.url.split("/activity")[0], locale="zh-CN").new_page()
    login(employee, "acme-employee", password_for("employee"))
    employee.goto(f"/activity/violations/{Violation.objects.get().pk}/")
    employee.fill("#ack-form textarea[name='ack_note']", "已阅读")
    employee.click("#ack-form button[value='yes']")
    expect(employee.locator("[data-ack]")).to_have_attribute("data-ack", "acknowledged")
    v = Violation.objects.get()
    assert (v.ack, v.ack_note, v.ack_recorded_by.username) == ("acknowledged", "已阅读", "acme-employee")
