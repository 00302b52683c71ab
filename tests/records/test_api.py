"""Activity REST API: one error format, scoping, tenant isolation, the main writes, the OpenAPI schema."""

from __future__ import annotations

import io

import pytest
from rest_framework.test import APIClient

from hrguard.attendance.models import Punch
from hrguard.discipline import violations
from hrguard.discipline.models import Violation
from hrguard.leave.models import LeaveRequest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activity"


def api(user) -> APIClient:
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user)
    return c


def test_punch_batch_import_and_days(world):
    hr = api(world.users["hr"])
    resp = hr.post(f"{BASE}/punch-imports/batch/", {"punches": [
        {"employee_no": "S002", "time": "2025-03-03 09:07", "direction": "in"},
        {"employee_no": "S002", "time": "2025-03-03 18:02", "direction": "out"},
        {"employee_no": "S002", "time": "2025-03-03 18:02", "direction": "out"},
    ]}, format="json")
    assert resp.status_code == 201, resp.content
    assert (resp.data["inserted"], resp.data["duplicates"]) == (2, 1)
    days = hr.get(f"{BASE}/attendance-days/", {"start": "2025-03-03"}).data["results"]
    assert [(d["employee_no"], d["status"], d["late_minutes"]) for d in days] == [("S002", "late", 7)]


def test_punch_batch_errors_use_the_common_format_and_save_nothing(world):
    resp = api(world.users["hr"]).post(f"{BASE}/punch-imports/batch/", {"punches": [
        {"employee_no": "S002", "time": "2025-03-03 09:07"}, {"employee_no": "ZZZ", "time": "03/03 9am"},
    ]}, format="json")
    assert resp.status_code == 400
    assert resp.data["error"] == "invalid" and len(resp.data["fields"]["rows"]) == 2
    assert Punch.objects.count() == 0
    assert api(world.users["employee"]).post(f"{BASE}/punch-imports/batch/", {"punches": []},
                                             format="json").status_code in (400, 403)


def test_punch_file_upload_runs_as_a_background_job(world, django_capture_on_commit_callbacks):
    upload = io.BytesIO("工号,时间,类型\nS002,2025-03-03 08:59,上班\nS002,2025-03-03 18:00,下班\n".encode())
    upload.name = "p.csv"
    hr = api(world.users["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        resp = hr.post(f"{BASE}/punch-imports/", {"file": upload}, format="multipart")
    assert resp.status_code == 202
    job = hr.get(f"{BASE}/punch-import-jobs/{resp.data['id']}/")
    assert job.status_code == 200 and job.data["status"] == "done" and job.data["report"]["inserted"] == 2
    assert job.data["percent"] == 100
    assert api(world.users["admin"]).get(f"{BASE}/punch-import-jobs/{resp.data['id']}/").status_code == 404
    assert api(world.users["manager"]).get(f"{BASE}/punch-imports/").status_code == 403
    assert api(world.users["manager"]).get(f"{BASE}/punch-import-jobs/{resp.data['id']}/").status_code == 403
    elf = io.BytesIO(b"\x7fELF\x02\x01\x01" + bytes(64))
    elf.name = "p.csv"
    refused = hr.post(f"{BASE}/punch-imports/", {"file": elf}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.data["fields"]


def test_leave_request_flow_and_errors(world, other_world):
    emp = api(world.users["employee"])
    bad = emp.post(f"{BASE}/leave-requests/", {"leave_type": "sick", "start_date": "2025-03-05",
                                                "end_date": "2025-03-01"}, format="json")
    assert bad.status_code == 400 and "end_date" in bad.data["fields"]
    ok = emp.post(f"{BASE}/leave-requests/", {"leave_type": "sick", "start_date": "2025-03-03",
                                               "end_date": "2025-03-04", "reason": "感冒"}, format="json")
    assert ok.status_code == 201 and ok.data["days"] == "2.0"
    pk = ok.data["id"]
    overlap = emp.post(f"{BASE}/leave-requests/", {"leave_type": "personal", "start_date": "2025-03-04",
                                                    "end_date": "2025-03-04"}, format="json")
    assert overlap.status_code == 400 and "start_date" in overlap.data["fields"]
    assert api(world.users["engineer"]).post(f"{BASE}/leave-requests/{pk}/approve/").status_code == 404
    assert api(other_world.users["hr"]).post(f"{BASE}/leave-requests/{pk}/approve/").status_code == 404
    assert emp.post(f"{BASE}/leave-requests/{pk}/approve/").status_code == 403
    resp = api(world.users["manager"]).post(f"{BASE}/leave-requests/{pk}/approve/", {}, format="json")
    assert resp.status_code == 200 and resp.data["status"] == "approved"
    assert LeaveRequest.objects.get(pk=pk).status == "approved"
    assert resp.data["decided_by"] == "王经理" and resp.data["process"]
    assert api(world.users["engineer"]).get(f"{BASE}/leave-requests/").data["results"] == []


def test_violation_multipart_with_file_and_acknowledge(world, compliance):
    clause = violations.save_clause(compliance, world.company, {"code": "7.2", "title": "泄露客户信息"})
    upload = io.BytesIO(b"%PDF-1.4 chat")
    upload.name = "聊天记录.pdf"
    resp = api(compliance).post(f"{BASE}/violations/", {
        "employee": world.employees["east_rep"].pk, "clause": clause.pk, "occurred_on": "2025-03-02",
        "facts": "将客户名单发给外部人员", "files": [upload]}, format="multipart")
    assert resp.status_code == 201, resp.content
    assert resp.data["files"][0]["name"] == "聊天记录.pdf"
    pk = resp.data["id"]
    assert api(world.users["manager"]).post(f"{BASE}/violations/{pk}/decide/", {
        "decision": "warning", "decision_note": "x"}, format="json").status_code == 403
    api(compliance).post(f"{BASE}/violations/{pk}/decide/", {"decision": "serious_warning",
                                                              "decision_note": "严重违纪"}, format="json")
    resp = api(world.users["employee"]).post(f"{BASE}/violations/{pk}/acknowledge/", {"accept": False,
                                                                                   "ack_note": "不同意"}, format="json")
    assert resp.status_code == 200 and resp.data["ack"] == "refused"
    assert Violation.objects.get().ack == "refused"
    assert api(world.users["finance"]).get(f"{BASE}/violations/{pk}/").status_code == 404


def test_expense_claim_amount_errors_and_two_step_approval(world):
    emp = api(world.users["employee"])

    def receipt():
        f = io.BytesIO(b"\xff\xd8\xff\xe0 jpeg")
        f.name = "fapiao.jpg"
        return f

    bad = emp.post(f"{BASE}/expense-claims/", {"category": "meals", "spent_on": "2025-03-03", "amount": "-20",
                                                "description": "午餐", "files": [receipt()]}, format="multipart")
    assert bad.status_code == 400 and "amount" in bad.data["fields"]
    ok = emp.post(f"{BASE}/expense-claims/", {"category": "meals", "spent_on": "2025-03-03", "amount": "86.50",
                                               "description": "午餐", "files": [receipt()]}, format="multipart")
    assert ok.status_code == 201 and ok.data["amount"] == "86.50"
    pk = ok.data["id"]
    first = api(world.users["manager"]).post(f"{BASE}/expense-claims/{pk}/approve/").data
    assert first["status"] == "submitted" and first["waiting_for"] == ["财务"]
    assert api(world.users["finance"]).post(f"{BASE}/expense-claims/{pk}/approve/").data["status"] == "approved"


def test_kpi_weights_via_api(world):
    hr = api(world.users["hr"])
    cycle = hr.post(f"{BASE}/review-cycles/", {"name": "2025Q1", "start_date": "2025-01-01",
                                               "end_date": "2025-03-31"}, format="json").data
    body = {"cycle": cycle["id"], "employee": world.employees["east_rep"].pk,
            "kpis": [{"name": "销售额", "weight": "70"}, {"name": "客户留存", "weight": "20"}]}
    bad = hr.post(f"{BASE}/reviews/set-kpis/", body, format="json")
    assert bad.status_code == 400 and "kpis" in bad.data["fields"]
    body["kpis"][1]["weight"] = "30"
    ok = hr.post(f"{BASE}/reviews/set-kpis/", body, format="json")
    assert ok.status_code == 200 and [k["weight"] for k in ok.data["kpis"]] == ["70.00", "30.00"]


def test_schema_documents_activity_endpoints(world):
    resp = api(world.users["hr"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert resp.status_code == 200
    paths = resp.json()["paths"]
    for p in ("/api/v1/activity/leave-requests/", "/api/v1/activity/violations/{id}/acknowledge/",
              "/api/v1/activity/punch-imports/batch/", "/api/v1/activity/attendance-monthly/",
              "/api/v1/activity/advances/outstanding/", "/api/v1/activity/complaints/{id}/resolve/",
              "/api/v1/activity/punch-profiles/", "/api/v1/activity/discipline-reviews/{id}/close/"):
        assert p in paths, p
    assert "400" in paths["/api/v1/activity/leave-requests/"]["post"]["responses"]


def test_device_profile_saved_then_used_for_a_file(world, django_capture_on_commit_callbacks):
    hr = api(world.users["hr"])
    bad = hr.post(f"{BASE}/punch-profiles/", {"name": "中控", "employee_column": "工号", "datetime_format": "%Q"},
                  format="json")
    assert bad.status_code == 400 and {"datetime_column", "datetime_format"} <= set(bad.data["fields"])
    made = hr.post(f"{BASE}/punch-profiles/", {"name": "中控 iFace", "employee_column": "1", "date_column": "2",
                                               "time_column": "3", "has_header": False}, format="json")
    assert made.status_code == 201, made.content
    upload = io.BytesIO(b"S002,2025/03/03,08:58\nS002,2025/03/03,18:01\n")
    upload.name = "iface.csv"
    with django_capture_on_commit_callbacks(execute=True):
        resp = hr.post(f"{BASE}/punch-imports/", {"file": upload, "profile": made.data["id"]}, format="multipart")
    assert resp.status_code == 202
    assert hr.get(f"{BASE}/punch-import-jobs/{resp.data['id']}/").data["report"]["inserted"] == 2
    assert [p["name"] for p in hr.get(f"{BASE}/punch-profiles/").data["results"]] == ["中控 iFace"]
    assert api(world.users["manager"]).get(f"{BASE}/punch-profiles/").status_code == 403


def test_dismissal_review_listed_and_closed(world, compliance):
    clause = violations.save_clause(compliance, world.company, {"code": "5.3", "title": "私下与客户交易"})
    violations.save_rule(compliance, world.company, {"name": "两次违纪", "threshold": 2})
    for day in ("2025-03-03", "2025-03-10"):
        v = violations.record_violation(compliance, world.employees["east_rep"], {
            "clause": clause.pk, "occurred_on": day, "facts": "私下成交"})
        violations.decide(compliance, v, {"decision": "warning", "decision_note": "警告"})
    officer = api(compliance)
    rows = officer.get(f"{BASE}/discipline-reviews/", {"open": "true"}).data["results"]
    assert [(r["employee_no"], r["rule_name"], len(r["violation_ids"])) for r in rows] == [("S002", "两次违纪", 2)]
    assert api(world.users["employee"]).get(f"{BASE}/discipline-reviews/").data["results"] == []
    assert officer.post(f"{BASE}/discipline-reviews/{rows[0]['id']}/close/", {}, format="json").status_code == 400
    done = officer.post(f"{BASE}/discipline-reviews/{rows[0]['id']}/close/", {"outcome": "最后警告，不予解除"},
                        format="json")
    assert done.status_code == 200 and done.data["is_open"] is False
    again = officer.post(f"{BASE}/discipline-reviews/{rows[0]['id']}/close/", {"outcome": "x"}, format="json")
    assert again.status_code == 400 and "outcome" in again.data["fields"]
