"""Settings in the browser: the administrator creates a login for an employee, the employee activates it
on the one-time link and signs in; desktop and a 390 px phone."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import csp_violations, do_login, password_for, shoot

NEW_PASSWORD = "Lantern-river-4821"
SHOTS = Path(tempfile.gettempdir())


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_admin_creates_a_login_and_the_employee_activates_it(
    page: Any, browser: Any, e2e_world: Any, console_log: list[str], live_server: Any, viewport: dict[str, int],
) -> None:
    rep = e2e_world.employees["sales_rep"]  # 欧阳娜娜 has no login yet
    rep.email = ""  # no email, SMS not set up: the administrator hands the link over
    rep.save(update_fields=["email"])
    page.set_viewport_size(viewport)
    do_login(page, "acme-admin", password_for("admin"))
    settings_link = page.locator("#hrg-nav a[href='/settings/']")
    if viewport["width"] < 992:
        page.locator(".navbar-toggler").click()
        expect(page.locator("#hrg-nav.collapse.show")).to_be_visible()  # the menu has finished opening
    settings_link.click()
    page.wait_for_url("**/settings/")
    page.get_by_role("link", name="开通账号").first.click()
    row = page.locator("tr", has_text="欧阳娜娜")
    row.locator("input[type=checkbox]").check()
    page.get_by_role("button", name="为所选员工开通账号").click()
    link = page.locator("[data-handover-link]").input_value()
    assert "/accounts/activate/" in link
    tag = "desk" if viewport["width"] > 800 else "phone"
    shoot(page, str(SHOTS / f"settings-e2e-{tag}-issued.png"))

    employee = browser.new_context(locale="zh-CN", viewport=viewport).new_page()
    employee.goto(live_server.url + "/accounts/activate/" + link.rsplit("/accounts/activate/", 1)[1])
    assert "acme-s003" in employee.content()
    employee.fill("#id_password", "123")
    employee.fill("#id_password2", "123")
    employee.get_by_role("button", name="设置密码").click()
    assert employee.locator("[data-errors]").is_visible()  # too short, too common: nothing saved
    employee.fill("#id_password", NEW_PASSWORD)
    employee.fill("#id_password2", NEW_PASSWORD)
    employee.get_by_role("button", name="设置密码").click()
    employee.wait_for_url("**/accounts/login/**")
    assert "密码已设置" in employee.content()
    shoot(employee, str(SHOTS / f"settings-e2e-{tag}-activated.png"))
    employee.fill("input[name='username']", "acme-s003")
    employee.fill("input[name='password']", NEW_PASSWORD)
    employee.locator("form:has(input[name='password']) [type='submit']").first.click()
    employee.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "欧阳娜娜" in employee.content() or "acme-s003" in employee.content()
    # The link is used up.
    again = employee.goto(link.replace(link.split("/accounts/")[0], live_server.url))
    assert again is not None and again.status == 404
    assert csp_violations(console_log) == []
