"""Browser: a company admin adds a finance step to the expense-claim template in the template editor
(structured form: add a step, its kind, who acts, due offset, an escalation level), sees a validation
error next to the step and then the new version; the next claim waits for finance while a claim already
running keeps its version. Desktop and a 390 px phone screenshot."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from hrguard.expenses import services as expense_services
from hrguard.expenses.models import ExpenseClaim
from hrguard.workflows import editing, selectors
from hrguard.workflows.defaults import DEFAULTS, ensure_default_templates
from hrguard.workflows.models import ProcessTemplate, TemplateVersion

from .conftest import csp_violations, password_for, shoot
from .test_activity import sign_in

RECEIPT = ("发票.jpg", b"\xff\xd8\xff receipt")


def shot(name: str) -> str:
    """Where a screenshot goes (looked at by hand): the system's temporary directory."""
    return str(Path(tempfile.gettempdir()) / f"flows-{name}.png")


def claim(w: Any, amount: str, text: str) -> Any:
    return expense_services.submit_claim(w.users["employee"], w.employees["east_rep"], {
        "category": "lodging", "spent_on": "2025-03-05", "amount": amount, "description": text}, [RECEIPT])


def test_admin_adds_a_finance_step_in_the_editor(page: Any, e2e_world: Any, console_log: Any) -> None:
    w = e2e_world
    ensure_default_templates(w.company)
    template = ProcessTemplate.objects.get(company=w.company, key="expenses.claim")
    only_manager = copy.deepcopy(DEFAULTS["expenses.claim"]["definition"])
    only_manager["stages"] = only_manager["stages"][:1]
    editing.new_version(actor=w.users["admin"], template_id=template.pk, definition=only_manager)
    running = claim(w, "120", "上海住宿")  # started on the manager-only version

    sign_in(page, "acme-admin", password_for("admin"))
    page.goto("/processes/templates/")
    page.locator("#templates tr[data-template='expenses.claim'] a").click()
    expect(page.locator("[data-stage]")).to_have_count(1)
    page.click("#add-step")
    new = page.locator("[data-stage='1']")
    expect(new).to_be_visible()
    new.locator("input[name$='-name']").fill("财务审核")
    new.locator("input[name$='-key']").fill("finance")
    new.locator("select[name$='-kind']").select_option("approval")
    new.locator("select[name$='-rule']").select_option("role")
    new.locator("select[name$='-role']").select_option("finance")
    new.locator("input[name$='-due_days']").fill("三天")  # not a number: refused next to the step
    page.click("#save-template")
    errors = page.locator("[data-step-errors='finance']")
    expect(errors).to_contain_text("0到365天")
    assert TemplateVersion.objects.filter(template=template).count() == 2
    new = page.locator("[data-stage='1']")
    new.locator("input[name$='-due_days']").fill("3")
    new.locator("select[name$='-due_unit']").select_option("working")
    new.locator("button[value^='add_level']").click()
    expect(page.locator("[data-stage='1'] [data-level='0']")).to_be_visible()
    page.locator("[data-stage='1'] select[name$='lv0-action']").select_option("remind")
    shoot(page, shot("editor-desktop"))
    page.click("#save-template")
    expect(page.locator(".alert-success")).to_contain_text("已保存为第 3 版")
    expect(page.locator("#versions [data-version='3']")).to_be_visible()
    expect(page.locator("#versions [data-version='2']")).to_contain_text("1 个进行中")
    latest = TemplateVersion.objects.filter(template=template).order_by("-number").first()
    finance = latest.definition["stages"][1]
    assert (finance["key"], finance["assignee"], finance["due"]) == (
        "finance", {"rule": "role", "role": "finance"}, {"days": 3, "unit": "working"})
    assert finance["escalation"] == [{"after_days": 0, "action": "remind"}]

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("[data-stage='1']")).to_be_visible()
    shoot(page, shot("editor-phone"))
    assert csp_violations(console_log) == []

    # The claim already running keeps its version; the next one waits for finance after the manager.
    expense_services.decide(w.users["manager"], running, True)
    assert ExpenseClaim.objects.get(pk=running.pk).status == "approved"
    second = claim(w, "480", "杭州住宿")
    expense_services.decide(w.users["manager"], second, True)
    assert ExpenseClaim.objects.get(pk=second.pk).status == "submitted"
    assert [t.step.key for t in selectors.open_tasks_for(user=w.users["finance"])] == ["finance"]

    # The process page of the second claim: the manager's step done (with its time), finance open.
    instance = selectors.instance_for(subject=second)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/processes/{instance.pk}/")
    expect(page.locator("[data-step='manager']")).to_have_attribute("data-state", "done")
    expect(page.locator("[data-step='finance'] [data-assignee]")).to_have_text("财务")
    page.locator("[data-step='finance'] [data-pause-form] input[name='reason']").fill("等待员工补交发票")
    page.locator("[data-step='finance'] [data-pause-form] button").click()
    expect(page.locator("[data-step='finance']")).to_have_attribute("data-state", "paused")
    expect(page.locator("[data-step='finance'] [data-pauses]")).to_contain_text("等待员工补交发票")
    shoot(page, shot("instance-desktop"))
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, shot("instance-phone"))
    assert csp_violations(console_log) == []
