"""Seed 004 in a browser: HR sends a separation certificate; the employee opens the link on a phone in a
second browser context, finds that no mail server can send the code (and is told so), gets it in the HRGuard
inbox instead, proves identity with it, draws a signature and signs; HR sees it
signed and downloads the evidence package, which verifies offline — and a tampered copy does not."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from hrguard.documents.models import Envelope
from hrguard.evidence.offline.verify import Result
from hrguard.evidence.offline.verify import verify_package as _verify
from hrguard.notify.models import OutboxMessage
from hrguard.people.models import Contract

from .conftest import csp_violations, password_for, shoot

SCREENSHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}


def verify_package(data: bytes) -> Result:
    """pyHanko's sync API runs its own event loop: verify off the Playwright (asyncio) thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_verify, data).result()


def _prepare(world) -> None:  # type: ignore[no-untyped-def]
    rep = world.employees["east_rep"]
    rep.termination_date = dt.date(2026, 11, 30)
    rep.status = "leaving"
    rep.save(update_fields=["termination_date", "status"])
    Contract.objects.create(company=world.company, employee=rep, contract_no="HT-001", contract_type="fixed_term",
                            start_date=dt.date(2020, 1, 6), end_date=dt.date(2027, 1, 5), wage=Decimal("9000"),
                            work_location="上海")


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The page as the signer sees it, on the phone (390 px) and on a desktop screen."""
    shoot(page, str(SCREENSHOTS / f"{name}-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, str(SCREENSHOTS / f"{name}-desktop.png"))
    page.set_viewport_size(PHONE)


def _latest(purpose: str, env: Envelope) -> OutboxMessage:
    msg = OutboxMessage.objects.filter(purpose=purpose, about_id=str(env.pk)).order_by("-pk").first()
    assert msg is not None
    return msg


def test_separation_certificate_signed_on_phone(page, browser, live_server, login, e2e_world, console_log):
    _prepare(e2e_world)
    login(page, "acme-hr", password_for("hr"))
    page.goto("/documents/send/")
    page.locator("select[name='template']").select_option(label="离职证明")
    page.locator("input[name='employee_nos']").fill("S002")
    page.get_by_test_id("send-request").click()
    expect(page.get_by_test_id("tracker-table")).to_contain_text("张测试")
    env = Envelope.objects.get(employee=e2e_world.employees["east_rep"])
    absolute = _latest("signing_invite", env).link
    # Messages carry an absolute link on the public address; the test server lives elsewhere.
    from urllib.parse import urlsplit

    from django.conf import settings

    assert absolute.startswith(settings.HRGUARD_PUBLIC_URL + "/sign/")
    link = urlsplit(absolute).path
    assert re.fullmatch(r"/sign/[A-Za-z0-9_-]{32,}/", link)

    # The employee, on a phone, in a separate browser context (no HR session).
    phone_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE,
                                    user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile")
    phone = phone_ctx.new_page()
    phone_log: list[str] = []
    phone.on("console", lambda m: phone_log.append(f"{m.type}: {m.text}"))
    phone.goto(link)
    expect(phone.get_by_test_id("sign-title")).to_contain_text("离职证明")
    expect(phone.locator("body")).not_to_contain_text("兹证明")  # nothing readable before the code
    _shots(phone, "signing-1-open")
    # No mail server here: the emailed code cannot go out, and the page says so instead of "sent".
    phone.get_by_test_id("dest-email").click()
    phone.get_by_test_id("send-code").click()
    expect(phone.get_by_test_id("sign-error")).to_contain_text("未能发送")
    expect(phone.get_by_test_id("sign-notice")).to_have_count(0)
    expect(phone.locator("#dest-inapp")).to_be_checked()  # the way that works is offered next
    _shots(phone, "signing-2-email-failed")
    phone.get_by_test_id("send-code").click()
    expect(phone.get_by_test_id("sign-notice")).to_contain_text("站内信")
    _shots(phone, "signing-3-code-in-inbox")
    # The employee reads the code in the HRGuard inbox (same phone, another tab) and goes back to the
    # signing page from the message (signing in renewed the CSRF token, so the first tab's form is stale).
    with phone_ctx.expect_page() as opened:
        phone.get_by_test_id("open-inbox").click()
    inbox = opened.value
    inbox.wait_for_load_state()
    assert "/accounts/login/" in inbox.url  # the inbox needs the employee's own account
    inbox.fill("input[name='username']", "acme-employee")
    inbox.fill("input[name='password']", password_for("employee"))
    with inbox.expect_navigation():
        inbox.locator("form:has(input[name='password']) [type='submit']").first.click()
    inbox.locator("#inbox a", has_text="签署验证码").first.click()
    expect(inbox.locator("main")).to_contain_text("签署验证码为")
    shoot(inbox, str(SCREENSHOTS / "signing-4-inbox-phone.png"))
    code = re.search(r"签署验证码为 (\d{6})", inbox.locator("main").inner_text()).group(1)  # type: ignore[union-attr]
    inbox.locator(f"main a[href='{link}']").click()
    expect(inbox.get_by_test_id("sign-title")).to_contain_text("离职证明")
    phone.close()
    phone = inbox
    phone.on("console", lambda m: phone_log.append(f"{m.type}: {m.text}"))
    phone.locator("#code").fill("000000" if code != "000000" else "111111")
    phone.get_by_test_id("verify-code").click()
    expect(phone.get_by_test_id("sign-error")).to_be_visible()
    phone.locator("#code").fill(code)
    phone.get_by_test_id("verify-code").click()
    expect(phone.get_by_test_id("doc-title")).to_have_text("离职证明")
    expect(phone.locator(".sign-doc")).to_contain_text("2020年1月6日至2027年1月5日")
    _shots(phone, "signing-5-document")
    # Draw a signature on the canvas (pointer events), tick consent, sign.
    phone.locator("label[for='mode-drawn']").click()
    phone.locator("#sig-pad").scroll_into_view_if_needed()
    box = phone.locator("#sig-pad").bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    phone.mouse.down()
    for i in range(1, 30):
        phone.mouse.move(box["x"] + 20 + i * 9, box["y"] + box["height"] / 2 + (25 if i % 2 else -25))
    phone.mouse.up()
    phone.locator("#consent").check()
    phone.get_by_test_id("sign-submit").click()
    expect(phone.get_by_test_id("sign-done")).to_be_visible()
    with phone.expect_download() as dl:
        phone.get_by_test_id("download-signed").click()
    signed = Path(dl.value.path()).read_bytes()
    assert signed.startswith(b"%PDF")
    shoot(phone, str(SCREENSHOTS / "signing-phone.png"))
    assert csp_violations(phone_log) == []
    env.refresh_from_db()
    assert env.status == "signed" and env.signature_kind == "drawn" and "iPhone" in env.last_device
    phone_ctx.close()

    # HR's problems page lists the undelivered messages (the emailed code, the emailed invitation).
    page.goto("/notify/problems/")
    expect(page.get_by_test_id("problems-table")).to_contain_text("签署验证码")
    expect(page.get_by_test_id("no-problems")).to_have_count(0)
    shoot(page, str(SCREENSHOTS / "signing-problems.png"))
    # HR sees it signed and downloads the evidence package.
    page.goto(f"/documents/requests/{env.request_id}/")
    expect(page.get_by_test_id("env-status").first).to_contain_text("签")
    shoot(page, str(SCREENSHOTS / "signing-tracker.png"))
    page.goto(f"/documents/envelopes/{env.pk}/")
    expect(page.get_by_test_id("event-table")).to_contain_text("iPhone")
    with page.expect_download() as dl:
        page.get_by_test_id("envelope-package").click()
    package = Path(dl.value.path()).read_bytes()
    result = verify_package(package)
    assert result.ok, [(c.en, c.status, c.detail) for c in result.checks if c.status != "ok"]
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    signed_name = f"documents/{env.document_id}-signed.pdf"
    assert signed_name in names
    assert zipfile.ZipFile(io.BytesIO(package)).read(signed_name) == signed
    # A tampered copy fails.
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(package))
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == signed_name:
                body = body[:1500] + bytes([body[1500] ^ 1]) + body[1501:]
            dst.writestr(info, body)
    assert not verify_package(out.getvalue()).ok
    assert csp_violations(console_log) == []
