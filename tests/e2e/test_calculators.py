"""Calculators in the browser, desktop and phone: HR finds them in the navigation, fills in LAW.md's first
example and reads the result with its working and articles; a bad notice date shows the error under the
field; legal downloads the departure risk report. Screenshots in /tmp/calc-*.png."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import csp_violations, password_for, shoot

SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_compensation_example_in_the_browser(page, login, e2e_world, console_log, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    login(page, "acme-hr", password_for("hr"))
    page.goto("/calculators/")
    expect(page.locator("h1")).to_have_text("计算器")
    shoot(page, str(SHOTS / f"calc-index-{viewport}.png"))
    page.goto("/calculators/compensation/")
    page.select_option("#id_ground", "art36_employer")
    page.fill("#id_service_months", "67")
    page.fill("#id_monthly_wage", "12000")
    page.fill("#id_local_average_wage", "9000")
    page.click("#calc-form button[type=submit]")
    expect(page.locator('[data-figure="amount"]')).to_have_text("¥72000.00")
    expect(page.locator("#calc-steps")).to_contain_text("经济补偿 N = 12,000.00 × 6")
    expect(page.locator("#calc-articles")).to_contain_text("《劳动合同法》第47条")
    shoot(page, str(SHOTS / f"calc-compensation-{viewport}.png"))
    page.goto("/calculators/last-day/?notice_date=2026-03-01&kind=resignation&proposed_last_day=2026-02-01")
    expect(page.locator('[data-field="proposed_last_day"]')).to_have_text("最后工作日不能早于通知日期")
    page.goto("/calculators/non-compete/?months=24&average_monthly_wage=12000")
    expect(page.locator('[data-figure="release"]')).to_have_text("¥10800.00")
    shoot(page, str(SHOTS / f"calc-noncompete-{viewport}.png"))
    assert csp_violations(console_log) == []


def test_legal_opens_risk_report(page, login, e2e_world):
    login(page, "acme-legal", password_for("legal"))
    page.goto("/calculators/wages/?employee_no=S002")
    link = page.locator("a[href*='/calculators/risk-report/']")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    expect(page.locator("#wage-import")).to_have_count(0)
