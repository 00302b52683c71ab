"""Pages and the API of collection contacts: the phone form with the receiver's script, bad input named
in Chinese, the duplicate confirmation, the employee's answer page, HR's file page, the numbers page with
its chart data, refusals (403 + evidence), /api/v1/collection-contacts/ in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from hrguard.collection.models import Contact, LawyerLetter
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db


def _form(world: Any, **kw: Any) -> dict[str, Any]:
    data = {"employee": world.employees["east_rep"].pk, "channel": "call", "agency": "某某资产管理有限公司",
            "occurred_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "caller_number": "13800001111", "employee_named": "on"}
    data.update(kw)
    return data


def test_front_desk_form_shows_the_script_and_logs(world: Any, front_desk: Any, client_for: Any) -> None:
    client = client_for(front_desk)
    page = client.get("/collection/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "公司不提供任何员工信息" in html or "不提供" in html
    assert 'type="datetime-local"' in html and "Agency" not in html
    done = client.post("/collection/new/", _form(world), follow=True)
    assert done.status_code == 200 and Contact.objects.count() == 1
    assert "已记录" in done.content.decode()
    assert client.get("/collection/").status_code == 403  # logging is not reading


def test_missing_agency_and_time_are_named_in_chinese(world: Any, client_for: Any) -> None:
    client = client_for(world.users["hr"])
    page = client.post("/collection/new/", _form(world, agency="", occurred_at=""))
    assert page.status_code == 400
    html = page.content.decode()
    assert "请输入联系时间" in html and "此项为必填项" in html and not Contact.objects.exists()


def test_duplicate_is_offered_for_merge(world: Any, client_for: Any) -> None:
    client = client_for(world.users["hr"])
    client.post("/collection/new/", _form(world))
    page = client.post("/collection/new/", _form(world))
    assert page.status_code == 400 and 'id="duplicate"' in page.content.decode()
    first = Contact.objects.get()
    client.post("/collection/new/", _form(world, decision="merge", merge_into=first.pk))
    assert Contact.objects.count() == 1 and Contact.objects.get().repeats == 1


def test_employee_answers_on_their_page_and_cannot_open_the_log(world: Any, log: Any, client_for: Any) -> None:
    contact = log()
    client = client_for(world.users["employee"])
    page = client.get(f"/collection/{contact.file.case_id}/respond/")
    assert page.status_code == 200 and "某某资产" not in page.content.decode()
    client.post(f"/collection/{contact.file.case_id}/respond/", {"text": "已协商分期还款"})
    assert Contact.objects.get().responded_at is not None
    assert client.get("/collection/").status_code == 403
    assert client.get(f"/collection/{contact.file.case_id}/").status_code == 403
    assert client_for(world.users["engineer"]).get(f"/collection/{contact.file.case_id}/respond/").status_code == 403


def test_staff_without_permission_get_403_and_evidence(world: Any, log: Any, client_for: Any) -> None:
    contact = log()
    client = client_for(world.users["finance"])
    for url in ("/collection/", f"/collection/{contact.file.case_id}/", f"/collection/contacts/{contact.pk}/",
                "/collection/numbers/"):
        assert client.get(url).status_code == 403, url
    assert EvidenceEvent.objects.filter(action="collection.access_denied",
                                        actor_id=world.users["finance"].pk).count() == 4


def test_hr_file_page_letter_and_numbers(world: Any, log: Any, client_for: Any,
                                         django_assert_max_num_queries: Any) -> None:
    contact = log()
    client = client_for(world.users["hr"])
    page = client.get(f"/collection/{contact.file.case_id}/")
    assert page.status_code == 200 and "律师函" in page.content.decode()
    done = client.post(f"/collection/{contact.file.case_id}/letter/", {"agency": "某某资产管理有限公司"}, follow=True)
    assert "民法典" in done.content.decode()
    letter = LawyerLetter.objects.get()
    client.post(f"/collection/letters/{letter.pk}/delivery/", {"method": "ems", "reference": "EA1CN"})
    letter.refresh_from_db()
    assert letter.delivery_ref == "EA1CN"
    numbers = client.get("/collection/numbers/")
    html = numbers.content.decode()
    assert numbers.status_code == 200 and 'id="collection-chart"' in html
    data = json.loads(html.split('id="collection-chart" type="application/json">')[1].split("</script>")[0])
    assert sum(sum(s["data"]) for s in data["series"]) == 1
    for i in range(5):
        log(minutes_ago=200 + i, caller_number=f"1500000000{i}")
    with django_assert_max_num_queries(40):
        assert client.get("/collection/").status_code == 200
    zipped = client.get(f"/collection/package/?employee={world.employees['east_rep'].pk}")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"


def test_api_list_create_detail_and_schema(world: Any, front_desk: Any, api: Any) -> None:
    hr = api(world.users["hr"])
    body = {"employee": world.employees["east_rep"].pk, "occurred_at": timezone.now().isoformat(),
            "channel": "sms", "agency": "甲催收", "caller_number": "10690000"}
    made = api(front_desk).post("/api/v1/collection-contacts/", body, format="json")
    assert made.status_code == 201, made.content
    again = api(front_desk).post("/api/v1/collection-contacts/", body, format="json")
    assert again.status_code == 409 and again.json()["existing"] == made.json()["id"]
    assert api(front_desk).get("/api/v1/collection-contacts/").status_code == 403
    listed = hr.get("/api/v1/collection-contacts/")
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [made.json()["id"]]
    detail = hr.get(f"/api/v1/collection-contacts/{made.json()['id']}/")
    assert detail.status_code == 200 and detail.json()["agency"] == "甲催收"
    bad = hr.post("/api/v1/collection-contacts/", {**body, "agency": "", "caller_number": "1"}, format="json")
    assert bad.status_code == 400 and "agency" in json.dumps(bad.json())
    assert api(world.users["finance"]).get(f"/api/v1/collection-contacts/{made.json()['id']}/").status_code == 403
    schema = hr.get("/api/schema/?format=json").json()
    assert "/api/v1/collection-contacts/" in schema["paths"] and "/api/v1/collection-contacts/{id}/" in schema["paths"]
