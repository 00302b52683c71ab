"""The department tree and positions on the settings pages (services and a few requests)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.configuration import org
from hrguard.core.models import Department, Position
from hrguard.evidence.models import EvidenceEvent
from hrguard.people.models import Employee

pytestmark = pytest.mark.django_db


def test_create_rename_and_delete_an_empty_department(world):
    admin = world.users["admin"]
    dept = org.create_department(actor=admin, name="市场部", parent_id=world.depts["root"].pk, code="MKT")
    assert dept.path == f"{world.depts['root'].path}{dept.pk}/"
    org.rename_department(actor=admin, department_id=dept.pk, name="品牌市场部")
    assert Department.objects.get(pk=dept.pk).name == "品牌市场部"
    org.delete_department(actor=admin, department_id=dept.pk)
    assert not Department.objects.filter(pk=dept.pk).exists()
    actions = list(EvidenceEvent.objects.filter(subject_id=str(dept.pk), action__startswith="department.")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["department.created", "department.renamed", "department.deleted"]


def test_bad_names_are_refused_with_field_errors(world):
    admin = world.users["admin"]
    for name in ("", "  ", "x" * 101, "销售部\x00"):
        with pytest.raises(ValidationError) as exc:
            org.create_department(actor=admin, name=name, parent_id=world.depts["root"].pk)
        assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        org.create_department(actor=admin, name="销售部", parent_id=world.depts["root"].pk)  # sibling exists
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError):
        org.create_department(actor=admin, name="新部门", parent_id="not-a-number")


def test_move_refuses_cycles_and_carries_the_employees_scope(world):
    admin = world.users["admin"]
    sales, east, rnd = world.depts["sales"], world.depts["east"], world.depts["rnd"]
    for target in (sales, east):
        with pytest.raises(ValidationError) as exc:
            org.move_department(actor=admin, department_id=sales.pk, parent_id=target.pk)
        assert "parent" in exc.value.message_dict
    org.move_department(actor=admin, department_id=east.pk, parent_id=rnd.pk)
    east = Department.objects.get(pk=east.pk)
    assert east.path.startswith(rnd.path)
    rep = Employee.objects.get(pk=world.employees["east_rep"].pk)
    assert rep.department_path.startswith(rnd.path)


def test_delete_refuses_a_department_that_is_not_empty(world):
    admin = world.users["admin"]
    for key in ("sales", "east"):  # children / employees
        with pytest.raises(ValidationError):
            org.delete_department(actor=admin, department_id=world.depts[key].pk)
    empty = org.create_department(actor=admin, name="空部门", parent_id=None)
    org.save_position(actor=admin, data={"name": "专员", "department": empty.pk})
    with pytest.raises(ValidationError) as exc:
        org.delete_department(actor=admin, department_id=empty.pk)
    assert "岗位" in str(exc.value.message_dict["department"])


def test_manager_and_hr_partner(world):
    admin, rnd = world.users["admin"], world.depts["rnd"]
    org.set_department_people(actor=admin, department_id=rnd.pk, manager_no="R001", hrbp_id=world.users["hrbp"].pk)
    rnd = Department.objects.get(pk=rnd.pk)
    assert rnd.manager == world.employees["engineer"] and rnd.hrbp == world.users["hrbp"]
    with pytest.raises(ValidationError) as exc:
        org.set_department_people(actor=admin, department_id=rnd.pk, manager_no="NOPE",
                                  hrbp_id=world.users["finance"].pk)
    assert set(exc.value.message_dict) == {"manager", "hrbp"}
    org.set_department_people(actor=admin, department_id=rnd.pk)
    assert Department.objects.get(pk=rnd.pk).manager is None


def test_positions_with_the_core_flag(world):
    admin = world.users["admin"]
    pos = org.save_position(actor=admin, data={"name": "算法工程师", "is_core": True, "headcount": "3",
                                                "department": world.depts["rnd"].pk})
    assert pos.is_core and pos.headcount == 3
    org.save_position(actor=admin, position_id=pos.pk, data={"name": "算法工程师", "is_core": False, "headcount": 4})
    assert not Position.objects.get(pk=pos.pk).is_core
    with pytest.raises(ValidationError) as exc:
        org.save_position(actor=admin, data={"name": "客户经理", "headcount": "-1"})
    assert set(exc.value.message_dict) == {"name", "headcount"}
    held = Position.objects.get(company=world.company, name="客户经理")
    with pytest.raises(ValidationError):
        org.delete_position(actor=admin, position_id=held.pk)
    org.delete_position(actor=admin, position_id=pos.pk)
    assert not Position.objects.filter(pk=pos.pk).exists()


def test_only_admins_and_hr_change_the_tree_and_never_another_companys(world, other_world):
    for key in ("hrbp", "legal", "finance", "manager", "employee"):
        with pytest.raises(PermissionDenied):
            org.create_department(actor=world.users[key], name="X")
    admin = world.users["admin"]
    b_sales = other_world.depts["sales"]
    for call in (
        lambda: org.rename_department(actor=admin, department_id=b_sales.pk, name="改名"),
        lambda: org.move_department(actor=admin, department_id=world.depts["east"].pk, parent_id=b_sales.pk),
        lambda: org.delete_department(actor=admin, department_id=other_world.depts["east"].pk),
        lambda: org.set_department_people(actor=admin, department_id=world.depts["rnd"].pk,
                                          hrbp_id=other_world.users["hrbp"].pk),
        lambda: org.delete_position(actor=admin, position_id=Position.objects.get(company=other_world.company).pk),
    ):
        with pytest.raises(ValidationError):
            call()
    assert Department.objects.get(pk=b_sales.pk).name == "销售部"


def test_org_page_for_admin_and_hr(world, client_for, django_assert_max_num_queries):
    admin = client_for(world.users["admin"])
    with django_assert_max_num_queries(14):
        page = admin.get(f"/settings/org/?dept={world.depts['sales'].pk}")
    body = page.content.decode()
    assert page.status_code == 200 and "华东组" in body and 'name="action" value="move"' in body
    hr = client_for(world.users["hr"])
    page = hr.get(f"/settings/org/?dept={world.depts['sales'].pk}")
    assert page.status_code == 200 and 'value="move"' in page.content.decode()
    assert hr.post("/settings/org/department/", {"action": "create", "name": "人事新建"}).status_code == 302
    assert Department.objects.filter(company=world.company, name="人事新建").exists()
    resp = admin.post("/settings/org/department/", {"action": "move", "department": world.depts["sales"].pk,
                                                    "parent": world.depts["east"].pk}, follow=True)
    assert "部门不能移动到自身或其下级部门之下" in resp.content.decode()


def test_org_page_queries_do_not_grow_with_the_tree(world, client_for, django_assert_max_num_queries):
    admin = world.users["admin"]
    parent = world.depts["root"].pk
    for i in range(30):
        parent = org.create_department(actor=admin, name=f"第{i}层", parent_id=parent).pk
        org.save_position(actor=admin, data={"name": f"岗位{i}", "department": parent})
    client = client_for(admin)
    with django_assert_max_num_queries(14):
        assert client.get(f"/settings/org/?dept={parent}").status_code == 200
