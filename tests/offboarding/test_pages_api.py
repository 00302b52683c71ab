"""Request-level tests of the exit pages and /api/v1/exits/, the conversation and its link, the
interview's permission, and the dashboard's constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.offboarding.conftest import NOTICE

pytestmark = pytest.mark.django_db


def test_dashboard_lists_exits_with_blockers(world, staff, start, complaint, client_for):
    complaint()
    ex = start(ground="art37")
    resp = client_for(world.users["hr"]).get(reverse("offboarding:dashboard"))
    body = resp.content.decode()
    assert resp.status_code == 200 and f'data-exit="{ex.pk}"' in body
    assert "200,000" in body and "张测试" in body
    assert client_for(world.users["employee"]).get(reverse("offboarding:dashboard")).status_code == 403


def test_dashboard_query_count_is_constant(world, staff, start, complaint, client_for,
                                           django_assert_max_num_queries):
    from hrguard.core.models import Department
    from hrguard.offboarding import services
    from hrguard.people.inputs import apply_indexes
    from hrguard.people.models import Employee
    from tests.conftest import make_id

    client = client_for(world.users["hr"])
    start(ground="art37")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("offboarding:dashboard"))
    dept = Department.objects.get(company=world.company, name="华东组")
    for n in range(8):
        e = Employee(company=world.company, employee_no=f"X{n:03d}", name=f"测试{n}", department=dept,
                     hire_date=dt.date(2021, 1, 4), id_number=make_id(seq=f"{n:03d}"))
        apply_indexes(e)
        e.save()
        services.start_exit(actor=world.users["hr"], employee=e, kind="resignation", notice_date=NOTICE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        resp = client.get(reverse("offboarding:dashboard"))
    assert resp.content.decode().count("data-exit=") >= 9


def test_detail_page_shows_gates_law_panel_and_chinese(world, staff, start, complaint, client_for):
    c = complaint()
    ex = start(ground="art37")
    body = client_for(world.users["hr"]).get(reverse("offboarding:detail", args=[ex.pk])).content.decode()
    assert f"客户投诉 #{c.pk}" in body and "200,000" in body
    assert reverse("activity:complaint_detail", args=[c.pk]) in body
    assert "第37条" in body and "不得" in body  # what the company may not do
    subject = client_for(world.users["employee"]).get(reverse("offboarding:detail", args=[ex.pk]))
    assert subject.status_code == 200 and "gates-blocked" not in subject.content.decode()
    assert 'id="interview"' not in subject.content.decode()


def test_start_page_refuses_in_chinese_naming_the_article(world, staff, client_for):
    client = client_for(world.users["hr"])
    url = reverse("offboarding:start", args=[world.employees["east_rep"].pk])
    assert client.get(url).status_code == 200
    resp = client.post(url, {"kind": "no_fault", "ground": "art40_2", "notice_date": NOTICE.isoformat(),
                             "pay_in_lieu": "1", "protections": ["art42_4"]})
    body = resp.content.decode()
    assert resp.status_code == 400 and "第42条" in body and "第43条" in body
    resp = client.post(url, {"kind": "resignation", "ground": "art37", "notice_date": NOTICE.isoformat()})
    assert resp.status_code == 302


def test_self_service_page_says_the_company_cannot_refuse(world, staff, client_for):
    client = client_for(world.users["employee"])
    body = client.get(reverse("offboarding:mine")).content.decode()
    assert "不能拒绝" in body or "不得拒绝" in body
    resp = client.post(reverse("offboarding:mine"), {"notice_date": "2026-02-30"})
    assert resp.status_code == 400
    resp = client.post(reverse("offboarding:mine"), {"notice_date": NOTICE.isoformat(), "reason": "家庭原因"})
    assert resp.status_code == 302


def test_interview_is_hr_only(world, staff, start, client_for):
    from hrguard.core.models import User
    from hrguard.offboarding import interviews

    ex = start(ground="art37")
    interviews.record_interview(actor=world.users["hr"], exit_id=ex.pk, reasons=["career", "pay"], notes="想去券商总部")
    legal = world.users["legal"]
    assert legal.has_perm("offboarding.view_exit", ex) and not legal.has_perm("offboarding.view_interview", ex)
    assert interviews.interview_of(legal, ex) is None
    body = client_for(legal).get(reverse("offboarding:detail", args=[ex.pk])).content.decode()
    assert "想去券商总部" not in body
    from hrguard.evidence.models import EvidenceEvent

    ev = EvidenceEvent.objects.get(action="offboarding.interview_recorded")
    assert "想去券商总部" not in ev.record
    with pytest.raises(PermissionDenied):
        interviews.record_interview(actor=legal, exit_id=ex.pk, reasons=["pay"])
    with pytest.raises(ValidationError):
        interviews.record_interview(actor=world.users["hr"], exit_id=ex.pk, reasons=["nonsense"])
    assert User.objects.filter(pk=legal.pk).exists()


def test_conversation_messages_and_read_receipts_are_evidence(world, staff, start, client_for):
    from hrguard.evidence.models import EvidenceEvent
    from hrguard.offboarding import threads

    ex = start(ground="art37")
    msg = threads.post_message(actor=world.users["hr"], exit_id=ex.pk, body="请于本周五前完成客户交接。")
    assert EvidenceEvent.objects.filter(action="offboarding.message_posted").count() == 1
    client_for(world.users["employee"]).get(reverse("offboarding:detail", args=[ex.pk]))
    msg.refresh_from_db()
    assert msg.read_at is not None and msg.read_via == "app"
    assert EvidenceEvent.objects.filter(action="offboarding.messages_read").count() == 1
    reply = threads.post_message(actor=world.users["employee"], exit_id=ex.pk, body="收到")
    assert reply.from_employee


def test_link_reaches_the_thread_without_an_account(world, staff, start, client):
    from hrguard.offboarding import threads

    ex = start(ground="art37")
    threads.post_message(actor=world.users["hr"], exit_id=ex.pk, body="请回复是否同意交接安排。")
    issued = threads.issue_link(actor=world.users["hr"], exit_id=ex.pk, channels=["email"])
    resp = client.get(issued.url)
    assert resp.status_code == 200 and "请回复是否同意交接安排" in resp.content.decode()
    assert ex.messages.get().read_via == "link"
    resp = client.post(reverse("exit_thread:post", args=[issued.token]), {"body": "同意"})
    assert resp.status_code == 302 and ex.messages.filter(from_employee=True).count() == 1
    assert client.get(reverse("exit_thread:page", args=["x" * 32])).status_code == 404
    assert client.post(reverse("exit_thread:post", args=[issued.token]), {"body": ""}).status_code == 302
    with pytest.raises(PermissionDenied):
        threads.issue_link(actor=world.users["employee"], exit_id=ex.pk, channels=["email"])


def test_api_create_list_detail_and_errors(world, other_world, staff, complaint, api):
    api_client_for = api
    complaint()
    api = api_client_for(world.users["hr"])
    resp = api.post("/api/v1/exits/", {"employee": world.employees["east_rep"].pk, "kind": "no_fault",
                                       "ground": "art40_2", "notice_date": NOTICE.isoformat(),
                                       "protections": ["art42_3"], "pay_in_lieu": True}, format="json")
    assert resp.status_code == 400 and "第42条" in str(resp.json())
    resp = api.post("/api/v1/exits/", {"employee": world.employees["east_rep"].pk, "kind": "resignation",
                                       "notice_date": NOTICE.isoformat()}, format="json")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["last_day"] == (NOTICE + dt.timedelta(days=30)).isoformat()
    assert any(g["name"] == "open_complaints" and not g["ok"] for g in data["gates"]) and data["steps"]
    assert api.get("/api/v1/exits/").json()
    detail = api.get(f"/api/v1/exits/{data['id']}/")
    assert detail.status_code == 200 and detail.json()["items"]
    other = api_client_for(other_world.users["hr"])
    assert other.get(f"/api/v1/exits/{data['id']}/").status_code == 404
    assert other.post("/api/v1/exits/", {"employee": world.employees["east_rep"].pk, "kind": "resignation",
                                         "notice_date": NOTICE.isoformat()}, format="json").status_code == 404
    assert api.post("/api/v1/exits/", {"employee": "x"}, format="json").status_code == 400
    assert api.get("/api/v1/exits/abc/").status_code == 404
    schema = api.get("/api/schema/").content.decode()
    assert "/api/v1/exits/" in schema


def test_exit_risk_report_lists_the_complaint_and_the_exits_own_gates(world, staff, start, complaint, client_for):
    """离职风险报告 from the exit page: the complaint with its claimed loss (read by the report itself) and
    the handover the exit still waits for (registered by the exit app), never for the employee."""
    from hrguard.platform.pdf.poppler import extract_text, squash_whitespace

    complaint()
    ex = start(ground="art37")
    resp = client_for(world.users["hr"]).get(reverse("offboarding:risk_report", args=[ex.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = squash_whitespace(extract_text(resp.content))
    assert "张测试" in text and "200,000" in text
    assert "接收人尚未确认的交接事项与资产" in text  # the gate the exit app registers with the report
    assert client_for(world.users["employee"]).get(
        reverse("offboarding:risk_report", args=[ex.pk])).status_code in (403, 404)
    page = client_for(world.users["hr"]).get(reverse("offboarding:detail", args=[ex.pk])).content.decode()
    assert reverse("offboarding:risk_report", args=[ex.pk]) in page
