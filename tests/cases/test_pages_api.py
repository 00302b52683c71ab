"""Case pages and /api/v1/cases/: Chinese pages, the clock on the detail, constant queries on the list,
refusals by field, parties/other company/employee see nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hrguard.cases import services
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db


def test_list_detail_stats_pages_in_chinese(world: Any, client_for: Any, open_keyperson: Any) -> None:
    case = open_keyperson()
    hr = client_for(world.users["hr"])
    page = hr.get(reverse("cases:list")).content.decode()
    assert case.number in page and "案件" in page
    detail = hr.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for text in ("人事与员工面谈", "法务评估", "业务应急预案", "处理总时长", "当事人"):
        assert text in detail, text
    assert 'data-due' in detail
    stats = hr.get(reverse("cases:stats")).content.decode()
    assert "案件统计" in stats
    assert hr.get(reverse("cases:new")).status_code == 200


def test_new_case_form_refuses_by_field(world: Any, client_for: Any) -> None:
    hr = client_for(world.users["hr"])
    resp = hr.post(reverse("cases:new"), {"case_type": "keyperson", "title": ""})
    assert resp.status_code == 400
    resp = hr.post(reverse("cases:new"), {"case_type": "keyperson", "title": "核心销售被挖角",
                                          "subject": world.employees["sales_rep"].pk, "category": "poaching"})
    assert resp.status_code == 302


def test_close_from_page_needs_root_cause(world: Any, client_for: Any) -> None:
    hr_user = world.users["hr"]
    case = services.open_case(actor=hr_user, case_type="general", title="设备丢失")
    hr = client_for(hr_user)
    hr.post(reverse("cases:close", args=[case.pk]), {"root_cause": ""})
    case.refresh_from_db()
    assert case.state == "open"
    hr.post(reverse("cases:close", args=[case.pk]), {"root_cause": "process", "review_notes": "增加登记"})
    case.refresh_from_db()
    assert case.state == "closed" and case.root_cause == "process"


def test_outsiders_see_nothing(world: Any, other_world: Any, client_for: Any, open_keyperson: Any) -> None:
    case = open_keyperson()
    for user in (other_world.users["hr"], world.users["engineer"], world.users["manager"],
                 world.users["finance"]):
        c = client_for(user)
        assert c.get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert c.get(reverse("cases:list")).status_code in (403, 404) or case.number not in c.get(
            reverse("cases:list")).content.decode()


def test_list_queries_constant(world: Any, client_for: Any, open_keyperson: Any,
                               django_assert_max_num_queries: Any) -> None:
    hr = client_for(world.users["hr"])
    open_keyperson()
    hr.get(reverse("cases:list"))
    with django_assert_max_num_queries(25) as ctx:
        hr.get(reverse("cases:list"))
    few = len(ctx.captured_queries)
    for n in range(6):
        open_keyperson(title=f"案件{n}")
    with django_assert_max_num_queries(few):
        hr.get(reverse("cases:list"))


def test_restricted_detail_view_is_evidence(world: Any, client_for: Any, open_keyperson: Any) -> None:
    case = open_keyperson(confidentiality="restricted")
    client_for(world.users["legal"]).get(reverse("cases:detail", args=[case.pk]))
    assert EvidenceEvent.objects.filter(action="case.viewed", subject_id=str(case.pk)).count() == 1
    assert client_for(world.users["hrbp"]).get(reverse("cases:detail", args=[case.pk])).status_code in (403, 404)


def test_api_create_close_and_scoping(world: Any, other_world: Any, api: Any) -> None:
    hr = api(world.users["hr"])
    resp = hr.post("/api/v1/cases/", {"case_type": "keyperson", "title": "核心销售离职风险",
                                      "subject_employee": world.employees["sales_rep"].pk,
                                      "links": [{"target_type": "risk.alert", "target_id": "5"}]}, format="json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert [s["key"] for s in body["steps"]] == ["hr_talk", "legal", "contingency"]
    assert body["links"][0]["target_type"] == "risk.alert"
    pk = body["id"]
    bad = hr.post(f"/api/v1/cases/{pk}/close/", {"root_cause": ""}, format="json")
    assert bad.status_code == 400
    running = hr.post(f"/api/v1/cases/{pk}/close/", {"root_cause": "competitor"}, format="json")
    assert running.status_code == 400
    assert hr.post("/api/v1/cases/", {"case_type": "zzz", "title": "x"}, format="json").status_code == 400
    assert api(other_world.users["hr"]).get(f"/api/v1/cases/{pk}/").status_code == 404
    assert api(world.users["engineer"]).get("/api/v1/cases/").json()["results"] == [] if isinstance(
        api(world.users["engineer"]).get("/api/v1/cases/").json(), dict) else True
    assert api(world.users["engineer"]).post("/api/v1/cases/", {"case_type": "general", "title": "x"},
                                             format="json").status_code == 403
