"""Activity pages: request-level checks (permissions, scoping, the main flows, exports)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hrguard.attendance import importer
from hrguard.attendance.models import Punch
from hrguard.core.models import ImportJob
from hrguard.discipline import complaints, violations
from hrguard.discipline.models import ClientComplaint, Violation
from hrguard.leave import services as leave_services
from hrguard.records.excel import workbook
from hrguard.records.models import Attachment

from .conftest import csv_bytes

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = [pytest.mark.django_db]


def test_pages_require_login(client):
    for name in ("activity:attendance_daily", "activity:my_leave", "activity:violation_list", "activity:finance"):
        resp = client.get(reverse(name))
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_hr_imports_a_file_and_sees_the_report(world, django_capture_on_commit_callbacks, client_for):
    c = client_for(world.users["hr"])
    page = c.get(reverse("activity:attendance_import"))
    assert page.status_code == 200
    profile = re.search(r'<option value="(\d+)"', page.content.decode()).group(1)
    data = csv_bytes(["S002,2025-03-03 09:20,上班", "S002,2025-03-03 18:00,下班", "S002,2025-03-03 18:00,下班"])
    upload = io.BytesIO(data)
    upload.name = "march.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the hand-off to the (immediate) worker
        resp = c.post(reverse("activity:attendance_import"), {"profile": profile, "file": upload})
    assert resp.status_code == 302
    page = c.get(resp["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-report="inserted">2<' in html and 'data-report="duplicates">1<' in html
    partial = c.get(resp["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "hx-trigger" not in partial and 'data-status="done"' in partial
    daily = c.get(reverse("activity:attendance_daily"), {"date": "2025-03-03", "status": "late"}).content.decode()
    assert 'data-employee="S002" data-status="late"' in daily and 'data-employee="R001"' not in daily


def test_import_errors_are_listed_and_nothing_saved(world, django_capture_on_commit_callbacks, client_for):
    c = client_for(world.users["hr"])
    profile = importer.get_default_profile(world.company)
    upload = io.BytesIO(csv_bytes(["NOPE,2025-03-03 09:20,上班"]))
    upload.name = "bad.csv"
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(reverse("activity:attendance_import"), {"profile": profile.pk, "file": upload})
    html = c.get(resp["Location"]).content.decode()
    assert "NOPE" in html and "import-failure" in html and "import-report" not in html
    assert not Punch.objects.filter(company=world.company).exists()


def test_a_program_named_csv_is_refused_at_upload(world, client_for):
    c = client_for(world.users["hr"])
    profile = importer.get_default_profile(world.company)
    upload = io.BytesIO(b"\x7fELF\x02\x01\x01" + bytes(200))
    upload.name = "march.csv"
    resp = c.post(reverse("activity:attendance_import"), {"profile": profile.pk, "file": upload})
    assert resp.status_code == 422 and "march.csv" in resp.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("key", ["employee", "manager", "finance"])
def test_only_hr_reaches_the_import_page(world, key, client_for):
    assert client_for(world.users[key]).get(reverse("activity:attendance_import")).status_code == 403


def test_daily_view_is_scoped(world, other_world, client_for):
    importer.import_file(world.users["hr"], world.company, importer.get_default_profile(world.company),
                         csv_bytes(["S002,2025-03-03 09:00,", "S002,2025-03-03 18:00,"]), "a.csv")
    url = reverse("activity:attendance_daily") + "?date=2025-03-03"
    rows = {k: set(re.findall(r'data-employee="(\w+)"', client_for(u).get(url).content.decode()))
            for k, u in [("employee", world.users["employee"]), ("manager", world.users["manager"]),
                         ("hr", world.users["hr"]), ("other", other_world.users["hr"])]}
    assert rows["employee"] == {"S002"}
    assert rows["manager"] == {"S001", "S002", "S003"}
    assert rows["hr"] == {"S001", "S002", "S003", "R001"}
    assert rows["other"] == set()


def test_employee_requests_sick_leave_and_manager_approves(world, client_for):
    emp_client = client_for(world.users["employee"])
    resp = emp_client.post(reverse("activity:my_leave"), {
        "leave_type": "sick", "start_date": "2025-03-03", "end_date": "2025-03-04", "reason": "发烧"})
    assert resp.status_code == 302
    mgr = client_for(world.users["manager"])
    page = mgr.get(reverse("activity:leave_approvals")).content.decode()
    pk = int(re.search(r'data-request="(\d+)"', page).group(1))
    assert client_for(world.users["engineer"]).post(
        reverse("activity:leave_decide", args=[pk]), {"action": "approve"}).status_code == 404
    mgr.post(reverse("activity:leave_decide", args=[pk]), {"action": "approve"})
    assert world.employees["east_rep"].leave_requests.get().status == "approved"


def test_violation_page_flow_with_file_and_acknowledgement(world, compliance, client_for):
    clause = violations.save_clause(compliance, world.company, {"code": "3.1", "title": "迟到早退"})
    c = client_for(compliance)
    upload = io.BytesIO(b"%PDF-1.4 x")
    upload.name = "签到表.pdf"
    resp = c.post(reverse("activity:violation_create"), {
        "employee_no": "S002", "clause": clause.pk, "occurred_on": "2025-03-03", "facts": "连续三天迟到",
        "files": upload})
    v = Violation.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("activity:violation_detail", args=[v.pk])
    detail = c.get(resp["Location"]).content.decode()
    assert "签到表.pdf" in detail
    c.post(reverse("activity:violation_action", args=[v.pk, "decide"]),
           {"decision": "warning", "decision_note": "书面警告"})
    emp = client_for(world.users["employee"])
    assert 'id="ack-form"' in emp.get(reverse("activity:violation_detail", args=[v.pk])).content.decode()
    emp.post(reverse("activity:violation_action", args=[v.pk, "acknowledge"]), {"accept": "yes", "ack_note": "知悉"})
    assert Violation.objects.get().ack == "acknowledged"
    att = Attachment.objects.get(owner_type="violation", owner_id=v.pk)
    assert c.get(reverse("activity:attachment", args=[att.pk])).status_code == 200
    for key in ("engineer", "finance"):
        other = client_for(world.users[key])
        assert other.get(reverse("activity:violation_detail", args=[v.pk])).status_code == 404
        assert other.get(reverse("activity:attachment", args=[att.pk])).status_code == 404


def test_complaints_hidden_from_the_employee_and_other_company(world, other_world, compliance, client_for):
    complaint = complaints.record_complaint(compliance, world.employees["east_rep"], {
        "client": "陈先生", "received_on": "2025-03-01", "claimed_loss": "500", "facts": "服务态度"})
    url = reverse("activity:complaint_detail", args=[complaint.pk])
    assert client_for(world.users["manager"]).get(url).status_code == 200
    assert client_for(world.users["employee"]).get(url).status_code == 404
    assert client_for(other_world.users["hr"]).get(url).status_code == 404
    assert ClientComplaint.objects.count() == 1


def test_formula_injection_is_escaped_in_exports(world, client_for):
    leave_services.request_leave(world.users["employee"], world.employees["east_rep"], {
        "leave_type": "personal", "start_date": "2025-03-03", "end_date": "2025-03-03",
        "reason": "=HYPERLINK(\"http://evil\",\"x\")"})
    resp = client_for(world.users["hr"]).get(reverse("activity:leave_export"))
    sheet = load_workbook(io.BytesIO(resp.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_excel_escapes_every_dangerous_start(text):
    sheet = load_workbook(io.BytesIO(workbook("t", ["h"], [[text], [-5]]))).active
    assert sheet["A2"].value == "'" + text and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == -5  # numbers stay numbers


PAGES = [
    "activity:attendance_daily", "activity:attendance_monthly", "activity:attendance_import", "activity:shift_list", "activity:calendar",
    "activity:leave_approvals", "activity:leave_list", "activity:expense_approvals",
    "activity:finance", "activity:cycles", "activity:violation_list", "activity:violation_create",
    "activity:complaint_list", "activity:complaint_create", "activity:handbook",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_for_the_admin(world, name, client_for):
    resp = client_for(world.users["admin"]).get(reverse(name))
    assert resp.status_code == 200, name
    assert b"<script" not in resp.content or b"<script src" in resp.content  # no inline scripts


def test_calendar_page_warns_for_a_year_without_official_data(world, client_for):
    html = client_for(world.users["hr"]).get(reverse("activity:calendar"), {"year": "2031"}).content.decode()
    assert "data-calendar-warning" in html and "2031" in html
    html = client_for(world.users["hr"]).get(reverse("activity:calendar"), {"year": "2025"}).content.decode()
    assert "data-calendar-warning" not in html and "国庆节" in html


def test_hr_pages_refuse_other_roles(world, client_for):
    for name in ("activity:shift_list", "activity:calendar", "activity:handbook", "activity:finance"):
        assert client_for(world.users["employee"]).get(reverse(name)).status_code == 403, name


def test_performance_pages_set_weights_and_score(world, client_for):
    from hrguard.performance import services as perf
    from hrguard.performance.models import Review

    cycle = perf.create_cycle(world.users["hr"], world.company,
                              {"name": "2025H1", "start_date": "2025-01-01", "end_date": "2025-06-30"})
    c = client_for(world.users["manager"])
    url = reverse("activity:review", args=[cycle.pk, world.employees["east_rep"].pk])
    bad = c.post(url, {"step": "kpis", "kpis": "销售额 | 60\n客户留存 | 20"}).content.decode()
    assert "80%" in bad and not Review.objects.exists()
    c.post(url, {"step": "kpis", "kpis": "销售额 | 80 | 100万\n客户留存 | 20"})
    resp = c.post(url, {"step": "kpis", "kpis": "销售额 | 50\n客户留存 | 50", "reason": "客户流失"})
    assert resp.status_code == 302
    review = Review.objects.get()
    kpis = {k.name: k.pk for k in review.kpis.all()}
    c.post(url, {"step": "score", f"score-{kpis['销售额']}": "90", f"score-{kpis['客户留存']}": "70"})
    review.refresh_from_db()
    assert (str(review.total_score), review.rating) == ("80.00", "A")
    html = c.get(url).content.decode()
    assert "客户流失" in html
    assert client_for(world.users["engineer"]).get(url).status_code == 404


def test_expense_pages_submit_and_approve(world, client_for):
    emp = client_for(world.users["employee"])
    assert emp.get(reverse("activity:my_expenses")).status_code == 200
    assert client_for(world.users["admin"]).get(reverse("activity:my_expenses")).status_code == 404  # no record
    receipt = io.BytesIO(b"%PDF-1.4 invoice")
    receipt.name = "发票.pdf"
    bad = emp.post(reverse("activity:my_expenses"), {
        "kind": "claim", "category": "transport", "spent_on": "2025-03-03", "amount": "12.345",
        "description": "打车", "files": receipt}).content.decode()
    assert "two decimals" in bad
    receipt.seek(0)
    emp.post(reverse("activity:my_expenses"), {
        "kind": "claim", "category": "transport", "spent_on": "2025-03-03", "amount": "45.50",
        "description": "打车", "files": receipt})
    from hrguard.expenses.models import ExpenseClaim

    claim = ExpenseClaim.objects.get()
    client_for(world.users["manager"]).post(reverse("activity:expense_decide", args=["claim", claim.pk]),
                                            {"action": "approve"})
    client_for(world.users["finance"]).post(reverse("activity:expense_decide", args=["claim", claim.pk]),
                                            {"action": "approve"})
    assert ExpenseClaim.objects.get().status == "approved"


def test_profile_section_shows_open_complaints_only_to_allowed_users(world, compliance):
    from django.template import Context, Template
    from django.test import RequestFactory

    complaints.record_complaint(compliance, world.employees["east_rep"], {
        "client": "周女士", "received_on": "2025-03-01", "facts": "未按约定回访"})
    tpl = Template("{% load records_tags %}{% activity_section employee %}")

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return tpl.render(Context({"request": request, "employee": world.employees["east_rep"]}))

    assert 'data-open-complaints="1"' in render(world.users["manager"]) and "周女士" in render(world.users["hr"])
    own = render(world.users["employee"])
    assert "data-activity-section" in own and "周女士" not in own
    assert render(world.users["engineer"]).strip() == ""


def test_monthly_page_and_my_leave_render(world, client_for):
    importer.import_file(world.users["hr"], world.company, importer.get_default_profile(world.company),
                         csv_bytes(["S002,2025-03-03 09:30,", "S002,2025-03-03 18:00,"]), "a.csv")
    html = client_for(world.users["hr"]).get(reverse("activity:attendance_monthly"), {"month": "2025-03"})
    assert 'data-col="late_minutes">30<' in html.content.decode()
    employee = client_for(world.users["employee"])
    assert employee.get(reverse("activity:my_leave")).status_code == 200
    assert employee.get(reverse("activity:my_expenses")).status_code == 200
    # The administrator has no employee record: the self-service pages say so (404 page, not an error).
    assert client_for(world.users["admin"]).get(reverse("activity:my_leave")).status_code == 404


def test_violation_list_filters_by_employee(world, compliance, client_for):
    clause = violations.save_clause(compliance, world.company, {"code": "5.3", "title": "私下与客户交易"})
    for key in ("east_rep", "sales_rep"):
        violations.record_violation(compliance, world.employees[key], {
            "clause": clause.pk, "occurred_on": "2025-03-03", "facts": f"事实-{key}"})
    c = client_for(compliance)
    html = c.get(reverse("activity:violation_list"), {"employee": world.employees["east_rep"].pk}).content.decode()
    assert "张测试" in html and "欧阳娜娜" not in html
    assert c.get(reverse("activity:violation_list"), {"employee": "x" * 30}).status_code == 200


def test_device_profile_page_saves_a_mapping_or_names_the_missing_field(world, client_for):
    from hrguard.attendance.models import PunchDeviceProfile

    hr = client_for(world.users["hr"])
    resp = hr.post(reverse("activity:profile_create"), {"name": "得力 3960", "employee_column": "考勤号码"},
                   follow=True)
    assert "date-time column" in resp.content.decode()
    assert not PunchDeviceProfile.objects.filter(name="得力 3960").exists()
    hr.post(reverse("activity:profile_create"), {"name": "得力 3960", "employee_column": "考勤号码",
                                                 "datetime_column": "日期时间", "has_header": "on"})
    assert PunchDeviceProfile.objects.get(name="得力 3960").datetime_column == "日期时间"
    assert client_for(world.users["manager"]).post(reverse("activity:profile_create"), {}).status_code == 403
