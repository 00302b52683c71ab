"""Seed 003 in a browser: a securities adviser with an open client complaint (loss claimed 200,000) resigns in
self-service; the page says the company cannot refuse it. The compliance review is blocked at its gate and the
screen says why, with a link to the complaint. The complaint is settled, the review passes, the handover is
confirmed item by item, the statutory last day passes and HR's final approval completes the exit; the exit's
evidence package verifies offline. Screenshots at 1280 px and 390 px (/tmp/exits-*.png)."""

from __future__ import annotations

import datetime as dt
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import expect

from hrguard.evidence.offline.verify import verify_package as _verify

from .conftest import csp_violations, password_for, shoot

SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}
NOTICE = dt.date(2026, 11, 2)


def _verify_off_loop(data: bytes):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_verify, data).result()


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, str(SHOTS / f"exits-{name}-desktop.png"))
    page.set_viewport_size(PHONE)
    shoot(page, str(SHOTS / f"exits-{name}-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def _staff(world):  # type: ignore[no-untyped-def]
    from hrguard.core.models import User

    for role in ("compliance", "client_service", "it"):
        world.users[role] = User.objects.create_user(username=f"acme-{role}", password=password_for(role),
                                                     company=world.company, role=role)


def _complete_others(world, exit_) -> None:  # type: ignore[no-untyped-def]
    """The other departments' work, done through the services (the browser covers compliance and HR)."""
    from hrguard.offboarding import items
    from hrguard.workflows import services as engine
    from hrguard.workflows.models import Step

    for item in exit_.items.filter(state="pending"):
        user = item.receiver or next(u for u in world.users.values() if u.role == item.receiver_role)
        items.confirm_item(actor=user, item_id=item.pk)
    for step in Step.objects.filter(instance_id=exit_.process_id, state="open").exclude(key__in=("compliance",)):
        user = step.assignee_user or next(u for u in world.users.values() if u.role == step.assignee_role)
        engine.act(actor=user, step_id=step.pk, action="complete", note="已办结")


def _act(page, step_key: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator(f"[data-step='{step_key}'] [data-act-form]")
    with page.expect_navigation():
        form.locator("button[value='complete']").click()


def test_seed_003_resignation_blocked_by_complaint_then_completes(page, login, e2e_world, console_log, browser):
    from django.utils import timezone

    from hrguard.deadlines import services as deadlines
    from hrguard.discipline import complaints
    from hrguard.offboarding.models import Exit

    world = e2e_world
    _staff(world)
    rep = world.employees["east_rep"]
    complaint = complaints.record_complaint(world.users["hr"], rep, {
        "client": "李某", "received_on": dt.date(2026, 10, 8), "claimed_loss": "200000",
        "facts": "私下接受客户委托买卖股票，未通过公司交易渠道，造成客户账户亏损20万元。"})

    # 张测试 resigns in self-service, on the phone.
    login(page, "acme-employee", password_for("employee"))
    page.set_viewport_size(PHONE)
    page.goto("/exits/mine/")
    expect(page.locator("[data-cannot-refuse]")).to_contain_text("不能拒绝")
    shoot(page, str(SHOTS / "exits-resign-phone.png"))
    page.fill("#notice_date", NOTICE.isoformat())
    page.fill("#reason", "个人职业规划调整")
    with page.expect_navigation():
        page.locator("#resign-form button[type='submit']").click()
    exit_ = Exit.objects.get(employee=rep)
    assert exit_.last_day == NOTICE + dt.timedelta(days=30)
    expect(page.locator("[data-last-day]")).to_have_attribute("data-last-day", exit_.last_day.isoformat())
    page.context.clear_cookies()

    # HR sees it on the dashboard, blocked by the complaint.
    login(page, "acme-hr", password_for("hr"))
    page.goto("/exits/")
    row = page.locator(f"[data-exit='{exit_.pk}']")
    expect(row.locator("[data-blockers]")).to_contain_text("200,000")
    _shots(page, "dashboard")
    page.goto(f"/exits/{exit_.pk}/")
    expect(page.locator("#gates-blocked")).to_contain_text(f"客户投诉 #{complaint.pk} 未结 — 索赔 200,000")
    expect(page.locator(f"#gates-blocked a[href='/activity/complaints/{complaint.pk}/']")).to_have_count(1)
    expect(page.locator("[data-may-not]")).to_contain_text("拒绝员工辞职")
    _shots(page, "detail-blocked")
    page.context.clear_cookies()

    # Compliance tries to pass the review: blocked, and told why.
    login(page, "acme-compliance", password_for("compliance"))
    page.goto(f"/exits/{exit_.pk}/")
    _act(page, "compliance")
    expect(page.locator(".alert-danger[role=status]")).to_contain_text(f"客户投诉 #{complaint.pk}")
    expect(page.locator("[data-step='compliance']")).to_have_attribute("data-state", "open")

    # The complaint is settled; the review passes.
    complaints.resolve(world.users["hr"], complaint, {"status": "settled", "resolution": "张某赔偿客户损失，客户撤诉",
                                                      "settled_amount": "200000"})
    page.reload()
    _act(page, "compliance")
    expect(page.locator("[data-step='compliance']")).to_have_attribute("data-state", "done")
    page.context.clear_cookies()

    _complete_others(world, exit_)
    tz = timezone.get_current_timezone()
    deadlines.sweep(now=dt.datetime.combine(exit_.last_day + dt.timedelta(days=1), dt.time(9), tzinfo=tz))

    # HR's final approval completes the exit; the package verifies.
    login(page, "acme-hr", password_for("hr"))
    page.goto(f"/exits/{exit_.pk}/")
    expect(page.locator("#gates-blocked")).to_have_count(0)
    _act(page, "hr_final")
    expect(page.locator("#exit-state")).to_have_attribute("data-state", "completed")
    _shots(page, "detail-completed")
    resp = page.request.get(f"/exits/{exit_.pk}/package.zip")
    assert resp.status == 200
    result = _verify_off_loop(resp.body())
    assert result.ok, result
    rep.refresh_from_db()
    assert rep.status == "left" and rep.termination_date == exit_.last_day
    assert csp_violations(console_log) == []
