"""Validation errors come from the services, as 400 with messages by field; nothing is saved."""

from __future__ import annotations

from hrguard.evidence.models import EvidenceEvent
from hrguard.people.models import Contract, Employee


def test_create_employee_errors_name_every_bad_field(world, api):
    resp = api(world.users["hr"]).post(
        "/api/v1/employees/",
        {
            "employee_no": "N001", "name": "", "id_number": "110105199003071234", "phone": "12345",
            "department": "不存在的部门", "hire_date": "2020-13-45", "email": "not-an-email",
        },
        format="json",
    )
    assert resp.status_code == 400
    body = resp.json()
    assert body["error"] == "invalid"
    assert {"name", "id_number", "phone", "department", "hire_date", "email"} <= set(body["fields"])
    assert all(isinstance(m, str) and m for msgs in body["fields"].values() for m in msgs)
    assert not Employee.objects.filter(employee_no="N001").exists()


def test_create_employee_succeeds_with_department_by_name(world, api, make_id_number):
    resp = api(world.users["hr"]).post(
        "/api/v1/employees/",
        {
            "employee_no": "N002", "name": "钱新人", "id_number": make_id_number(seq="777"), "phone": "13700001111",
            "department": "研发部", "position": "客户经理", "hire_date": "2024-06-03", "status": "probation",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    row = resp.json()
    assert row["department"] == {"id": world.depts["rnd"].pk, "name": "研发部"}
    assert row["phone"] == "137****1111"
    assert row["status"] == "probation"
    created = Employee.objects.get(pk=row["id"])
    assert created.phone == "13700001111" and created.department_path == world.depts["rnd"].path


def test_id_number_checksum_is_checked_like_on_the_pages(world, api, make_id_number):
    good = make_id_number(seq="555")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # same number, wrong GB 11643 check digit
    body = {"employee_no": "N003", "name": "校验", "department": "研发部", "hire_date": "2024-06-03"}
    hr = api(world.users["hr"])
    resp = hr.post("/api/v1/employees/", {**body, "id_number": bad}, format="json")
    assert resp.status_code == 400 and list(resp.json()["fields"]) == ["id_number"]
    assert hr.post("/api/v1/employees/", {**body, "id_number": good}, format="json").status_code == 201
    assert EvidenceEvent.objects.filter(action="employee.created", employee_id__isnull=False).count() == 1


def test_markup_and_duplicates_are_rejected_by_field(world, api):
    hr = api(world.users["hr"])
    resp = hr.patch(
        f"/api/v1/employees/{world.employees['sales_rep'].pk}/",
        {"address": "<script>alert(1)</script>", "employee_no": "S001"}, format="json",
    )
    assert resp.status_code == 400
    assert set(resp.json()["fields"]) == {"address", "employee_no"}
    for field, value in (("name", "<b>王</b>"), ("emergency_contact", "<img src=x onerror=alert(1)>")):
        resp = hr.post("/api/v1/employees/", {"employee_no": "N9", "name": "王", field: value}, format="json")
        assert resp.status_code == 400 and field in resp.json()["fields"], field
    assert not EvidenceEvent.objects.filter(action="employee.updated").exists()


def test_statutory_probation_limit_is_a_field_error_naming_the_article(world, api):
    """Six months' probation on a one-year contract: Art. 19 allows two. The message cites the article, in
    Chinese by default and in English for a client that chose English (the site's language cookie)."""
    body = {
        "employee": world.employees["east_rep"].pk, "contract_no": "HT-9", "contract_type": "fixed_term",
        "start_date": "2024-01-01", "end_date": "2024-12-31", "probation_months": "6", "wage": "8000",
        "work_location": "上海",
    }
    resp = api(world.users["hr"]).post("/api/v1/contracts/", body, format="json")
    assert resp.status_code == 400
    assert set(resp.json()["fields"]) == {"probation_months"}
    assert any("第十九条" in m for m in resp.json()["fields"]["probation_months"])
    english = api(world.users["hr"])
    english.cookies["django_language"] = "en"
    resp = english.post("/api/v1/contracts/", body, format="json")
    assert any("Art. 19" in m for m in resp.json()["fields"]["probation_months"])
    assert not Contract.objects.exists()
    assert resp.json()["detail"] == "Validation failed."


def test_malformed_bodies_and_query_parameters_are_400(world, api):
    hr = api(world.users["hr"])
    resp = hr.post("/api/v1/employees/", ["not", "an", "object"], format="json")
    assert resp.status_code == 400 and "non_field_errors" in resp.json()["fields"]
    resp = hr.get("/api/v1/employees/", {"department": "abc", "status": "retired"})
    assert resp.status_code == 400 and set(resp.json()["fields"]) == {"department", "status"}
    resp = hr.get("/api/v1/employees/", {"q": "a\x00b"})
    assert resp.status_code == 400 and "q" in resp.json()["fields"]
    resp = hr.get("/api/v1/contracts/", {"employee": str(2**70)})
    assert resp.status_code == 400 and "employee" in resp.json()["fields"]
    resp = hr.post(f"/api/v1/employees/{world.employees['east_rep'].pk}/lifecycle/", {"kind": "transfer"}, format="json")
    assert resp.status_code == 400 and "effective_date" in resp.json()["fields"]


def test_lifecycle_rule_errors_come_from_the_service(world, api):
    emp = world.employees["east_rep"]
    resp = api(world.users["hr"]).post(
        f"/api/v1/employees/{emp.pk}/lifecycle/",
        {"kind": "probation_passed", "effective_date": "2019-01-01"}, format="json",
    )
    assert resp.status_code == 400
    assert {"kind", "effective_date"} <= set(resp.json()["fields"])  # not on probation; before hire date


def test_filters_search_and_subtree(world, api):
    hr = api(world.users["hr"])

    def nos(params):
        return sorted(r["employee_no"] for r in hr.get("/api/v1/employees/", params).json()["results"])

    assert nos({"department": world.depts["sales"].pk}) == ["S001", "S002", "S003"]
    assert nos({"department": world.depts["east"].pk}) == ["S002"]
    assert nos({"q": "欧阳"}) == ["S003"]
    assert nos({"q": world.employees["engineer"].phone}) == ["R001"]  # exact mobile via blind index
    assert nos({"q": "S00", "department": world.depts["sales"].pk, "status": "active"}) == ["S001", "S002", "S003"]
    assert nos({"status": "left"}) == []
    assert nos({"position": world.employees["engineer"].position_id}) == ["R001", "S001", "S002", "S003"]


def test_pagination_links_without_count(world, api):
    hr = api(world.users["hr"])
    first = hr.get("/api/v1/employees/", {"page_size": 3}).json()
    assert set(first) == {"next", "previous", "page", "results"}
    assert first["previous"] is None and "page=2" in first["next"] and len(first["results"]) == 3
    second = hr.get(first["next"]).json()
    assert second["next"] is None and len(second["results"]) == 1
    assert "page=" not in second["previous"]
    seen = [r["employee_no"] for r in first["results"] + second["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 4


def test_nested_errors_are_flattened_to_field_paths(world, api):
    resp = api(world.users["hr"]).post(
        "/api/v1/contracts/",
        {"employee": world.employees["east_rep"].pk, "clauses": [{"template": 1}, {"template": "x", "is_key": "?"}]},
        format="json",
    )
    assert resp.status_code == 400
    fields = resp.json()["fields"]
    assert set(fields) == {"clauses[1].template", "clauses[1].is_key"}
    assert all(isinstance(m, str) for msgs in fields.values() for m in msgs)
