"""HR sets the identity checks before signing for one document kind, in the browser (desktop and phone)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import csp_violations, password_for, shoot

SCREENSHOTS = Path("/tmp/hrguard-screenshots")  # noqa: S108 - looked at by hand, not by the test


def test_hr_requires_real_name_for_separation_certificates(page, login, e2e_world, console_log) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(exist_ok=True)
    login(page, "acme-hr", password_for("hr"))
    page.goto("/documents/identity/")
    assert page.get_by_role("heading", name="签署前身份核验").is_visible()
    page.get_by_label("文书类型").select_option("separation_certificate")
    page.get_by_label("签署前实名核验（姓名、身份证号、手机号三要素）").select_option("required")
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="保存").click()
    shoot(page, str(SCREENSHOTS / "identity-policy-desktop.png"))
    row = page.locator("tbody tr").filter(has_text="离职证明")
    expect(row).to_contain_text("单独规则", timeout=30_000)
    expect(row.locator(".badge")).to_have_text("必须")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/documents/identity/")
    shoot(page, str(SCREENSHOTS / "identity-policy-phone.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert csp_violations(console_log) == []
