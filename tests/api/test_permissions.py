"""The API applies the same scope and permissions as the pages: per role, per object, per company."""

from __future__ import annotations

import datetime as dt

import pytest

from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.selectors import decoded
from hrguard.people import contracts as contract_services
from hrguard.people.models import ClauseTemplate, Employee


def numbers(resp) -> set[str]:
    assert resp.status_code == 200, resp.content
    return {row["employee_no"] for row in resp.json()["results"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("hr", {"S001", "S002", "S003", "R001"}),
        ("admin", {"S001", "S002", "S003", "R001"}),
        ("legal", {"S001", "S002", "S003", "R001"}),
        ("manager", {"S001", "S002", "S003"}),  # the sales subtree, including 华东组
        ("hrbp", {"R001"}),  # partner of 研发部
        ("employee", {"S002"}),  # only themselves
        ("finance", set()),  # finance cannot list the roster
    ],
)
def test_roster_list_scope(world, other_world, api, role, expected):
    assert numbers(api(world.users[role]).get("/api/v1/employees/")) == expected


def test_company_a_never_sees_company_b(world, other_world, api):
    hr_a = api(world.users["hr"])
    theirs = other_world.employees["sales_rep"]
    # Both companies have an employee of that name; only company A's is found.
    found = hr_a.get("/api/v1/employees/", {"q": theirs.name}).json()["results"]
    assert [row["id"] for row in found] == [world.employees["sales_rep"].pk]
    every = {row["id"] for row in hr_a.get("/api/v1/employees/", {"page_size": 200}).json()["results"]}
    assert every == {e.pk for e in world.employees.values()}
    assert hr_a.get(f"/api/v1/employees/{theirs.pk}/").status_code == 404
    resp = hr_a.patch(f"/api/v1/employees/{theirs.pk}/", {"name": "改名"}, format="json")
    assert resp.status_code == 404
    assert hr_a.post(f"/api/v1/employees/{theirs.pk}/reveal/", {"field": "phone"}, format="json").status_code == 404
    assert hr_a.get(f"/api/v1/employees/{theirs.pk}/lifecycle/").status_code == 404
    assert hr_a.get(f"/api/v1/departments/{other_world.depts['sales'].pk}/").status_code == 404
    dept_ids = {d["id"] for d in hr_a.get("/api/v1/departments/").json()["results"]}
    assert dept_ids == {d.pk for d in world.depts.values()}
    theirs.refresh_from_db()
    assert theirs.name == "欧阳娜娜"
    assert not EvidenceEvent.objects.filter(action="sensitive.read").exists()


def test_retrieve_outside_scope_is_404(world, api):
    emp = world.employees
    employee = api(world.users["employee"])
    assert employee.get(f"/api/v1/employees/{emp['east_rep'].pk}/").status_code == 200
    assert employee.get(f"/api/v1/employees/{emp['sales_rep'].pk}/").status_code == 404
    manager = api(world.users["manager"])
    assert manager.get(f"/api/v1/employees/{emp['east_rep'].pk}/").status_code == 200
    assert manager.get(f"/api/v1/employees/{emp['engineer'].pk}/").status_code == 404
    assert api(world.users["finance"]).get(f"/api/v1/employees/{emp['east_rep'].pk}/").status_code == 404


def test_list_and_detail_mask_sensitive_values(world, api):
    emp = world.employees["east_rep"]
    client = api(world.users["hr"])
    for resp in (client.get("/api/v1/employees/"), client.get(f"/api/v1/employees/{emp.pk}/")):
        text = resp.content.decode()
        for employee in Employee.objects.filter(company=world.company):
            assert employee.phone not in text
            assert employee.id_number not in text
            assert employee.bank_account not in text
    row = client.get(f"/api/v1/employees/{emp.pk}/").json()
    assert row["phone"] == emp.phone[:3] + "****" + emp.phone[-4:]
    assert row["id_number"].endswith(emp.id_number[-4:]) and "*" in row["id_number"]


def test_reveal_returns_the_value_and_writes_evidence(world, api):
    emp = world.employees["east_rep"]
    before = EvidenceEvent.objects.filter(action="sensitive.read").count()
    resp = api(world.users["hr"]).post(f"/api/v1/employees/{emp.pk}/reveal/", {"field": "id_number"}, format="json")
    assert resp.status_code == 200
    assert resp.json() == {"field": "id_number", "value": emp.id_number}
    events = list(EvidenceEvent.objects.filter(action="sensitive.read").order_by("seq"))
    assert len(events) == before + 1
    event = events[-1]
    assert event.employee_id == emp.pk
    assert event.actor_id == world.users["hr"].pk
    assert decoded(event)["data"] == {"field": "id_number"}


def test_reveal_permissions(world, api):
    emp = world.employees
    # A manager sees the report's record but not unmasked sensitive data.
    resp = api(world.users["manager"]).post(
        f"/api/v1/employees/{emp['east_rep'].pk}/reveal/", {"field": "phone"}, format="json"
    )
    assert resp.status_code == 403
    # An employee may read their own.
    own = api(world.users["employee"]).post(
        f"/api/v1/employees/{emp['east_rep'].pk}/reveal/", {"field": "bank_account"}, format="json"
    )
    assert own.status_code == 200 and own.json()["value"] == emp["east_rep"].bank_account
    # An unknown field is a validation error naming the field.
    bad = api(world.users["hr"]).post(f"/api/v1/employees/{emp['east_rep'].pk}/reveal/", {"field": "name"}, format="json")
    assert bad.status_code == 400 and "field" in bad.json()["fields"]
    assert EvidenceEvent.objects.filter(action="sensitive.read").count() == 1


def test_updates_follow_object_permissions(world, api):
    emp = world.employees
    # HR changes any field; the change is evidenced.
    resp = api(world.users["hr"]).patch(f"/api/v1/employees/{emp['sales_rep'].pk}/", {"work_location": "杭州"}, format="json")
    assert resp.status_code == 200 and resp.json()["work_location"] == "杭州"
    assert EvidenceEvent.objects.filter(action="employee.updated", employee_id=emp["sales_rep"].pk).exists()
    # A manager sees a report but may not edit them.
    resp = api(world.users["manager"]).patch(f"/api/v1/employees/{emp['sales_rep'].pk}/", {"name": "X"}, format="json")
    assert resp.status_code == 403
    # An employee may change their own contact details only.
    own = api(world.users["employee"])
    resp = own.patch(f"/api/v1/employees/{emp['east_rep'].pk}/", {"phone": "13912345678"}, format="json")
    assert resp.status_code == 200 and resp.json()["phone"] == "139****5678"
    resp = own.patch(f"/api/v1/employees/{emp['east_rep'].pk}/", {"name": "自己改名"}, format="json")
    assert resp.status_code == 400 and "name" in resp.json()["fields"]
    assert own.patch(f"/api/v1/employees/{emp['sales_rep'].pk}/", {"phone": "13912345678"}, format="json").status_code == 404
    emp["east_rep"].refresh_from_db()
    assert emp["east_rep"].phone == "13912345678" and emp["east_rep"].name == "张测试"


def test_only_hr_creates_employees_departments_positions_clauses(world, api):
    for role in ("manager", "employee", "finance", "legal"):
        client = api(world.users[role])
        assert client.post("/api/v1/employees/", {"name": "新人"}, format="json").status_code == 403
        assert client.post("/api/v1/departments/", {"name": "新部门"}, format="json").status_code == 403
        assert client.post("/api/v1/positions/", {"name": "新岗位"}, format="json").status_code == 403
        assert client.post("/api/v1/clauses/", {"code": "X"}, format="json").status_code == 403
        assert client.get("/api/v1/clauses/").status_code == 403


def test_hr_creates_department_and_position_with_evidence(world, api):
    hr = api(world.users["hr"])
    resp = hr.post("/api/v1/departments/", {"name": "华南组", "parent": world.depts["sales"].pk}, format="json")
    assert resp.status_code == 201, resp.content
    dept = resp.json()
    assert dept["path"].startswith(world.depts["sales"].path) and dept["depth"] == 2
    assert EvidenceEvent.objects.filter(action="department.created", subject_id=str(dept["id"])).exists()
    dup = hr.post("/api/v1/departments/", {"name": "华南组", "parent": world.depts["sales"].pk}, format="json")
    assert dup.status_code == 400 and "name" in dup.json()["fields"]
    foreign = hr.post("/api/v1/departments/", {"name": "X", "parent": 10**12}, format="json")
    assert foreign.status_code == 400 and "parent" in foreign.json()["fields"]
    tree = hr.get("/api/v1/departments/tree/").json()
    sales = next(c for c in tree[0]["children"] if c["id"] == world.depts["sales"].pk)
    assert {c["name"] for c in sales["children"]} == {"华东组", "华南组"}
    resp = hr.post("/api/v1/positions/", {"name": "风控专员", "is_core": True, "headcount": 3}, format="json")
    assert resp.status_code == 201 and resp.json()["is_core"] is True
    assert EvidenceEvent.objects.filter(action="position.created").exists()


def test_lifecycle_list_and_record(world, api):
    emp = world.employees["east_rep"]
    hr = api(world.users["hr"])
    resp = hr.post(
        f"/api/v1/employees/{emp.pk}/lifecycle/",
        {"kind": "transfer", "effective_date": "2024-03-01", "department": world.depts["rnd"].pk, "note": "调岗"},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["kind"] == "transfer"
    emp.refresh_from_db()
    assert emp.department_id == world.depts["rnd"].pk
    assert EvidenceEvent.objects.filter(action="lifecycle.transfer", employee_id=emp.pk).exists()
    # The employee sees their own history; the manager no longer sees them (moved out of sales).
    own = api(world.users["employee"]).get(f"/api/v1/employees/{emp.pk}/lifecycle/")
    assert [row["kind"] for row in own.json()["results"]] == ["transfer"]
    assert api(world.users["manager"]).get(f"/api/v1/employees/{emp.pk}/lifecycle/").status_code == 404
    # The employee may not record changes of their own.
    resp = api(world.users["employee"]).post(
        f"/api/v1/employees/{emp.pk}/lifecycle/", {"kind": "termination", "effective_date": "2024-05-01"},
        format="json",
    )
    assert resp.status_code == 403


@pytest.fixture
def clause(world):
    return ClauseTemplate.objects.create(
        company=world.company, code="NC", title="竞业限制", body="……", category="non_compete", key_by_default=True
    )


def contract_body(employee, clause, **extra):
    return {
        "employee": employee.pk, "contract_no": "HT-001", "contract_type": "fixed_term",
        "start_date": "2024-01-01", "end_date": "2026-12-31", "probation_months": "3", "wage": "12000.00",
        "probation_wage": "10000", "work_location": "上海",
        "clauses": [{"template": clause.pk, "is_key": True}], **extra,
    }


def test_contracts_create_with_key_clause_and_scope(world, other_world, api, clause):
    emp = world.employees["east_rep"]
    hr = api(world.users["hr"])
    resp = hr.post("/api/v1/contracts/", contract_body(emp, clause), format="json")
    assert resp.status_code == 201, resp.content
    contract = resp.json()
    assert contract["probation_end_date"] == "2024-03-31"
    assert [(c["title"], c["is_key"]) for c in contract["clauses"]] == [("竞业限制", True)]
    assert EvidenceEvent.objects.filter(action="contract.created", employee_id=emp.pk).exists()
    # Unflag the key clause, add a supplementary agreement.
    clause_id = contract["clauses"][0]["id"]
    resp = hr.post(f"/api/v1/contracts/{contract['id']}/clause-key/", {"clause": clause_id, "is_key": False}, format="json")
    assert resp.status_code == 200 and resp.json()["clauses"][0]["is_key"] is False
    resp = hr.post(
        f"/api/v1/contracts/{contract['id']}/supplements/",
        {"title": "调薪协议", "body": "月工资调整为 13000 元。", "effective_date": "2025-01-01"}, format="json",
    )
    assert resp.status_code == 201
    assert [s["title"] for s in hr.get(f"/api/v1/contracts/{contract['id']}/supplements/").json()] == ["调薪协议"]
    # Who sees it: HR and the employee themselves; not the manager (no contract permission), not a colleague,
    # not the other company.
    assert [c["id"] for c in hr.get("/api/v1/contracts/", {"employee": emp.pk}).json()["results"]] == [contract["id"]]
    assert hr.get("/api/v1/contracts/", {"employee": world.employees["engineer"].pk}).json()["results"] == []
    own = api(world.users["employee"])
    assert [c["id"] for c in own.get("/api/v1/contracts/").json()["results"]] == [contract["id"]]
    for client in (api(world.users["manager"]), api(world.users["engineer"]), api(other_world.users["hr"])):
        assert client.get("/api/v1/contracts/").json()["results"] == []
        assert client.get(f"/api/v1/contracts/{contract['id']}/").status_code == 404
    # The employee may see but not change.
    resp = own.post(f"/api/v1/contracts/{contract['id']}/clause-key/", {"clause": clause_id, "is_key": True}, format="json")
    assert resp.status_code == 403


def test_contract_writes_refused_for_manager_and_other_company(world, other_world, api, clause):
    emp = world.employees["east_rep"]
    resp = api(world.users["manager"]).post("/api/v1/contracts/", contract_body(emp, clause), format="json")
    assert resp.status_code == 403
    resp = api(other_world.users["hr"]).post("/api/v1/contracts/", contract_body(emp, clause), format="json")
    assert resp.status_code == 404
    assert not emp.contracts.exists()


def test_listed_contracts_are_exactly_those_the_rules_allow(world, api, clause):
    for key, emp in world.employees.items():
        contract_services.create_contract(
            world.users["hr"], emp,
            {"contract_no": f"HT-{key}", "contract_type": "open_ended", "start_date": dt.date(2023, 1, 1),
             "wage": "9000", "work_location": "上海"},
        )
    for user in world.users.values():
        listed = {c["employee"] for c in api(user).get("/api/v1/contracts/").json()["results"]}
        allowed = {e.pk for e in world.employees.values() if user.has_perm("people.view_contracts", e)}
        assert listed == allowed, user.username
