"""Process pages, request level: the template editor (structured form → validation messages next to the
step → a new version; running processes keep theirs), my tasks with act forms, the process page (steps,
pauses, gate reasons with links, restricted steps hidden from parties), who may open what, tenancy, and
a constant number of queries whatever the data size."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hrguard.workflows import editing, services
from hrguard.workflows.defaults import ensure_default_templates
from hrguard.workflows.models import ProcessTemplate, Step, TemplateVersion
from hrguard.workflows.pages import editor

pytestmark = pytest.mark.django_db

TWO = {
    "stages": [
        {"key": "manager", "name": "上级审批", "kind": "approval", "assignee": {"rule": "manager"},
         "due": {"days": 2, "unit": "calendar"}},
        {"key": "finance", "name": "财务审核", "kind": "approval", "assignee": {"rule": "role", "role": "finance"}},
    ],
}


@pytest.fixture
def template(world: Any) -> ProcessTemplate:
    version, _ = editing.create_template(actor=world.users["admin"], company=world.company, key="test.flow",
                                         name="测试流程", definition=TWO)
    return version.template


def form_of(definition: dict[str, Any], **over: Any) -> dict[str, Any]:
    """The POST the editor page sends for a definition (as the browser would)."""
    ed = editor.from_definition(definition, name="测试流程", is_active=True)
    data: dict[str, Any] = {"name": ed.name, "is_active": "on", "stages": str(len(ed.stages)), "gate": ed.gate}
    for si, stage in enumerate(ed.stages):
        data[f"st{si}-steps"] = str(len(stage.steps))
        if stage.parallel:
            data[f"st{si}-parallel"] = "on"
        for ti, row in enumerate(stage.steps):
            p = f"st{si}-{ti}-"
            data.update({p + "key": row.key, p + "name": row.name, p + "kind": row.kind, p + "rule": row.rule,
                         p + "role": row.role, p + "user": row.user, p + "due_days": row.due_days,
                         p + "due_unit": row.due_unit, p + "gate": row.gate, p + "after": row.after,
                         p + "levels": str(len(row.levels))})
            for li, lv in enumerate(row.levels):
                data.update({f"{p}lv{li}-after_days": lv.after_days, f"{p}lv{li}-action": lv.action,
                             f"{p}lv{li}-role": lv.role})
    data.update(over)
    return data


def edit_url(t: ProcessTemplate) -> str:
    return reverse("workflows:template_edit", args=[t.pk])


def test_editor_round_trip_keeps_a_definition():
    definition = {
        "stages": [
            {"key": "a", "name": "甲", "kind": "task", "assignee": {"rule": "role", "role": "hr"},
             "due": {"days": 3, "unit": "working"}, "escalation": [{"after_days": 0, "action": "remind"},
                                                                   {"after_days": 2, "action": "reassign",
                                                                    "role": "legal"}],
             "gate": "open_complaints == 0", "restricted": True, "on_complete": ["x.y"], "permission": "p"},
            {"name": "并行", "parallel": [
                {"key": "b", "name": "乙", "kind": "approval", "assignee": {"rule": "manager"}},
                {"key": "c", "name": "丙", "kind": "approval", "assignee": {"rule": "user", "user": "u1"},
                 "after": ["a"]}]},
        ],
        "on_approved": ["leave.apply_outcome"], "gate": "true",
    }
    assert editor.to_definition(editor.from_definition(definition)) == definition


def test_editor_operations():
    ed = editor.from_definition(TWO)
    assert editor.apply(ed, "add_parallel:0") and ed.stages[0].parallel and len(ed.stages[0].steps) == 2
    assert editor.apply(ed, "down:0") and ed.stages[1].parallel
    assert editor.apply(ed, "add_level:0:0") and len(ed.stages[0].steps[0].levels) == 1
    assert editor.apply(ed, "remove_level:0:0:0") and ed.stages[0].steps[0].levels == []
    assert editor.apply(ed, "add_stage") and len(ed.stages) == 3 and ed.stages[2].steps[0].key == "step_4"
    assert not editor.apply(ed, "up:0") and not editor.apply(ed, "remove:9:0") and not editor.apply(ed, "x:y")
    assert editor.apply(ed, "remove:1:0") and editor.apply(ed, "remove:1:0")
    assert [len(s.steps) for s in ed.stages] == [1, 0, 1]  # an emptied parallel group stays (and is refused)


def test_admin_edits_a_template_and_saves_a_new_version(world, template, client_for, start_for):
    admin = client_for(world.users["admin"])
    page = admin.get(edit_url(template)).content.decode()
    assert 'name="st1-0-name" value="财务审核"' in page and "open_complaints" in page  # facts listed
    running = start_for("east_rep")
    data = form_of(TWO, **{"st1-0-name": "财务复核", "st1-0-due_days": "3", "st1-0-due_unit": "working"})
    resp = admin.post(edit_url(template), {**data, "op": "save"})
    assert resp.status_code == 302
    page = admin.get(resp["Location"]).content.decode()
    assert "已保存为第 2 版" in page
    latest = TemplateVersion.objects.filter(template=template).order_by("-number").first()
    assert latest.number == 2 and latest.definition["stages"][1]["name"] == "财务复核"
    assert latest.definition["stages"][1]["due"] == {"days": 3, "unit": "working"}
    running.refresh_from_db()
    assert running.template_version.number == 1  # the running process keeps its version
    assert 'data-version="1"' in page and 'data-version="2"' in page


def test_editor_shows_errors_next_to_the_step_and_saves_nothing(world, template, client_for):
    admin = client_for(world.users["admin"])
    cycle = form_of(TWO, **{"st0-0-after": "finance", "st1-0-gate": "no_such_fact > 0"})
    page = admin.post(edit_url(template), {**cycle, "op": "save"}).content.decode()
    assert "循环" in page  # the cycle, above the steps
    step_errors = page.split('data-step-errors="finance"')[1].split("</ul>")[0]
    assert "no_such_fact" in step_errors  # the unknown fact, under its step
    # An empty parallel group.
    empty = form_of(TWO, **{"stages": "3", "st2-steps": "0", "st2-parallel": "on"})
    page = admin.post(edit_url(template), {**empty, "op": "save"}).content.decode()
    assert "并行组 3 为空" in page
    assert TemplateVersion.objects.filter(template=template).count() == 1
    # Bad numbers are named, not a 500.
    bad = form_of(TWO, **{"st0-0-due_days": "abc", "st0-0-levels": "1", "st0-0-lv0-after_days": "-1",
                          "st0-0-lv0-action": "remind"})
    resp = admin.post(edit_url(template), {**bad, "op": "save"})
    assert resp.status_code == 200 and 'data-step-errors="manager"' in resp.content.decode()
    assert TemplateVersion.objects.filter(template=template).count() == 1


def test_nobody_assignee_is_a_warning_and_saves(world, template, client_for):
    admin = client_for(world.users["admin"])
    data = form_of(TWO, **{"st1-0-role": "compliance"})  # nobody has the compliance role in this company
    resp = admin.post(edit_url(template), {**data, "op": "save"}, follow=True)
    page = resp.content.decode()
    assert TemplateVersion.objects.filter(template=template).count() == 2
    assert "alert-warning" in page and "合规" in page


def test_editor_operations_over_the_page(world, template, client_for):
    admin = client_for(world.users["admin"])
    page = admin.post(edit_url(template), {**form_of(TWO), "op": "add_parallel:1"}).content.decode()
    assert 'name="st1-parallel" checked' in page and 'name="st1-1-key" value="step_3"' in page
    assert TemplateVersion.objects.filter(template=template).count() == 1  # editing is not saving


def test_template_pages_only_for_admin_and_hr(world, other_world, template, client_for):
    for key in ("legal", "finance", "manager", "employee"):
        c = client_for(world.users[key])
        assert c.get(reverse("workflows:template_list")).status_code == 403
        assert c.get(edit_url(template)).status_code == 403
        assert 'href="/processes/templates/"' not in c.get(reverse("workflows:tasks")).content.decode()
    hr = client_for(world.users["hr"])
    assert hr.get(reverse("workflows:template_list")).status_code == 200
    assert 'href="/processes/templates/"' in hr.get(reverse("workflows:tasks")).content.decode()
    other = client_for(other_world.users["admin"])
    assert other.get(edit_url(template)).status_code == 404
    assert other.post(edit_url(template), {**form_of(TWO), "op": "save"}).status_code == 404
    assert TemplateVersion.objects.filter(template=template).count() == 1


def test_tasks_page_acts_and_refuses_twice(world, template, client_for, start_for):
    instance = start_for("east_rep")
    step = Step.objects.get(instance=instance, key="manager")
    mgr = client_for(world.users["manager"])
    page = mgr.get(reverse("workflows:tasks")).content.decode()
    assert f'data-task="{step.pk}"' in page and "张测试" in page
    url = reverse("workflows:step_action", args=[step.pk, "act"])
    # Someone else's task: refused, nothing changed.
    resp = client_for(world.users["engineer"]).post(url, {"action": "approve"}, follow=True)
    assert "alert-danger" in resp.content.decode()
    assert Step.objects.get(pk=step.pk).state == "open"
    mgr.post(url, {"action": "approve", "note": "同意"})
    assert Step.objects.get(pk=step.pk).state == "done"
    again = mgr.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "alert-danger" in again
    assert Step.objects.filter(instance=instance, state="done").count() == 1
    assert client_for(other_world_user(world)).post(url, {"action": "approve"}).status_code in (302, 404)


def other_world_user(world: Any) -> Any:
    from tests.conftest import build_world

    return build_world("zz", "丙公司", 3).users["admin"]


def test_instance_page_pause_resume_and_durations(world, template, client_for, start_for):
    instance = start_for("east_rep")
    step = Step.objects.get(instance=instance, key="manager")
    hr = client_for(world.users["hr"])
    page = hr.get(reverse("workflows:instance_detail", args=[instance.pk])).content.decode()
    assert 'data-step="manager" data-state="open"' in page and "data-total" in page
    hr.post(reverse("workflows:step_action", args=[step.pk, "pause"]), {"reason": "等待员工补充材料"})
    page = hr.get(reverse("workflows:instance_detail", args=[instance.pk])).content.decode()
    assert 'data-state="paused"' in page and "等待员工补充材料" in page
    resp = hr.post(reverse("workflows:step_action", args=[step.pk, "resume"]), {"reason": ""}, follow=True)
    assert Step.objects.get(pk=step.pk).state == "paused"  # a reason is required
    hr.post(reverse("workflows:step_action", args=[step.pk, "resume"]), {"reason": "材料已收到"})
    assert Step.objects.get(pk=step.pk).state == "open"
    assert resp.status_code == 200


def test_task_link_redirects_to_the_step(world, template, client_for, start_for):
    instance = start_for("east_rep")
    step = Step.objects.get(instance=instance, key="manager")
    resp = client_for(world.users["manager"]).get(reverse("workflows:task", args=[step.pk]))
    assert resp.status_code == 302 and resp["Location"].endswith(f"/processes/{instance.pk}/#step-{step.pk}")
    assert client_for(world.users["engineer"]).get(reverse("workflows:task", args=[step.pk])).status_code == 404


def test_pages_query_count_is_constant(world, template, client_for, start_for, django_assert_max_num_queries):
    hr = client_for(world.users["hr"])
    mgr = client_for(world.users["manager"])
    ensure_default_templates(world.company)

    def load() -> None:
        for c, url in ((mgr, reverse("workflows:tasks")), (hr, reverse("workflows:instance_list")),
                       (hr, reverse("workflows:template_list")), (hr, edit_url(template))):
            assert c.get(url).status_code == 200

    start_for("east_rep")
    load()
    with django_assert_max_num_queries(60) as few:
        load()
    for _ in range(12):
        start_for("east_rep")
    with django_assert_max_num_queries(len(few.captured_queries)):
        load()


def test_act_errors_are_messages_not_500(world, template, client_for, start_for):
    instance = start_for("east_rep")
    step = Step.objects.get(instance=instance, key="manager")
    mgr = client_for(world.users["manager"])
    url = reverse("workflows:step_action", args=[step.pk, "act"])
    for body in ({"action": "reject"}, {"action": "nonsense"}, {"action": "delegate", "delegate_to": "nobody"},
                 {"action": "approve", "note": "x" * 900}):
        resp = mgr.post(url, body, follow=True)
        assert resp.status_code == 200 and "alert-danger" in resp.content.decode()
    assert Step.objects.get(pk=step.pk).state == "open"
    assert mgr.post(reverse("workflows:step_action", args=[step.pk, "bogus"])).status_code == 404
    assert services.KIND_ACTIONS  # the forms offer the engine's actions
