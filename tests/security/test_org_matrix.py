"""Who may shape the org structure (departments and positions: create, rename, move, delete, people), through
the settings page and the REST API alike — one service (``configuration.org``), one predicate
(``configuration.permissions.shapes_org_structure`` behind ``configuration.manage_org``): the company
administrator and HR may, every other role may not, and nobody reaches another company's tree. Every allowed
change leaves its evidence event; a refused one changes nothing and leaves none."""

from __future__ import annotations

from typing import Any

import pytest

from hrguard.core.models import Department, Position
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db

MAY = ("admin", "hr")
MAY_NOT = ("hrbp", "legal", "finance", "manager", "employee", "engineer")


def _events(world: Any, action: str) -> int:
    return EvidenceEvent.objects.filter(company=world.company, action=action).count()


def _page_calls(world: Any) -> list[tuple[str, str, dict[str, Any], str]]:
    """(label, URL, POST data, evidence action) for every structure change the settings page makes."""
    sales, east, rnd = world.depts["sales"].pk, world.depts["east"].pk, world.depts["rnd"].pk
    position = Position.objects.get(company=world.company).pk
    return [
        ("create", "/settings/org/department/", {"action": "create", "name": "法务部", "parent": sales},
         "department.created"),
        ("rename", "/settings/org/department/", {"action": "rename", "department": rnd, "name": "研发中心"},
         "department.renamed"),
        ("move", "/settings/org/department/", {"action": "move", "department": east, "parent": rnd},
         "department.moved"),
        ("people", "/settings/org/department/", {"action": "people", "department": rnd, "manager_no": "R001"},
         "department.people_set"),
        ("position", "/settings/org/position/", {"action": "save", "position": position, "name": "大客户经理",
                                                 "headcount": "2"}, "position.changed"),
        ("new position", "/settings/org/position/", {"action": "save", "name": "风控专员", "headcount": "1"},
         "position.created"),
    ]


def _snapshot(world: Any) -> list[tuple[Any, ...]]:
    depts = Department.objects.filter(company=world.company).order_by("pk")
    return [*depts.values_list("pk", "name", "parent_id", "path", "manager_id"),
            *Position.objects.filter(company=world.company).order_by("pk").values_list("pk", "name", "headcount")]


@pytest.mark.parametrize("role", MAY)
def test_admin_and_hr_shape_the_org_on_the_page_with_evidence(world, client_for, role):
    client = client_for(world.users[role])
    for label, url, data, action in _page_calls(world):
        before = _events(world, action)
        assert client.post(url, data).status_code == 302, label
        assert _events(world, action) == before + 1, label
    assert Department.objects.get(pk=world.depts["east"].pk).parent_id == world.depts["rnd"].pk
    dept = Department.objects.get(company=world.company, name="法务部")
    assert client.post("/settings/org/department/", {"action": "delete", "department": dept.pk}).status_code == 302
    assert not Department.objects.filter(pk=dept.pk).exists()
    assert EvidenceEvent.objects.filter(action="department.deleted", subject_id=str(dept.pk)).exists()


@pytest.mark.parametrize("role", MAY_NOT)
def test_other_roles_may_not_shape_the_org_on_the_page(world, client_for, role):
    client = client_for(world.users[role])
    before, events = _snapshot(world), EvidenceEvent.objects.count()
    for label, url, data, _action in _page_calls(world):
        assert client.post(url, data).status_code in (403, 404), (role, label)
    delete = {"action": "delete", "department": world.depts["east"].pk}
    assert client.post("/settings/org/department/", delete).status_code in (403, 404)
    assert _snapshot(world) == before and EvidenceEvent.objects.count() == events


@pytest.mark.parametrize("role", MAY)
def test_admin_and_hr_create_departments_and_positions_through_the_api(world, api, role):
    client = api(world.users[role])
    before = _events(world, "department.created")
    resp = client.post("/api/v1/departments/", {"name": f"{role}新部门", "parent": world.depts["sales"].pk,
                                                "cost_center": "CC-9"}, format="json")
    assert resp.status_code == 201, resp.content
    dept = Department.objects.get(pk=resp.json()["id"])
    assert dept.cost_center == "CC-9" and dept.parent_id == world.depts["sales"].pk
    assert _events(world, "department.created") == before + 1
    resp = client.post("/api/v1/positions/", {"name": f"{role}岗位", "headcount": 4, "department": dept.pk},
                       format="json")
    assert resp.status_code == 201 and resp.json()["headcount"] == 4
    assert EvidenceEvent.objects.filter(action="position.created", subject_id=str(resp.json()["id"])).exists()


@pytest.mark.parametrize("role", MAY_NOT)
def test_other_roles_may_not_create_through_the_api(world, api, role):
    client = api(world.users[role])
    before, events = _snapshot(world), EvidenceEvent.objects.filter(action__startswith="department.").count()
    assert client.post("/api/v1/departments/", {"name": "渗透"}, format="json").status_code == 403
    assert client.post("/api/v1/positions/", {"name": "渗透"}, format="json").status_code == 403
    assert _snapshot(world) == before
    assert EvidenceEvent.objects.filter(action__startswith="department.").count() == events


def test_the_api_and_the_page_refuse_the_same_bad_input(world, api, client_for):
    """The API answers with the page service's messages: one service behind both."""
    client = api(world.users["hr"])
    resp = client.post("/api/v1/departments/", {"name": "华东组", "parent": world.depts["sales"].pk}, format="json")
    assert resp.status_code == 400 and "name" in resp.json()["fields"]
    resp = client.post("/api/v1/departments/", {"name": "<b>x</b>"}, format="json")
    assert resp.status_code == 400 and "name" in resp.json()["fields"]
    resp = client.post("/api/v1/positions/", {"name": "客户经理"}, format="json")  # the fixture's position
    assert resp.status_code == 400 and "name" in resp.json()["fields"]


def test_nobody_shapes_another_companys_tree(world, other_world, api, client_for):
    b_sales = other_world.depts["sales"]
    for role in MAY:
        resp = api(world.users[role]).post("/api/v1/departments/", {"name": "越界", "parent": b_sales.pk},
                                           format="json")
        assert resp.status_code == 400 and "parent" in resp.json()["fields"]
        client_for(world.users[role]).post("/settings/org/department/",
                                           {"action": "rename", "department": b_sales.pk, "name": "改名"})
    assert Department.objects.get(pk=b_sales.pk).name == "销售部"
    assert not Department.objects.filter(name="越界").exists()
