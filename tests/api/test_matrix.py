"""The permission matrix of the API, written out per role and per record (not derived from the rules, so a
change of the rules that widens access shows up here): what each role may list, read, change, reveal, and
record, and that another company's objects are invisible (404) for every operation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hrguard.evidence.models import EvidenceEvent
from hrguard.people import contracts as contract_services
from hrguard.people.models import ClauseTemplate, Employee

ALL = {"sales_manager", "east_rep", "sales_rep", "engineer"}
SALES = {"sales_manager", "east_rep", "sales_rep"}

# Employees each role sees (list and detail). The manager runs 销售部 (incl. 华东组); the HR partner
# partners 研发部; "employee" is east_rep, "engineer" is engineer, "manager" is sales_manager.
SEES = {
    "hr": ALL, "admin": ALL, "legal": ALL, "manager": SALES, "hrbp": {"engineer"},
    "employee": {"east_rep"}, "engineer": {"engineer"}, "finance": set(),
}
# Whose record each role may change (any field, or — for oneself — contact details).
CHANGES = {
    "hr": ALL, "admin": ALL, "hrbp": {"engineer"}, "employee": {"east_rep"}, "engineer": {"engineer"},
    "manager": {"sales_manager"}, "legal": set(), "finance": set(),
}
# Whose sensitive fields each role may read unmasked (through reveal/).
REVEALS = {
    "hr": ALL, "admin": ALL, "employee": {"east_rep"}, "engineer": {"engineer"}, "manager": {"sales_manager"},
    "hrbp": set(), "legal": set(), "finance": set(),
}
# For whom each role may record a personnel change.
RECORDS = {"hr": ALL, "admin": ALL, "hrbp": {"engineer"}}
# Whose contracts each role sees.
CONTRACTS = {
    "hr": ALL, "admin": ALL, "hrbp": {"engineer"}, "employee": {"east_rep"}, "engineer": {"engineer"},
    "manager": {"sales_manager"}, "legal": set(), "finance": set(),
}
ROLES = sorted(SEES)


def expected_status(allowed: bool, visible: bool, ok: int = 200) -> int:
    """Allowed → ok; visible but not allowed → 403; not visible → 404 (existence is not disclosed)."""
    return ok if allowed else (403 if visible else 404)


@pytest.fixture
def signed(world: Any) -> dict[str, int]:
    """A contract (with one key clause) for every employee of the world; their ids by employee key."""
    hr = world.users["hr"]
    tpl = ClauseTemplate.objects.create(company=world.company, code="NC", title="竞业限制", body="……",
                                        category="non_compete")
    out = {}
    for key, emp in world.employees.items():
        contract = contract_services.create_contract(
            hr, emp, {"contract_no": f"HT-{key}", "contract_type": "open_ended", "start_date": dt.date(2021, 1, 4),
                      "wage": "9000", "work_location": "上海"}, [(tpl.pk, True)],
        )
        out[key] = contract.pk
    return out


@pytest.mark.parametrize("role", ROLES)
def test_employee_reads_per_role(world, api, role):
    client = api(world.users[role])
    listed = {r["id"] for r in client.get("/api/v1/employees/", {"page_size": 200}).json()["results"]}
    assert listed == {world.employees[k].pk for k in SEES[role]}
    for key, emp in world.employees.items():
        visible = key in SEES[role]
        assert client.get(f"/api/v1/employees/{emp.pk}/").status_code == (200 if visible else 404), key
        assert client.get(f"/api/v1/employees/{emp.pk}/lifecycle/").status_code == (200 if visible else 404), key


@pytest.mark.parametrize("role", ROLES)
def test_employee_writes_per_role(world, api, role):
    client = api(world.users[role])
    for key, emp in world.employees.items():
        visible = key in SEES[role]
        resp = client.patch(f"/api/v1/employees/{emp.pk}/", {"address": f"{role}路1号"}, format="json")
        assert resp.status_code == expected_status(key in CHANGES[role], visible), (key, resp.content)
        emp.refresh_from_db()
        assert (emp.address == f"{role}路1号") == (key in CHANGES[role]), key

        resp = client.post(f"/api/v1/employees/{emp.pk}/reveal/", {"field": "phone"}, format="json")
        assert resp.status_code == expected_status(key in REVEALS[role], visible), key
        if resp.status_code == 200:
            assert resp.json()["value"] == emp.phone

        resp = client.post(
            f"/api/v1/employees/{emp.pk}/lifecycle/",
            {"kind": "status_change", "status": "active", "effective_date": "2024-01-02"}, format="json",
        )
        assert resp.status_code == expected_status(key in RECORDS.get(role, set()), visible, 201), key
    # Every allowed unmasked read, and only those, is in the evidence log.
    reads = EvidenceEvent.objects.filter(action="sensitive.read", actor_id=world.users[role].pk)
    assert {e.employee_id for e in reads} == {world.employees[k].pk for k in REVEALS[role]}


@pytest.mark.parametrize("role", ROLES)
def test_contract_reads_and_writes_per_role(world, api, signed, role):
    client = api(world.users[role])
    listed = {r["id"] for r in client.get("/api/v1/contracts/").json()["results"]}
    assert listed == {signed[k] for k in CONTRACTS[role]}
    hr_only = role in ("hr", "admin")
    for key, contract_id in signed.items():
        visible = key in CONTRACTS[role]
        assert client.get(f"/api/v1/contracts/{contract_id}/").status_code == (200 if visible else 404), key
        assert client.get(f"/api/v1/contracts/{contract_id}/supplements/").status_code == (
            200 if visible else 404
        ), key
        resp = client.post(
            f"/api/v1/contracts/{contract_id}/supplements/",
            {"title": "补充", "body": "……", "effective_date": "2022-01-01"}, format="json",
        )
        assert resp.status_code == expected_status(hr_only, visible, 201), key


def test_company_b_never_sees_or_changes_company_a(world, other_world, api, signed):
    """Company B's administrator (sees everything in B) gets 404 for every object of company A, for reads and
    writes alike, and none of A's objects appear in any of B's lists."""
    b = api(other_world.users["admin"])
    emp = world.employees["east_rep"]
    contract_id = signed["east_rep"]
    clause_id = ClauseTemplate.objects.get(company=world.company).pk
    a_clause = world.employees["east_rep"].contracts.get().clauses.get().pk
    reads = [
        f"/api/v1/employees/{emp.pk}/", f"/api/v1/employees/{emp.pk}/lifecycle/",
        f"/api/v1/contracts/{contract_id}/", f"/api/v1/contracts/{contract_id}/supplements/",
        f"/api/v1/departments/{world.depts['sales'].pk}/", f"/api/v1/positions/{emp.position_id}/",
        f"/api/v1/clauses/{clause_id}/",
    ]
    for url in reads:
        resp = b.get(url)
        assert resp.status_code == 404, url
        assert resp.json() == {"error": "not_found", "detail": resp.json()["detail"]}
    writes = [
        ("patch", f"/api/v1/employees/{emp.pk}/", {"name": "改名"}),
        ("post", f"/api/v1/employees/{emp.pk}/reveal/", {"field": "id_number"}),
        ("post", f"/api/v1/employees/{emp.pk}/lifecycle/", {"kind": "termination", "effective_date": "2024-05-01"}),
        ("post", "/api/v1/contracts/", {"employee": emp.pk, "contract_no": "B-1", "contract_type": "open_ended",
                                        "start_date": "2024-01-01", "wage": "1", "work_location": "北京"}),
        ("post", f"/api/v1/contracts/{contract_id}/clause-key/", {"clause": a_clause, "is_key": False}),
        ("post", f"/api/v1/contracts/{contract_id}/supplements/",
         {"title": "x", "body": "y", "effective_date": "2024-01-01"}),
    ]
    for method, url, body in writes:
        assert getattr(b, method)(url, body, format="json").status_code == 404, url
    # Referring to A's department or position from B's writes is an unknown reference (400), never a link.
    resp = b.post("/api/v1/departments/", {"name": "渗透", "parent": world.depts["sales"].pk}, format="json")
    assert resp.status_code == 400 and "parent" in resp.json()["fields"]
    resp = b.post("/api/v1/positions/", {"name": "渗透", "department": world.depts["sales"].pk}, format="json")
    assert resp.status_code == 400 and "department" in resp.json()["fields"]
    resp = b.post("/api/v1/employees/", {"employee_no": "B9", "name": "新", "department": world.depts["sales"].pk,
                                         "hire_date": "2024-01-01"}, format="json")
    assert resp.status_code == 400 and "department" in resp.json()["fields"]
    # B's lists hold only B's objects.
    a_ids = {
        "employees": {e.pk for e in world.employees.values()}, "departments": {d.pk for d in world.depts.values()},
        "positions": {emp.position_id}, "contracts": set(signed.values()), "clauses": {clause_id},
    }
    for name, ids in a_ids.items():
        rows = b.get(f"/api/v1/{name}/", {"page_size": 200}).json()["results"]
        assert not {r["id"] for r in rows} & ids, name
    tree = b.get("/api/v1/departments/tree/").json()
    assert [node["name"] for node in tree] == ["总部"] and tree[0]["id"] == other_world.depts["root"].pk
    # Nothing of A changed; no evidence was written about A by B.
    emp.refresh_from_db()
    assert emp.name == "张测试" and emp.status == "active"
    assert not EvidenceEvent.objects.filter(company=world.company, actor_id=other_world.users["admin"].pk).exists()
    assert not Employee.objects.filter(company=world.company, employee_no="B9").exists()
