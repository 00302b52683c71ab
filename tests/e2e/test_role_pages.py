"""The pages changed for issue 7/8 as the roles see them, desktop and phone: HR's roster offers the
unmasked export, legal's documents tabs hold no page that refuses it, an employee's violation page has
no "record" button and no complaints tab. Screenshots land in /tmp for a look by hand."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hrguard.core.models import User

from .conftest import csp_violations, password_for, shoot

SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_hr_roster_offers_both_exports(page, login, e2e_world, console_log, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/")
    expect(page.locator("#roster-export")).to_be_visible()
    unmasked = page.locator("#roster-export-unmasked")
    expect(unmasked).to_have_text("导出完整信息")
    assert "unmasked=1" in (unmasked.get_attribute("href") or "")
    shoot(page, str(SHOTS / f"roster_hr_{viewport}.png"))
    assert csp_violations(console_log) == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_legal_documents_tabs_hold_only_pages_it_may_open(page, login, e2e_world, console_log, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    login(page, "acme-legal", password_for("legal"))
    page.goto("/documents/")
    tabs = page.locator("ul.nav-tabs a")
    expect(tabs).to_have_count(2)
    expect(tabs.nth(0)).to_have_text("签署请求")
    assert page.locator("a[href='/documents/send/'], a[href='/documents/policy/']").count() == 0
    shoot(page, str(SHOTS / f"documents_legal_{viewport}.png"))
    assert csp_violations(console_log) == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_employee_violation_page_has_no_record_button(page, login, e2e_world, console_log, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    login(page, "acme-employee", password_for("employee"))
    page.goto("/activity/violations/")
    expect(page.locator("h1")).to_be_visible()
    assert page.get_by_text("登记违纪").count() == 0
    assert page.locator("a[href='/activity/complaints/']").count() == 0
    shoot(page, str(SHOTS / f"violations_employee_{viewport}.png"))
    assert csp_violations(console_log) == []


def test_a_manager_still_records_violations(page, login, e2e_world):
    assert User.objects.get(username="acme-manager")
    login(page, "acme-manager", password_for("manager"))
    page.goto("/activity/violations/")
    expect(page.get_by_role("link", name="登记违纪")).to_be_visible()
