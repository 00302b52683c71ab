"""Pages and API of the non-compete follow-up: list with months paid/unpaid and next due (queries constant),
detail, start by hand, record a payment (page and API), permissions, the 工作台 section, Chinese text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .conftest import add_contract, make_former


def _agreement(world: Any, key: str, days_ago: int = 95) -> Any:
    from hrguard.noncompete import services

    emp = world.employees[key]
    add_contract(emp)
    make_former(emp, timezone.localdate() - dt.timedelta(days=days_ago))
    return services.start_agreement(actor=world.users["hr"], employee=emp, term_months=12, region="上海市",
                                    scope="同类业务", role="senior_manager", eligibility_reason="部门负责人")


def test_list_page_shows_months_paid_unpaid_and_next_due(world, started, client_for):
    resp = client_for(world.users["finance"]).get("/noncompete/")
    html = resp.content.decode()
    assert resp.status_code == 200 and "竞业限制跟进" in html
    assert f'data-agreement="{started.pk}"' in html
    row = html.split(f'data-agreement="{started.pk}"')[1].split("</tr>")[0]
    assert 'data-unpaid><span class="text-danger fw-semibold">3</span>' in row
    assert "data-paid>0<" in row
    nxt = started.months.get(seq=4).due_date
    assert f"data-next-due>{nxt:%Y-%m-%d}<" in row


def test_list_queries_do_not_grow_with_the_data(world, city_tables, client_for, django_assert_max_num_queries):
    c = client_for(world.users["hr"])
    _agreement(world, "engineer")
    with django_assert_max_num_queries(12) as one:
        assert c.get("/noncompete/").status_code == 200
    _agreement(world, "sales_rep", 60)
    _agreement(world, "east_rep", 200)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert c.get("/noncompete/").content.decode().count("data-agreement=") == 3


def test_detail_page_is_chinese_and_evidence_of_the_read(world, started, client_for):
    from hrguard.evidence.models import EvidenceEvent

    resp = client_for(world.users["hr"]).get(f"/noncompete/{started.pk}/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "按月履行计划" in html and "可以解除竞业限制约定" in html and 'data-may-cancel' in html
    assert 'id="release-form"' in html and "10800.00" in html
    for english in ("Monthly schedule", "Record payment", "Release the former employee", "Unpaid"):
        assert english not in html
    assert EvidenceEvent.objects.filter(action="noncompete.viewed").exists()


def test_record_payment_on_the_page(world, started, client_for):
    month = started.months.get(seq=1)
    c = client_for(world.users["finance"])
    resp = c.post(f"/noncompete/{started.pk}/months/{month.pk}/pay/",
                  {"paid_on": timezone.localdate().isoformat(), "amount": "3600.00"})
    assert resp.status_code == 302
    month.refresh_from_db()
    assert month.state == "paid"
    bad = c.post(f"/noncompete/{started.pk}/months/{month.pk}/pay/", {"paid_on": "soon", "amount": "1"}, follow=True)
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.content.decode()
    # finance may not release
    assert c.post(f"/noncompete/{started.pk}/release/", {"released_on": timezone.localdate().isoformat(),
                                                         "reason": "x", "channels": "email"}).status_code == 403


def test_start_by_hand_page(world, former, client_for):
    c = client_for(world.users["hr"])
    resp = c.get(f"/noncompete/start/?employee_no={former.employee_no}")
    assert resp.status_code == 302 and resp["Location"] == f"/noncompete/start/{former.pk}/"
    bad = c.post(f"/noncompete/start/{former.pk}/", {"term_months": "36", "region": "上海", "scope": "x",
                                                     "role": "senior_manager", "eligibility_reason": "y"})
    assert bad.status_code == 400 and "不得超过二年" in bad.content.decode()
    ok = c.post(f"/noncompete/start/{former.pk}/", {"term_months": "12", "region": "上海", "scope": "x",
                                                    "role": "senior_manager", "eligibility_reason": "y"})
    assert ok.status_code == 302
    assert client_for(world.users["finance"]).get(f"/noncompete/start/{former.pk}/").status_code == 404


def test_who_sees_what(world, other_world, started, client_for, api):
    for key in ("employee", "engineer", "manager", "legal", "hrbp"):
        assert client_for(world.users[key]).get("/noncompete/").status_code == 403, key
        assert client_for(world.users[key]).get(f"/noncompete/{started.pk}/").status_code == 404, key
        assert api(world.users[key]).get(f"/api/v1/noncompete/{started.pk}/").status_code == 404, key
    for key in ("hr", "finance", "admin"):
        assert client_for(other_world.users[key]).get(f"/noncompete/{started.pk}/").status_code == 404
        assert api(other_world.users[key]).get(f"/api/v1/noncompete/{started.pk}/").status_code == 404
        listed = api(other_world.users[key]).get("/api/v1/noncompete/").json()
        assert not (listed["results"] if isinstance(listed, dict) else listed)


def test_api_list_detail_and_payment(world, started, api):
    c = api(world.users["finance"])
    listed = c.get("/api/v1/noncompete/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [started.pk] and rows[0]["months_unpaid"] == 3
    detail = c.get(f"/api/v1/noncompete/{started.pk}/").json()
    assert len(detail["months"]) == 24 and detail["employee_may_cancel"] is True
    month = detail["months"][0]
    resp = c.post(f"/api/v1/noncompete/{started.pk}/payments/",
                  {"month": month["id"], "paid_on": timezone.localdate().isoformat(), "amount": "3600.00"},
                  format="json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["months"][0]["state"] == "paid" and resp.json()["employee_may_cancel"] is False
    bad = c.post(f"/api/v1/noncompete/{started.pk}/payments/", {"month": month["id"], "paid_on": "x",
                                                                "amount": "-1"}, format="json")
    assert bad.status_code == 400 and "fields" in bad.json()
    future = c.post(f"/api/v1/noncompete/{started.pk}/payments/", {
        "month": detail["months"][1]["id"], "paid_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "amount": "1"}, format="json")
    assert future.status_code == 400 and "paid_on" in future.json()["fields"]
    assert api(world.users["legal"]).post(f"/api/v1/noncompete/{started.pk}/payments/", {
        "month": month["id"], "paid_on": timezone.localdate().isoformat(), "amount": "1"},
        format="json").status_code == 404


def test_api_is_in_the_schema(world, api):
    schema = api(world.users["hr"]).get("/api/schema/?format=json").json()
    assert "/api/v1/noncompete/" in schema["paths"] and "/api/v1/noncompete/{id}/payments/" in schema["paths"]


def test_workbench_shows_the_offer_and_the_exit_page_links_to_it(world, staff, start, client_for):
    from hrguard.noncompete import offers

    add_contract(world.employees["east_rep"])
    ex = start(ground="art37")
    offer = offers.offer_for_exit(ex)
    home = client_for(world.users["hr"]).get("/").content.decode()
    assert 'data-alerts="noncompete"' in home and "竞业限制跟进" in home and f"/noncompete/{offer.pk}/" in home
    from hrguard.offboarding.models import Exit

    Exit.objects.filter(pk=ex.pk).update(state="completed")
    page = client_for(world.users["hr"]).get(f"/exits/{ex.pk}/").content.decode()
    assert 'id="noncompete-link"' in page
    assert client_for(world.users["hr"]).get(f"/noncompete/exit/{ex.pk}/")["Location"] == f"/noncompete/{offer.pk}/"
