"""Issue 12 §1 in a browser: HR builds a labor contract from the clause library (the three default key
clauses), sends it for e-signature from the employee page; the employee, on a 390 px phone, sees each key
clause with its own checkbox, is refused by the server while one is not ticked, ticks all and signs; HR sees
each clause marked acknowledged, and the package's certificate lists them. Screenshots /tmp/contract-*."""

from __future__ import annotations

import io
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from hrguard.documents.models import Envelope
from hrguard.evidence.offline.verify import verify_package as _verify
from hrguard.notify.models import OutboxMessage
from hrguard.platform.pdf.poppler import extract_text, squash_whitespace
from tests.documents.conftest import last_code

from .conftest import csp_violations, shoot

SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TITLES = ("个人财务状况告知", "保密义务", "禁止私下与客户交易")


def _verify_off_loop(data: bytes):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_verify, data).result()


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    shoot(page, str(SHOTS / f"contract-{name}-phone.png"))
    page.set_viewport_size(DESKTOP)
    shoot(page, str(SHOTS / f"contract-{name}-desktop.png"))


def test_contract_signed_with_each_key_clause_acknowledged(page, browser, live_server, login, e2e_world,
                                                           console_log):
    from .conftest import password_for

    rep = e2e_world.employees["east_rep"]
    login(page, "acme-hr", password_for("hr"))
    page.goto(f"/people/{rep.pk}/contracts/new/")
    for title in TITLES:  # the default key clauses are in the library, ticked as key
        expect(page.locator("main")).to_contain_text(title)
    page.fill("input[name='contract_no']", "HT-2027-001")
    page.select_option("select[name='contract_type']", "open_ended")
    page.fill("input[name='start_date']", "2027-01-06")
    page.fill("input[name='wage']", "15000")
    page.fill("input[name='work_location']", "上海")
    for title in TITLES:
        page.get_by_label(title, exact=True).check()
    shoot(page, str(SHOTS / "contract-0-form-desktop.png"))
    page.locator("#contract-form [type='submit']").click()
    expect(page.locator("[data-contract='HT-2027-001']")).to_be_visible()
    page.get_by_test_id("contract-esign").click()
    expect(page.locator("select[name='template'] option:checked")).to_have_text("劳动合同")
    expect(page.locator("input[name='employee_nos']")).to_have_value("S002")
    page.get_by_test_id("send-request").click()
    expect(page.get_by_test_id("tracker-table")).to_contain_text("张测试")
    env = Envelope.objects.get(employee=rep)
    assert sorted(c["title"] for c in env.key_clauses) == sorted(TITLES)
    link = urlsplit(OutboxMessage.objects.filter(purpose="signing_invite", about_id=str(env.pk)).first().link).path

    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE,
                              user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile")
    phone = ctx.new_page()
    log: list[str] = []
    phone.on("console", lambda m: log.append(f"{m.type}: {m.text}"))
    phone.goto(link)
    phone.get_by_test_id("dest-inapp").click()
    phone.get_by_test_id("send-code").click()
    expect(phone.get_by_test_id("sign-notice")).to_be_visible()
    phone.locator("#code").fill(last_code(env))
    phone.get_by_test_id("verify-code").click()
    expect(phone.get_by_test_id("doc-title")).to_have_text("劳动合同书")
    clauses = phone.get_by_test_id("key-clauses")
    for title in TITLES:
        expect(clauses).to_contain_text(title)
    expect(clauses).to_contain_text("不向任何第三方（包括催收机构）提供")
    _shots(phone, "1-clauses")
    phone.set_viewport_size(PHONE)
    # The browser would not submit with a box unticked; the server must refuse even when it is forced.
    phone.fill("#typed_name", "张测试")
    first, second = (str(c["id"]) for c in env.key_clauses[:2])
    phone.check(f"#clause-{first}")
    phone.check(f"#clause-{second}")
    phone.check("#consent")
    phone.evaluate("document.querySelectorAll('input[name=clause]').forEach(e => e.required = false)")
    phone.get_by_test_id("sign-submit").click()
    expect(phone.get_by_test_id("sign-error")).to_contain_text("请逐条确认关键条款")
    expect(phone.get_by_test_id("sign-error")).to_contain_text("禁止私下与客户交易")
    expect(phone.locator(f"#clause-{first}")).to_be_checked()  # what was ticked stays ticked
    _shots(phone, "2-refused")
    phone.set_viewport_size(PHONE)
    env.refresh_from_db()
    assert env.status == "verified"
    for clause in env.key_clauses:
        phone.check(f"#clause-{clause['id']}")
    phone.fill("#typed_name", "张测试")
    phone.check("#consent")
    phone.get_by_test_id("sign-submit").click()
    expect(phone.get_by_test_id("sign-done")).to_be_visible()
    _shots(phone, "3-signed")
    assert csp_violations(log) == []
    ctx.close()

    page.goto(f"/people/{rep.pk}/")
    expect(page.get_by_test_id("clause-acknowledged")).to_have_count(3)
    shoot(page, str(SHOTS / "contract-4-employee-page-desktop.png"))
    env.refresh_from_db()
    page.goto(f"/documents/envelopes/{env.pk}/")
    expect(page.get_by_test_id("event-table")).to_contain_text("员工已确认关键条款")
    with page.expect_download() as dl:
        page.get_by_test_id("envelope-package").click()
    package = Path(dl.value.path()).read_bytes()
    assert _verify_off_loop(package).ok
    completion = squash_whitespace(extract_text(zipfile.ZipFile(io.BytesIO(package)).read("completion.pdf")))
    assert "员工已逐条确认的关键条款" in completion and all(t in completion for t in TITLES)
    assert csp_violations(console_log) == []
