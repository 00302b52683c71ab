"""工作台 in a browser: HR's charts draw under the strict CSP in Chinese, the manager approves from a to-do, the
navigation's search finds a colleague; desktop and a 390 px phone. Screenshots: /tmp/workbench-*.png."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import csp_violations, password_for, shoot

SHOTS = Path(tempfile.gettempdir())


def test_hr_workbench_draws_its_charts_and_warnings(page, login, e2e_world, console_log):
    from hrguard.people.models import Contract

    Contract.objects.create(
        company=e2e_world.company, employee=e2e_world.employees["sales_rep"], contract_no="HT-E2E",
        contract_type="fixed_term", start_date=dt.date(2023, 1, 1), end_date=timezone.localdate() + dt.timedelta(days=12),
        wage=Decimal("9000"), work_location="上海",
    )
    login(page, "acme-hr", password_for("hr"))
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("#chart-headcount")).to_have_attribute("data-echarts-ready", "true")
    expect(page.locator("#chart-movements canvas")).to_have_count(1)
    title = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('chart-headcount'))"
                          ".getOption().toolbox[0].feature.saveAsImage.title")
    assert title == "保存为图片"  # ECharts' Chinese locale
    expect(page.locator("[data-alerts='renewal'] [data-kind='renewal']")).to_contain_text("HT-E2E")
    shoot(page, str(SHOTS / "workbench-hr.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#chart-headcount")).to_have_attribute("data-echarts-ready", "true")
    shoot(page, str(SHOTS / "workbench-hr-phone.png"))
    assert csp_violations(console_log) == []
    assert [m for m in console_log if m.startswith(("error", "pageerror"))] == []


def test_manager_sees_the_leave_to_approve_and_searches_a_colleague(page, login, e2e_world, console_log):
    from hrguard.leave import services

    start = timezone.localdate() + dt.timedelta(days=2)  # ten days: working days whatever today is
    services.request_leave(e2e_world.users["employee"], e2e_world.employees["east_rep"],
                           {"leave_type": "personal", "start_date": f"{start:%Y-%m-%d}",
                            "end_date": f"{start + dt.timedelta(days=9):%Y-%m-%d}", "reason": "家事"})
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "acme-manager", password_for("manager"))
    todo = page.locator("[data-section='todos'] [data-kind='task']")
    expect(todo).to_contain_text("张测试")
    shoot(page, str(SHOTS / "workbench-manager-phone.png"))
    todo.locator("a").click()
    expect(page).to_have_url(re.compile(r"/processes/\d+/#step-\d+$"))  # the task opens on its process
    page.set_viewport_size({"width": 1280, "height": 900})
    box = page.locator("[data-global-search] input[name='q']")
    box.fill("欧阳")
    box.press("Enter")
    expect(page.locator("[data-section='people'] [data-kind='employee']")).to_contain_text("欧阳娜娜")
    shoot(page, str(SHOTS / "workbench-search.png"))
    assert csp_violations(console_log) == []
