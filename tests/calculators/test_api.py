"""The calculators' API: stable paths, LAW.md examples, errors by field (Chinese by default), GET = POST,
permissions, tenancy, the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import give_wages, twelve_months

pytestmark = pytest.mark.django_db
COMP = "/api/v1/calculators/compensation/"
LAST = "/api/v1/calculators/last-day/"
NC = "/api/v1/calculators/non-compete/"


@pytest.mark.parametrize("body,amount", [
    ({"ground": "art36_employer", "service_months": 67, "monthly_wage": "12000", "local_average_wage": "9000"},
     "72000.00"),
    ({"ground": "art40_3", "service_months": 67, "monthly_wage": "12000", "local_average_wage": "9000",
      "notice_given": False}, "84000.00"),
    ({"ground": "art36_employer", "service_months": 67, "monthly_wage": "12000", "local_average_wage": "9000",
      "unlawful": True}, "144000.00"),
    ({"ground": "art40_2", "service_months": 176, "monthly_wage": "40000", "local_average_wage": "9000"},
     "324000.00"),
    ({"ground": "art40_2", "service_months": 176, "monthly_wage": "40000", "local_average_wage": "9000",
      "unlawful": True}, "648000.00"),
    ({"ground": "art40_2", "service_months": 176, "monthly_wage": "40000", "local_average_wage": "9000",
      "notice_given": False}, "364000.00"),
    ({"ground": "art36_employer", "service_months": 4, "monthly_wage": "8000"}, "4000.00"),
])
def test_law_md_examples(world: Any, api: Any, body: dict[str, Any], amount: str) -> None:
    r = api(world.users["hr"]).post(COMP, body, format="json")
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["result"]["amount"] == amount
    assert any(s["article"] == "《劳动合同法》第47条" for s in data["steps"])
    assert {"《劳动合同法》第47条"} <= {a["article"] for a in data["articles"]}


def test_noncompete_example_6_and_get_equals_post(world: Any, api: Any) -> None:
    c = api(world.users["legal"])
    posted = c.post(NC, {"months": 24, "average_monthly_wage": "12000"}, format="json").json()
    got = c.get(NC, {"months": 24, "average_monthly_wage": "12000"}).json()
    assert posted == got
    assert (posted["result"]["monthly"], posted["result"]["total"], posted["result"]["release_payment"]) == (
        "3600.00", "86400.00", "10800.00")


def test_last_day_and_its_bad_input(world: Any, api: Any) -> None:
    c = api(world.users["hr"])
    ok = c.post(LAST, {"notice_date": "2026-03-01"}, format="json").json()
    assert ok["result"]["last_day"] == "2026-03-31" and ok["result"]["notice_days"] == 30
    bad = c.post(LAST, {"notice_date": "2026-03-01", "proposed_last_day": "2026-02-27"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["fields"]["proposed_last_day"] == ["最后工作日不能早于通知日期"]


def test_missing_wage_months_named_in_fields(world: Any, api: Any) -> None:
    rep = world.employees["east_rep"]
    give_wages(rep, twelve_months((2026, 2))[2:], 9000)
    r = api(world.users["hr"]).post(COMP, {"employee": rep.pk, "end_date": "2026-03-15"}, format="json")
    assert r.status_code == 400
    message = r.json()["fields"]["wages"][0]
    assert "缺少以下月份的工资" in message and "2025-03" in message and "2025-04" in message


@pytest.mark.parametrize("body", [
    {"service_months": 12, "monthly_wage": "-1"},
    {"service_months": 12, "monthly_wage": "1e30"},
    {"service_months": -3, "monthly_wage": "100"},
    {"service_months": 12, "monthly_wage": "abc"},
    {"ground": "nope", "service_months": 12, "monthly_wage": "100"},
    {"start_date": "2026-01-01", "end_date": "2025-01-01", "monthly_wage": "100"},
    {"start_date": "0001-01-01", "end_date": "2025-01-01", "monthly_wage": "100"},
    {"monthly_wage": "100"},
    {"employee": 2**63, "end_date": "2026-01-01"},
])
def test_bad_input_is_400_by_field(world: Any, api: Any, body: dict[str, Any]) -> None:
    r = api(world.users["hr"]).post(COMP, body, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["error"] == "invalid" and r.json()["fields"]


def test_permissions_and_tenancy(world: Any, other_world: Any, api: Any) -> None:
    body = {"notice_date": "2026-03-01"}
    for role in ("employee", "manager", "finance"):
        assert api(world.users[role]).post(LAST, body, format="json").status_code == 403
    other = other_world.employees["east_rep"]
    r = api(world.users["hr"]).post(COMP, {"employee": other.pk, "end_date": "2026-01-01"}, format="json")
    assert r.status_code == 404
    assert api(world.users["admin"]).get("/api/v1/calculators/probation/", {
        "contract_type": "open_ended", "start_date": "2026-01-01"}).json()["result"]["max_months"] == 6


def test_annual_leave_from_employee(world: Any, api: Any) -> None:
    rep = world.employees["east_rep"]  # hired 2020-01-06, no earlier work recorded
    data = api(world.users["hr"]).get("/api/v1/calculators/annual-leave/", {"year": 2026, "employee": rep.pk}).json()
    assert data["result"]["yearly_days"] == 5 and data["result"]["days"] == 5


def test_schema_documents_paths_inputs_and_errors(world: Any, api: Any) -> None:
    schema = api(world.users["hr"]).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for name in ("compensation", "last-day", "non-compete", "probation", "annual-leave"):
        path = schema["paths"][f"/api/v1/calculators/{name}/"]
        assert {"get", "post"} <= set(path)
        assert {"200", "400", "403"} <= set(path["post"]["responses"])
        assert path["get"]["parameters"]
    schemas = schema["components"]["schemas"]
    inputs = next(v for k, v in schemas.items() if k.startswith("CompensationInput"))["properties"]
    assert {"ground", "employee", "monthly_wage", "local_average_wage", "notice_given", "unlawful"} <= set(inputs)
