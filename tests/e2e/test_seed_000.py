"""Seed 000 in a browser (without the EAP part): the front desk logs three collection calls about 张测试 in
a week on a phone; the employee is notified privately and answers on their own page; a fourth call puts the
contacts into HR review and HR sends the agency the lawyer letter (filled with the logged calls and the rules
that bind collectors) and records its delivery; the monthly chart shows the counts; the evidence package
verifies offline; a staff member without the permission cannot open the log. Screenshots /tmp/collection-*."""

from __future__ import annotations

import datetime as dt
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from hrguard.evidence.offline.verify import verify_package as _verify

from .conftest import csp_violations, password_for, shoot

SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AGENCY = "某某资产管理有限公司"


def _verify_off_loop(data: bytes):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_verify, data).result()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    shoot(page, str(SHOTS / f"collection-{name}.png"))


def _both(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Desktop and 390 px phone screenshots of the current page; on the phone nothing scrolls sideways."""
    size = page.viewport_size
    page.set_viewport_size(DESKTOP)
    _shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    _shot(page, f"{name}-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways on a phone ({width}px)"
    page.set_viewport_size(size)


def _nav(page) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.locator("nav [data-nav^='collection:']").evaluate_all("els => els.map(e => e.dataset.nav)"))


def _setup(world):  # type: ignore[no-untyped-def]
    from hrguard.collection import services
    from hrguard.core.models import User

    desk = User.objects.create_user(username="acme-front", password=password_for("front"), company=world.company,
                                    role="client_service")
    services.grant_access(actor=world.users["hr"], user=desk, can_log=True, can_view=False)
    services.save_settings(actor=world.users["hr"], repeat_count=4, repeat_days=7)  # seed: the 4th call escalates
    return desk


def _log_call(page, world, when: dt.datetime, number: str, *, threats: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.goto("/collection/new/")
    expect(page.locator("#receiver-script")).to_contain_text("公司不提供任何员工信息")
    page.select_option("#f-employee", str(world.employees["east_rep"].pk))
    page.fill("#f-time", timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#f-agency", AGENCY)
    page.fill("#f-caller", "李专员")
    page.fill("#f-number", number)
    page.check("#f-named")
    page.check("#f-collect")
    if threats:
        page.check("#f-threats")
    page.click("#contact-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已记录")


def test_seed_000_collection_calls_to_lawyer_letter(page, login, e2e_world, console_log) -> None:  # type: ignore[no-untyped-def]
    from hrguard.collection.models import CollectionFile, Contact
    from hrguard.notify.models import OutboxMessage

    world = e2e_world
    _setup(world)
    now = timezone.now()

    # 1. The front desk, on a phone, logs three calls in a week.
    page.set_viewport_size(PHONE)
    login(page, "acme-front", password_for("front"))
    for i, days in enumerate((6, 4, 2)):
        _log_call(page, world, now - dt.timedelta(days=days, hours=1), f"0215555010{i}")
        if i == 0:
            _shot(page, "form-phone")
    assert Contact.objects.count() == 3
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the form scrolls sideways on a phone ({width}px)"
    page.goto("/collection/")
    assert page.locator("#contact-log").count() == 0  # logging does not let the front desk read the log
    _both(page, "front-desk-refused")
    page.goto("/")
    assert _nav(page) == {"collection:new"}  # the front desk's menu: the phone form only

    # 2. The employee is notified privately and answers on their own page.
    file = CollectionFile.objects.get()
    notice = OutboxMessage.objects.filter(user=world.users["employee"], channel="inapp",
                                          purpose="collection.notice").first()
    assert notice is not None and AGENCY not in notice.body
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login(page, "acme-employee", password_for("employee"))
    page.goto(notice.link)
    expect(page.locator("h1")).to_contain_text("人事部有事与您沟通")
    assert AGENCY not in page.content()
    page.fill("#f-text", "已与平台协商分期还款，本周内处理")
    page.click("#respond-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("人事部已收到")
    _both(page, "respond")
    assert _nav(page) == set()  # no collection link for the employee
    page.goto("/collection/mine/")
    _both(page, "mine")
    page.goto("/collection/")
    assert page.locator("#contact-log").count() == 0

    # 3. A fourth call: HR review.
    page.context.clear_cookies()
    login(page, "acme-front", password_for("front"))
    _log_call(page, world, now - dt.timedelta(hours=1), "02155550109", threats=True)
    file.refresh_from_db()
    assert file.status == "review"

    # 4. HR sends the lawyer letter and records its delivery.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    login(page, "acme-hr", password_for("hr"))
    page.goto(f"/collection/{file.case_id}/")
    expect(page.locator("#escalation")).to_contain_text("4")
    expect(page.locator("#responses")).to_contain_text("分期还款")
    _both(page, "file")
    assert _nav(page) == {"collection:log", "collection:new", "collection:numbers", "collection:policy"}
    page.click("#letter-form button[type=submit]")
    body = page.locator("#letter-body")
    expect(body).to_contain_text(AGENCY)
    expect(body).to_contain_text("共 4 条")
    expect(body).to_contain_text("民法典》第1032条")
    expect(body).to_contain_text("行业自律")
    page.select_option("#delivery-form select[name=method]", "ems")
    page.fill("#delivery-form input[name=reference]", "EA123456789CN")
    page.click("#delivery-form button[type=submit]")
    expect(page.locator("#delivery")).to_contain_text("EA123456789CN")
    _both(page, "letter")
    page.goto("/collection/")
    expect(page.locator("#contact-log")).to_contain_text(AGENCY)
    _both(page, "log")
    page.goto("/collection/policy/")
    expect(page.locator("#policy-text")).to_contain_text("催收")
    _both(page, "policy")

    # 5. The monthly chart shows the counts.
    page.goto("/collection/numbers/")
    chart = page.locator("#chart-collection")
    expect(chart).to_have_attribute("data-echarts-ready", "true")
    expect(chart).to_have_attribute("data-total", "4")
    expect(page.locator("[data-before]")).to_have_text("4")
    _shot(page, "numbers-desktop")
    page.set_viewport_size(PHONE)
    _shot(page, "numbers-phone")
    page.set_viewport_size(DESKTOP)

    # 6. The evidence package for the agency verifies offline.
    page.goto(f"/collection/{file.case_id}/")
    with page.expect_download() as download:
        page.locator("#package-employee").click()
    data = Path(download.value.path()).read_bytes()
    result = _verify_off_loop(data)
    assert result.ok, [c for c in result.checks if c.status == "fail"]

    # 7. Without the permission, the log does not open.
    page.context.clear_cookies()
    login(page, "acme-finance", password_for("finance"))
    response = page.goto("/collection/")
    assert response is not None and response.status == 403
    response = page.goto(f"/collection/{file.case_id}/")
    assert response is not None and response.status == 403
    _both(page, "finance-refused")
    assert _nav(page) == set()
    assert csp_violations(console_log) == [], csp_violations(console_log)
