"""Seed 001 in a browser: a core salesperson (欧阳娜娜, 客户经理 — a core position — serving three clients that
make 30% of the company's revenue) travels far more than her own baseline. The administrator switches the
shipped rule on, the scan runs (as the nightly task would) and the rule fires. HR opens the alert, reads the
explanation and opens a key-person case from it; the three steps run on time by their owners (HR's talk,
legal's assessment, the department head's contingency plan). HR generates the key-person report (PDF text
extracted and checked: the clients, the replacement cost within 1.5–2× her annual salary, the successor),
sends the supplementary agreement, which she signs on a 390 px phone through the signing page, and closes
the case with a root cause. On the way HR imports a client sheet and looks at the key-person parameters.
Screenshots /tmp/seed001-*.png (desktop 1280 px and phone 390 px)."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
from django.core.management import call_command
from playwright.sync_api import expect

from hrguard.platform.pdf.poppler import extract_text, squash_whitespace

from .conftest import csp_violations, do_login, password_for, shoot

SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WAGE = Decimal(20000)  # a month, so 240,000 a year: recruiting 360,000 – 480,000


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(DESKTOP)
    shoot(page, str(SHOTS / f"seed001-{name}-desktop.png"))
    page.set_viewport_size(PHONE)
    shoot(page, str(SHOTS / f"seed001-{name}-phone.png"))
    page.set_viewport_size(DESKTOP)


def _months_back(today: dt.date, n: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def _prepare(world) -> dt.date:  # type: ignore[no-untyped-def]
    """Her login, contract and wages; six months of 2-day trips, then 5 days last month; the rules (off)."""
    from hrguard.calculators.models import WageMonth
    from hrguard.core.models import User
    from hrguard.expenses.models import Trip
    from hrguard.people.models import Contract
    from hrguard.risk.defaults import ensure_default_rules

    rep = world.employees["sales_rep"]
    rep.user = User.objects.create_user(username="acme-rep", password=password_for("rep"), company=world.company,
                                        role="employee")
    rep.save(update_fields=["user"])
    Contract.objects.create(company=world.company, employee=rep, contract_no="HT-001", contract_type="open_ended",
                            start_date=dt.date(2016, 3, 1), wage=WAGE, work_location="上海")
    today = dt.date.today()
    for n in range(1, 13):
        m = _months_back(today, n)
        WageMonth.objects.create(company=world.company, employee=rep, year=m.year, month=m.month, amount=WAGE)
    for n, days in [(7, 2), (6, 2), (5, 2), (4, 2), (3, 2), (2, 2), (1, 5)]:
        start = _months_back(today, n) + dt.timedelta(days=9)
        Trip.objects.create(company=world.company, employee=rep, start_date=start,
                            end_date=start + dt.timedelta(days=days - 1), destination="苏州",
                            purpose="拜访华东汽车", status="approved")
    ensure_default_rules(world.company)
    return _months_back(today, 0) - dt.timedelta(days=1)  # last day of last month


def _client_sheet() -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["客户名称", "合作年限（年）", "年营收（元）", "占公司营收（%）", "服务员工工号", "服务角色", "占该员工业绩（%）",
               "接任准备度"])
    ws.append(["华东汽车", 14, 3000000, 15, "S003", "主要负责", 50, ""])
    ws.append(["华东汽车", "", "", "", "S002", "协助", "", "可立即接任"])
    ws.append(["星海电子", 7, 2000000, 10, "S003", "主要负责", 33, ""])
    ws.append(["远航物流", 1, 1000000, 5, "S003", "主要负责", 17, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _complete(page, key: str, note: str) -> None:  # type: ignore[no-untyped-def]
    step = page.locator(f"[data-step='{key}']")
    expect(step).to_have_attribute("data-state", "open")
    form = step.locator("form[data-act-form]")
    form.locator("input[name='note']").fill(note)
    with page.expect_navigation():
        form.locator("button[name='action'][value='complete']").click()
    expect(page.locator(f"[data-step='{key}']")).to_have_attribute("data-state", "done")


def _as(browser, live_server, key: str):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    other = ctx.new_page()
    do_login(other, f"acme-{key}", password_for(key))
    return ctx, other


def _sign_on_phone(browser, live_server, envelope_pk: int) -> None:  # type: ignore[no-untyped-def]
    from hrguard.notify.models import OutboxMessage

    invite = OutboxMessage.objects.filter(purpose="signing_invite", about_id=str(envelope_pk)).order_by("-pk").first()
    assert invite is not None
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE,
                              user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile")
    phone = ctx.new_page()
    log: list[str] = []
    phone.on("console", lambda m: log.append(f"{m.type}: {m.text}"))
    phone.goto(urlsplit(invite.link).path)
    expect(phone.get_by_test_id("sign-title")).to_contain_text("补充协议")
    phone.locator("#dest-inapp").check()
    phone.get_by_test_id("send-code").click()
    expect(phone.get_by_test_id("sign-notice")).to_be_visible()
    code_msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(envelope_pk)).order_by("-pk").first()
    code = re.search(r"(\d{6})", code_msg.body).group(1)  # type: ignore[union-attr]
    phone.locator("#code").fill(code)
    phone.get_by_test_id("verify-code").click()
    expect(phone.locator(".sign-doc")).to_contain_text("华东汽车")
    shoot(phone, str(SHOTS / "seed001-7-agreement-phone.png"))
    phone.locator("#typed_name").fill("欧阳娜娜")
    phone.locator("#consent").check()
    phone.get_by_test_id("sign-submit").click()
    expect(phone.get_by_test_id("sign-done")).to_be_visible()
    shoot(phone, str(SHOTS / "seed001-8-signed-phone.png"))
    assert csp_violations(log) == []
    ctx.close()


def test_seed_001_core_salesperson_alert_case_report_agreement(page, browser, live_server, login, e2e_world,
                                                               console_log):
    from hrguard.cases.models import Case
    from hrguard.documents.models import Envelope, EnvelopeStatus
    from hrguard.risk.models import Alert

    world = e2e_world
    rep = world.employees["sales_rep"]
    as_of = _prepare(world)

    # 0. HR imports the client sheet (30% of the revenue through her) and checks the key-person parameters.
    login(page, "acme-hr", password_for("hr"))
    page.goto("/clients/")
    page.locator("#import-link").click()
    expect(page.locator("#import-columns")).to_contain_text("服务员工工号")
    page.locator("#import-form input[name='file']").set_input_files(files=[{
        "name": "客户.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": _client_sheet()}])
    with page.expect_navigation():
        page.locator("#import-form button[type='submit']").click()
    expect(page.locator("#clients-table")).to_contain_text("华东汽车")
    expect(page.locator("#clients-table")).to_contain_text("欧阳娜娜")
    _shots(page, "1-clients")
    page.locator("#parameters-link").click()
    expect(page.locator("#p-recruit_multiple_low")).to_have_value("1.5")
    expect(page.locator("#p-recruit_multiple_high")).to_have_value("2")
    expect(page.locator("#p-ramp_months_low")).to_have_value("6")
    expect(page.locator("#p-ramp_months_high")).to_have_value("12")
    _shots(page, "2-parameters")

    # 1. The administrator switches the travel rule on; the scan runs; the rule fires for her.
    admin_ctx, admin = _as(browser, live_server, "admin")
    admin.goto("/risk/rules/")
    with admin.expect_navigation():
        admin.locator("[data-rule='travel-up'] form button").click()
    expect(admin.locator("[data-rule='travel-up'] form button")).to_have_class(re.compile("btn-success"))
    admin_ctx.close()
    call_command("scan", "--company", "acme", "--as-of", as_of.isoformat(), stdout=io.StringIO())
    alert = Alert.objects.get(employee=rep, rule__key="travel-up")

    # 2. HR opens the alert, reads the explanation and opens a key-person case from it.
    page.goto("/risk/")
    row = page.locator(f"[data-alert='{alert.pk}']")
    expect(row).to_contain_text("欧阳娜娜")
    row.locator("a").first.click()
    expect(page.locator("#explanation")).to_contain_text("欧阳娜娜")
    expect(page.locator("#explanation")).to_contain_text("5天")
    expect(page.locator("#facts")).to_contain_text("出差")
    _shots(page, "3-alert")
    page.locator("[data-follow-up='open_case']").click()
    expect(page.locator("#f-type")).to_have_value("keyperson")
    expect(page.locator("#f-subject")).to_have_value(str(rep.pk))
    page.select_option("#f-level", "restricted")
    page.fill("#f-desc", "出差天数较本人基线明显增加，负责客户占公司营收30%。")
    with page.expect_navigation():
        page.locator("#case-form button[type='submit']").click()
    case = Case.objects.get(company=world.company, subject_employee=rep)
    expect(page.locator("#case-state")).to_have_attribute("data-state", "open")
    expect(page.locator("#links")).to_contain_text("出差天数高于本人基线30%")
    alert.refresh_from_db()
    assert (alert.status, alert.outcome, alert.link_id) == ("acted", "case", case.pk)

    # 3. The three steps, each by its owner, on time.
    _complete(page, "hr_talk", "已面谈：有竞争对手接触，员工表示愿意留任并配合客户交接安排")
    legal_ctx, legal = _as(browser, live_server, "legal")
    legal.goto(f"/cases/{case.pk}/")
    _complete(legal, "legal", "补充协议可约定客户交接与保密义务；不建议以出差增加为由解除")
    legal_ctx.close()
    # the department head does not see the (restricted) case: the step reaches them on their 工作台
    boss_ctx, boss = _as(browser, live_server, "manager")
    boss.goto("/")
    with boss.expect_navigation():
        boss.locator("[data-kind='task'] a", has_text="业务应急预案").first.click()
    _complete(boss, "contingency", "张测试每月陪同拜访华东汽车，客户维护权重由20%提高到50%")
    boss_ctx.close()
    page.reload()
    for key in ("hr_talk", "legal", "contingency"):
        expect(page.locator(f"[data-step='{key}']")).to_have_attribute("data-state", "done")
    expect(page.locator("[data-overdue]")).to_have_count(0)
    _shots(page, "4-case-steps-done")

    # 4. The key-person assessment and its report (PDF text checked).
    page.locator("#keyperson-link").click()
    expect(page.locator("[data-share]")).to_have_text("30%")
    expect(page.locator("[data-recruit]")).to_contain_text("360,000.00")
    expect(page.locator("#successors")).to_contain_text("张测试")
    _shots(page, "5-keyperson")
    with page.expect_download() as dl:
        page.locator("#report-download").click()
    text = squash_whitespace(extract_text(Path(dl.value.path()).read_bytes()))
    (SHOTS / "seed001-report.txt").write_text(text)
    for needle in ("欧阳娜娜", "华东汽车", "星海电子", "远航物流", "张测试", "可立即接任"):
        assert needle in text, needle
    salary = WAGE * 12
    assert "240,000.00" in text  # her annual salary from the wage history
    found = re.search(r"招聘成本（年薪的([\d.]+)–([\d.]+)倍）([\d,]+\.\d\d)–([\d,]+\.\d\d)元", text)
    assert found is not None, text
    low, high = (Decimal(found.group(i).replace(",", "")) for i in (3, 4))
    assert (found.group(1), found.group(2)) == ("1.5", "2")
    assert Decimal("1.5") * salary <= low <= high <= 2 * salary, (low, high)

    # 5. The supplementary agreement, sent and signed by her on the phone.
    with page.expect_navigation():
        page.locator("#send-agreement").click()
    expect(page.locator(".alert-success")).to_be_visible()
    envelope = Envelope.objects.get(employee=rep, request__version__template__kind="supplementary_agreement")
    _sign_on_phone(browser, live_server, envelope.pk)
    envelope.refresh_from_db()
    assert envelope.status == EnvelopeStatus.SIGNED

    # 6. HR closes the case with the root cause; the handling time is recorded.
    page.goto(f"/cases/{case.pk}/")
    page.select_option("#f-root", "competitor")
    page.fill("#f-review", "竞争对手高薪挖角；已签补充协议，继任人陪访。")
    with page.expect_navigation():
        page.locator("#close-form button[type='submit']").click()
    expect(page.locator("#case-state")).to_have_attribute("data-state", "closed")
    expect(page.locator("[data-root-cause]")).to_have_attribute("data-root-cause", "competitor")
    case.refresh_from_db()
    assert case.state == "closed" and case.handling_seconds is not None
    _shots(page, "6-case-closed")
    assert csp_violations(console_log) == []
