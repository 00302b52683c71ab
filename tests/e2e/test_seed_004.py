"""Seed 004 in a browser: HR starts a persuasion (劝退, recorded as an agreement proposed by the company,
Art. 36) and sends the 解除劳动合同通知书 for signature from the exit page; the employee never signs. Seven
days pass (the durable deadlines run): the second notice went out at 24 h, HR was warned at 3 days, the
fallback opened at 7 days. HR records the EMS delivery (tracking number and a scan) on the exit page. The
employment has ended; HR sends the 离职证明, which the employee signs remotely on a 390 px phone; its Art. 50
clock stops. HR downloads the 社保减员 list and reads the employee's row back; the exit's evidence package
verifies offline. Screenshots /tmp/exitdocs-*.png."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
from playwright.sync_api import expect

from hrguard.evidence.offline.verify import verify_package as _verify

from .conftest import csp_violations, password_for, shoot

SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _verify_off_loop(data: bytes):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_verify, data).result()


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, str(SHOTS / f"exitdocs-{name}-desktop.png"))
    page.set_viewport_size(PHONE)
    shoot(page, str(SHOTS / f"exitdocs-{name}-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def _prepare(world) -> None:  # type: ignore[no-untyped-def]
    from hrguard.core.models import User
    from hrguard.people.models import Contract

    for role in ("compliance", "client_service", "it"):
        world.users[role] = User.objects.create_user(username=f"acme-{role}", password=password_for(role),
                                                     company=world.company, role=role)
    Contract.objects.create(company=world.company, employee=world.employees["east_rep"], contract_no="HT-004",
                            contract_type="fixed_term", start_date=dt.date(2020, 1, 6), end_date=dt.date(2027, 1, 5),
                            wage=Decimal("9000"), work_location="上海")


def _send(page, kind: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(f"[data-proposal='{kind}']")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = page.locator(f"form[data-send='{kind}']")
    form.locator("input[name='channels'][value='sms']").uncheck()
    with page.expect_navigation():
        form.locator("button[type='submit']").click()


def test_seed_004_persuasion_unsigned_fallback_certificate_export(page, browser, live_server, login, e2e_world,
                                                                  console_log):
    from django.utils import timezone

    from hrguard.deadlines import services as deadlines
    from hrguard.documents.models import Envelope
    from hrguard.notify.models import OutboxMessage
    from hrguard.offboarding.models import Exit

    world = e2e_world
    _prepare(world)
    rep = world.employees["east_rep"]
    today = timezone.localdate()
    login(page, "acme-hr", password_for("hr"))

    # 1. HR starts the persuasion exit (the employee agreed in the talk; the last working day was yesterday).
    page.goto(f"/exits/start/{rep.pk}/")
    page.select_option("#kind", "mutual")
    page.select_option("#ground", "art36_employer")
    page.check("input[name='persuasion']")
    page.fill("#notice_date", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#last_day", (today - dt.timedelta(days=1)).isoformat())
    with page.expect_navigation():
        page.locator("#start-form button[type='submit']").click()
    exit_ = Exit.objects.get(employee=rep)
    expect(page.locator("#documents")).to_contain_text("解除劳动合同通知书")
    expect(page.locator("[data-proposal='termination_notice']")).to_have_attribute("data-proposed", "1")

    # 2. The notice is sent for signature from the exit page (in-app inbox).
    _send(page, "termination_notice")
    expect(page.locator("[data-kind='termination_notice']")).to_have_attribute("data-doc-state", "sent")
    expect(page.locator("#gates [data-gate='exit_documents_unsigned']")).to_have_attribute("data-ok", "0")
    notice = Envelope.objects.get(employee=rep, request__version__template__kind="termination_notice")

    # 3. Seven days pass unsigned: the durable deadlines run (24 h, 3 days, 7 days) and the employment ends.
    deadlines.sweep(now=timezone.now() + dt.timedelta(days=7, hours=1))
    notice.refresh_from_db()
    assert notice.reminded_at and notice.hr_warned_at and notice.fallback_opened_at
    assert OutboxMessage.objects.filter(idempotency_key=f"documents:remind:{notice.pk}").exists()
    assert OutboxMessage.objects.filter(idempotency_key=f"documents:warn:{notice.request_id}").exists()
    assert OutboxMessage.objects.filter(idempotency_key=f"documents:fallback:{notice.request_id}").exists()
    exit_.refresh_from_db()
    assert exit_.employment_ended
    page.reload()
    row = page.locator("[data-kind='termination_notice']")
    expect(row.locator("[data-ladder]")).to_contain_text("再次通知 2")
    expect(row.locator("[data-ladder]")).to_contain_text("已提醒人事")
    expect(row.locator("[data-ladder]")).to_contain_text("已启用书面送达")
    _shots(page, "1-notice-unsigned")

    # 4. HR records the EMS delivery with the tracking number and the scan of the receipt.
    form = row.locator("form[data-fallback-form]")
    expect(form).to_be_visible()  # the fallback opened: the form is unfolded
    form.locator("select[name='kind']").select_option("ems")
    form.locator("input[name='tracking_no']").fill("EA123456789CN")
    form.locator("input[name='scan']").set_input_files(files=[{"name": "ems.pdf", "mimeType": "application/pdf",
                                                               "buffer": SCAN}])
    form.locator("input[name='note']").fill("寄至员工登记地址，已签收")
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    expect(page.locator("[data-kind='termination_notice']")).to_have_attribute("data-doc-state", "fallback")
    expect(page.locator("#gates [data-gate='exit_documents_unsigned']")).to_have_attribute("data-ok", "1")

    # 5. The separation certificate, sent from the exit page, signed by the employee on the phone.
    _send(page, "separation_certificate")
    cert = Envelope.objects.get(employee=rep, request__version__template__kind="separation_certificate")
    invite = OutboxMessage.objects.filter(purpose="signing_invite", about_id=str(cert.pk)).order_by("-pk").first()
    assert invite is not None
    link = urlsplit(invite.link).path
    phone_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE,
                                    user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile")
    phone = phone_ctx.new_page()
    phone_log: list[str] = []
    phone.on("console", lambda m: phone_log.append(f"{m.type}: {m.text}"))
    phone.goto(link)
    expect(phone.get_by_test_id("sign-title")).to_contain_text("离职证明")
    phone.locator("#dest-inapp").check()
    phone.get_by_test_id("send-code").click()
    expect(phone.get_by_test_id("sign-notice")).to_contain_text("站内信")
    code_msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(cert.pk)).order_by("-pk").first()
    code = re.search(r"(\d{6})", code_msg.body).group(1)  # type: ignore[union-attr]  # what the inbox shows
    phone.locator("#code").fill(code)
    phone.get_by_test_id("verify-code").click()
    expect(phone.get_by_test_id("doc-title")).to_have_text("离职证明")
    expect(phone.locator(".sign-doc")).to_contain_text("2020年1月6日至2027年1月5日")
    shoot(phone, str(SHOTS / "exitdocs-2-certificate-phone.png"))
    phone.locator("#typed_name").fill("张测试")
    phone.locator("#consent").check()
    phone.get_by_test_id("sign-submit").click()
    expect(phone.get_by_test_id("sign-done")).to_be_visible()
    shoot(phone, str(SHOTS / "exitdocs-3-signed-phone.png"))
    assert csp_violations(phone_log) == []
    phone_ctx.close()

    page.reload()
    expect(page.locator("[data-kind='separation_certificate']")).to_have_attribute("data-doc-state", "signed")
    expect(page.locator("[data-duty='certificate']")).to_have_attribute("data-done", "1")
    expect(page.locator("[data-duty='si_transfer']")).to_have_attribute("data-done", "0")
    _shots(page, "4-exit-page")

    # 6. The 社保减员 list: shown, downloaded, read back.
    page.goto("/exits/")
    page.locator("#si-lists-link").click()
    page.fill("#si-from", (today - dt.timedelta(days=31)).isoformat())
    page.fill("#si-to", today.isoformat())
    page.select_option("#si-layout", "shanghai")
    with page.expect_navigation():
        page.locator("#si-show").click()
    expect(page.locator("#si-table")).to_contain_text("张测试")
    _shots(page, "5-si-list")
    with page.expect_download() as dl:
        page.locator("#si-download").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()), read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][:3] == ["序号", "姓名", "身份证号码"]
    assert [r for r in rows[1:] if r[1] == "张测试" and r[2] == rep.id_number and r[4] == "协商解除"]

    # 7. The exit's evidence package verifies offline.
    resp = page.request.get(f"/exits/{exit_.pk}/package.zip")
    assert resp.status == 200
    result = _verify_off_loop(resp.body())
    assert result.ok, [(c.en, c.status, c.detail) for c in result.checks if c.status != "ok"]
    assert csp_violations(console_log) == []
