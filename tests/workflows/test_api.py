"""The process API: templates, instances, tasks and acting on them; errors in the API's format;
another company sees nothing."""

from __future__ import annotations

from typing import Any

import pytest

from hrguard.workflows import registry
from hrguard.workflows.models import Step

from .conftest import TWO_STEPS

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


def test_templates_are_created_validated_and_versioned(world: Any, other_world: Any, api: Any) -> None:
    admin = api(world.users["admin"])
    bad = admin.post(f"{BASE}/processes/templates/", {"key": "test.loop", "name": "环", "definition": {
        "stages": [{"key": "a", "name": "A", "kind": "task", "assignee": {"rule": "role", "role": "hr"},
                    "after": ["a"]}]}}, format="json")
    assert bad.status_code == 400 and bad.data["error"] == "invalid" and bad.data["fields"]["definition"]
    ok = admin.post(f"{BASE}/processes/templates/", {"key": "test.flow", "name": "测试", "definition": TWO_STEPS},
                    format="json")
    assert ok.status_code == 201 and ok.data["version"] == 1
    pk = ok.data["template"]["id"]
    again = admin.post(f"{BASE}/processes/templates/{pk}/versions/", {"definition": TWO_STEPS}, format="json")
    assert again.status_code == 201 and again.data["version"] == 2
    assert api(world.users["manager"]).post(f"{BASE}/processes/templates/{pk}/versions/",
                                            {"definition": TWO_STEPS}, format="json").status_code == 403
    listed = admin.get(f"{BASE}/processes/templates/").data["results"]
    assert [t["key"] for t in listed] == ["test.flow"]
    assert api(other_world.users["admin"]).get(f"{BASE}/processes/templates/{pk}/").status_code == 404
    assert api(other_world.users["admin"]).get(f"{BASE}/processes/templates/").data["results"] == []


def test_start_list_tasks_act_pause_resume(world: Any, other_world: Any, api: Any, make_template: Any) -> None:
    make_template()
    hr = api(world.users["hr"])
    started = hr.post(f"{BASE}/processes/instances/", {"template_key": "test.flow",
                                                      "employee": world.employees["east_rep"].pk}, format="json")
    assert started.status_code == 201, started.content
    assert [s["key"] for s in started.data["steps"]] == ["manager", "finance"]
    unknown = hr.post(f"{BASE}/processes/instances/", {"template_key": "no.such", "employee":
                                                      world.employees["east_rep"].pk}, format="json")
    assert unknown.status_code == 400
    manager = api(world.users["manager"])
    tasks = manager.get(f"{BASE}/tasks/").data["results"]
    assert [t["key"] for t in tasks] == ["manager"] and tasks[0]["employee_name"] == "张测试"
    pk = tasks[0]["id"]
    assert api(world.users["finance"]).post(f"{BASE}/tasks/{pk}/act/", {"action": "approve"},
                                            format="json").status_code == 403
    assert api(other_world.users["manager"]).post(f"{BASE}/tasks/{pk}/act/", {"action": "approve"},
                                                  format="json").status_code == 404
    assert manager.post(f"{BASE}/tasks/{pk}/act/", {"action": "fly"}, format="json").status_code == 400
    paused = manager.post(f"{BASE}/tasks/{pk}/pause/", {"reason": "等材料"}, format="json")
    assert paused.status_code == 200 and paused.data["state"] == "paused"
    assert manager.post(f"{BASE}/tasks/{pk}/resume/", {"reason": "已补"}, format="json").data["state"] == "open"
    done = manager.post(f"{BASE}/tasks/{pk}/act/", {"action": "approve", "note": "同意"}, format="json")
    assert done.status_code == 200 and done.data["state"] == "done"
    twice = manager.post(f"{BASE}/tasks/{pk}/act/", {"action": "approve"}, format="json")
    assert twice.status_code == 400 and Step.objects.filter(pk=pk, state="done").count() == 1
    detail = hr.get(f"{BASE}/processes/instances/{started.data['instance']['id']}/").data
    assert [s["state"] for s in detail["steps"]] == ["done", "open"] and len(detail["pauses"]) == 1
    assert api(other_world.users["hr"]).get(
        f"{BASE}/processes/instances/{started.data['instance']['id']}/").status_code == 404
    assert api(world.users["engineer"]).get(f"{BASE}/processes/instances/").data["results"] == []


def test_a_blocked_gate_answers_with_reasons_and_links(world: Any, api: Any, make_template: Any) -> None:
    @registry.fact("test_api_blockers", label="Blockers (API tests)")
    def blockers(ctx: registry.InstanceContext) -> registry.FactValue:
        return registry.FactValue(1, [registry.Reason("借款 #7 未还 — ¥5,000", "/activity/expenses/finance/")])

    make_template({"stages": [{"key": "ok", "name": "放行", "kind": "task", "assignee": {"rule": "role", "role": "hr"},
                               "gate": "test_api_blockers == 0"}]}, key="test.api_gate")
    hr = api(world.users["hr"])
    hr.post(f"{BASE}/processes/instances/", {"template_key": "test.api_gate",
                                            "employee": world.employees["east_rep"].pk}, format="json")
    task = hr.get(f"{BASE}/tasks/").data["results"][0]
    resp = hr.post(f"{BASE}/tasks/{task['id']}/act/", {"action": "complete"}, format="json")
    assert resp.status_code == 400 and resp.data["error"] == "blocked"
    assert resp.data["reasons"] == [{"text": "借款 #7 未还 — ¥5,000", "url": "/activity/expenses/finance/"}]


def test_the_schema_documents_the_process_endpoints(world: Any, api: Any) -> None:
    schema = api(world.users["hr"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"] if hasattr(schema, "json") else {}
    for path in ("/api/v1/processes/templates/", "/api/v1/processes/instances/", "/api/v1/tasks/",
                 "/api/v1/tasks/{id}/act/"):
        assert path in paths, path
    assert "400" in paths["/api/v1/tasks/{id}/act/"]["post"]["responses"]
