"""Attendance: calendar with fallback, punch import (bad input, duplicates, order, midnight shifts) and
the set-based daily status checked against hand-computed expectations."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.attendance import calendar, importer, shifts
from hrguard.attendance.compute import recompute_days
from hrguard.attendance.models import (
    AttendanceDay,
    CalendarSource,
    DayKind,
    Punch,
    PunchDeviceProfile,
    PunchImport,
    WorkCalendarDay,
)
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.selectors import decoded
from hrguard.evidence.verify import verify_company
from tests.records.conftest import csv_bytes, evidence_count

pytestmark = pytest.mark.django_db

D = dt.date


def day(emp, date):
    return AttendanceDay.objects.get(employee=emp, date=date)


def import_csv(world, lines, user="hr", header="工号,时间,类型"):
    profile = importer.get_default_profile(world.company)
    return importer.import_file(world.users[user], world.company, profile, csv_bytes(lines, header), "march.csv")


# --- Calendar -----------------------------------------------------------------------------------------


def test_calendar_seeds_official_holidays_and_swapped_workdays(world):
    calendar.ensure_calendar(world.company.pk, D(2025, 9, 27), D(2025, 10, 9))
    kinds = dict(
        WorkCalendarDay.objects.filter(company=world.company).values_list("date", "kind")
    )
    assert kinds[D(2025, 9, 28)] == DayKind.WORKDAY  # Sunday, swapped workday (调休上班)
    assert kinds[D(2025, 10, 1)] == DayKind.HOLIDAY  # National Day
    assert kinds[D(2025, 10, 4)] == DayKind.RESTDAY  # Saturday inside the holiday week
    assert kinds[D(2025, 10, 8)] == DayKind.RESTDAY  # day off in lieu
    assert kinds[D(2025, 10, 9)] == DayKind.WORKDAY
    assert calendar.calendar_warning(world.company.pk, D(2025, 1, 1), D(2025, 12, 31)) == ""


def test_calendar_beyond_the_package_falls_back_to_weekends_with_a_warning(world):
    start, end = D(2030, 1, 1), D(2030, 1, 7)
    # 2030-01-01 is a Tuesday: Tue–Fri and Monday the 7th are workdays (no holiday knowledge for 2030).
    assert calendar.count_days(world.company.pk, start, end, (DayKind.WORKDAY,)) == 5
    rows = WorkCalendarDay.objects.filter(company=world.company, date__gte=start, date__lte=end)
    assert {r.source for r in rows} == {CalendarSource.FALLBACK}
    assert rows.get(date=D(2030, 1, 1)).kind == DayKind.WORKDAY  # no holiday knowledge: a warning says so
    warning = calendar.calendar_warning(world.company.pk, start, end)
    assert "2030" in warning
    assert calendar.fallback_years(world.company.pk, D(2029, 12, 1), end) == [2030]


def test_hr_edits_survive_reseeding_and_others_cannot_edit(world):
    calendar.set_day(world.users["hr"], world.company, "2030-01-01", DayKind.HOLIDAY, "元旦")
    result = calendar.reseed_year(world.users["hr"], world.company, 2030)
    assert result["fallback_days"] == 364
    row = WorkCalendarDay.objects.get(company=world.company, date=D(2030, 1, 1))
    assert (row.kind, row.source, row.name) == (DayKind.HOLIDAY, CalendarSource.MANUAL, "元旦")
    with pytest.raises(PermissionDenied):
        calendar.set_day(world.users["manager"], world.company, "2030-01-02", DayKind.HOLIDAY)
    with pytest.raises(ValidationError) as err:
        calendar.set_day(world.users["hr"], world.company, "2030-13-01", "party")
    assert set(err.value.message_dict) == {"date", "kind"}


# --- Import and daily status ---------------------------------------------------------------------------

MARCH = [
    # Out of order on purpose: the 4th comes before the 3rd.
    "S002,2025-03-04 09:12,上班",
    "S002,2025-03-04 18:00,下班",
    "S002,2025-03-03 08:55:10,上班",
    "S002,2025/3/3 18:05,下班",
    "S002,2025-03-05 09:00,in",
    "S002,2025-03-05 17:40,out",
    "S002,2025-03-07 08:50,",
    "S002,2025-03-08 10:00,",
    "S002,2025-03-08 14:00,",
    "S002,2025-03-10 08:59,",
    "S002,2025-03-10 21:30,",
    "S002,2025-03-10 21:30,",  # duplicate in the file
]


def test_daily_status_matches_hand_computed_values(world):
    batch = import_csv(world, MARCH)
    emp = world.employees["east_rep"]
    assert (batch.rows, batch.inserted, batch.duplicates) == (12, 11, 1)
    assert batch.out_of_order == 2  # the two rows of the 3rd came after the 4th
    assert (batch.first_date, batch.last_date) == (D(2025, 3, 3), D(2025, 3, 10))
    expect = {
        D(2025, 3, 3): ("normal", 0, 0, 0, 2),
        D(2025, 3, 4): ("late", 12, 0, 0, 2),
        D(2025, 3, 5): ("early", 0, 20, 0, 2),
        D(2025, 3, 6): ("absent", 0, 0, 0, 0),
        D(2025, 3, 7): ("missing", 0, 0, 0, 1),
        D(2025, 3, 8): ("rest_work", 0, 0, 240, 2),  # Saturday 10:00–14:00
        D(2025, 3, 10): ("normal", 0, 0, 210, 2),  # 18:00 → 21:30
    }
    for date, (status, late, early, overtime, punches) in expect.items():
        row = day(emp, date)
        assert (row.status, row.late_minutes, row.early_minutes, row.overtime_minutes, row.punches) == (
            status, late, early, overtime, punches,
        ), date
    assert not AttendanceDay.objects.filter(employee=emp, date=D(2025, 3, 9)).exists()  # Sunday, no punches
    assert day(emp, D(2025, 3, 3)).first_clock == "08:55"
    stored = Punch.objects.filter(employee=emp, work_date=D(2025, 3, 3)).order_by("punched_at").first().punched_at
    assert stored == dt.datetime(2025, 3, 3, 8, 55, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    # The other employees of the company have no punches: absent on the workdays of the range.
    assert day(world.employees["engineer"], D(2025, 3, 3)).status == "absent"


def test_reimport_reports_duplicates_and_changes_nothing(world):
    import_csv(world, MARCH)
    before = Punch.objects.count()
    again = import_csv(world, MARCH)
    assert (again.inserted, again.duplicates) == (0, 12)
    assert Punch.objects.count() == before


def test_night_shift_punches_after_midnight_belong_to_the_previous_day(world):
    night = shifts.save_shift(
        world.users["hr"], world.company,
        {"name": "夜班", "start_time": "22:00", "end_time": "06:00", "break_minutes": 30, "grace_minutes": 5},
    )
    rep = world.employees["sales_rep"]
    shifts.assign_shift(world.users["hr"], rep, night)
    import_csv(world, [
        "S003,2025-03-03 21:55,上班",
        "S003,2025-03-04 06:10,下班",
        "S003,2025-03-04 22:04,上班",  # within the 5-minute grace
        "S003,2025-03-05 05:30,下班",  # 30 minutes early
        "S003,2025-03-05 22:20,上班",  # 20 minutes late
        "S003,2025-03-06 07:00,下班",  # 60 minutes overtime
    ])
    assert not Punch.objects.filter(employee=rep, work_date=D(2025, 3, 6)).exists()
    assert (day(rep, D(2025, 3, 3)).status, day(rep, D(2025, 3, 3)).overtime_minutes) == ("normal", 0)
    assert day(rep, D(2025, 3, 3)).last_clock == "+1 06:10"
    assert (day(rep, D(2025, 3, 4)).status, day(rep, D(2025, 3, 4)).early_minutes) == ("early", 30)
    d5 = day(rep, D(2025, 3, 5))
    assert (d5.status, d5.late_minutes, d5.overtime_minutes) == ("late", 20, 60)


def test_attribution_boundaries():
    # 09:00–18:00: boundary at 01:30 the next day.
    assert importer.attribute(dt.datetime(2025, 3, 4, 1, 20), 1530) == (D(2025, 3, 3), 1440 + 80)
    assert importer.attribute(dt.datetime(2025, 3, 4, 1, 40), 1530) == (D(2025, 3, 4), 100)
    # 00:00–08:00: a punch at 23:50 belongs to the next work date (minute −10).
    assert importer.attribute(dt.datetime(2025, 3, 3, 23, 50), 960) == (D(2025, 3, 4), -10)


def test_bad_rows_refuse_the_whole_file_with_every_problem_listed(world):
    before = (evidence_count(world.company), PunchImport.objects.count())
    with pytest.raises(ValidationError) as err:
        import_csv(world, [
            "S002,2025-03-03 08:55,上班",
            "X999,2025-03-03 08:56,上班",
            "S002,2025-02-30 18:00,下班",
            ",2025-03-03 18:00,下班",
            "S001,2025-03-03 18:00,sideways",
        ])
    rows = err.value.message_dict["rows"]
    assert len(rows) == 4
    joined = "\n".join(rows)
    for needle in ("X999", "2025-02-30", "sideways"):
        assert needle in joined
    assert any(r.startswith(("Row 3", "第 3 行", "第3行")) for r in rows) or "3" in rows[0]
    assert Punch.objects.count() == 0
    assert (evidence_count(world.company), PunchImport.objects.count()) == before


def test_header_problems_and_empty_files(world):
    with pytest.raises(ValidationError) as err:
        import_csv(world, ["S002,2025-03-03 08:55"], header="编号,打卡时间")
    assert "file" in err.value.message_dict and "工号" in err.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        import_csv(world, [], header="工号,时间,类型")
    assert Punch.objects.count() == 0


def test_device_profile_by_position_with_separate_date_and_time_in_gbk(world):
    profile = PunchDeviceProfile.objects.create(
        company=world.company, name="ZKTeco U160", employee_column="1", date_column="3", time_column="4",
        direction_column="", has_header=False,
    )
    data = "S002\t张测试\t2025-03-03\t08:58\nS002\t张测试\t2025-03-03\t18:01\n".encode("gb18030")
    batch = importer.import_file(world.users["hr"], world.company, profile, data, "u160.txt")
    assert batch.inserted == 2
    assert day(world.employees["east_rep"], D(2025, 3, 3)).status == "normal"


def test_excel_export_of_a_clock_is_read(world, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "时间", "类型"])
    sheet.append([2, dt.datetime(2025, 3, 3, 9, 30), "上班"])  # numeric employee number cell
    sheet.append(["S002", dt.datetime(2025, 3, 3, 18, 0), "下班"])
    path = tmp_path / "p.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as err:  # "2" is not an employee number here
        importer.import_file(
            world.users["hr"], world.company, importer.get_default_profile(world.company), path.read_bytes(), "p.xlsx"
        )
    assert "2" in err.value.message_dict["rows"][0]
    sheet.cell(row=2, column=1, value="S002")
    book.save(path)
    importer.import_file(
        world.users["hr"], world.company, importer.get_default_profile(world.company), path.read_bytes(), "p.xlsx"
    )
    assert (day(world.employees["east_rep"], D(2025, 3, 3)).late_minutes) == 30


def test_only_hr_imports_and_evidence_is_recorded(world, other_world):
    for key in ("manager", "employee", "finance"):
        with pytest.raises(PermissionDenied):
            import_csv(world, MARCH[:2], user=key)
    profile = importer.get_default_profile(world.company)
    with pytest.raises(ValidationError):  # HR of company B cannot import into company A
        importer.import_file(other_world.users["hr"], world.company, profile, csv_bytes(MARCH[:2]), "x.csv")
    batch = import_csv(world, MARCH)
    emp = world.employees["east_rep"]
    assert EvidenceEvent.objects.filter(action="attendance.punches_imported", subject_id=str(batch.pk)).count() == 1
    personal = EvidenceEvent.objects.get(action="attendance.punches_recorded", employee_id=emp.pk)
    data = decoded(personal)["data"]
    assert (data["rows"], data["first"], data["last"]) == (12, "2025-03-03T08:55:10", "2025-03-10T21:30:00")
    assert verify_company(world.company.pk).ok


def test_api_rows_are_imported_like_a_file(world):
    rows = importer.api_rows([
        {"employee_no": "S002", "time": "2025-03-03 08:40", "direction": "in"},
        {"employee_no": "S002", "time": "2025-03-03 19:00", "direction": "out"},
    ])
    batch = importer.import_punches(world.users["hr"], world.company, rows, source="api")
    assert (batch.source, batch.inserted) == ("api", 2)
    assert day(world.employees["east_rep"], D(2025, 3, 3)).overtime_minutes == 60


def test_recompute_is_idempotent_and_respects_termination(world):
    import_csv(world, MARCH)
    first = list(AttendanceDay.objects.order_by("employee_id", "date").values_list(
        "employee_id", "date", "status", "late_minutes", "early_minutes", "overtime_minutes"))
    emp = world.employees["engineer"]
    assert recompute_days(world.company.pk, D(2025, 3, 3), D(2025, 3, 10)) == len(first)
    again = list(AttendanceDay.objects.order_by("employee_id", "date").values_list(
        "employee_id", "date", "status", "late_minutes", "early_minutes", "overtime_minutes"))
    assert again == first
    emp.termination_date = D(2025, 3, 5)
    emp.save(update_fields=["termination_date"])
    recompute_days(world.company.pk, D(2025, 3, 3), D(2025, 3, 10), [emp.pk])
    assert max(AttendanceDay.objects.filter(employee=emp).values_list("date", flat=True)) == D(2025, 3, 5)


# --- Monthly summary ----------------------------------------------------------------------------------


def test_monthly_summary_matches_hand_computed_totals(world):
    from hrguard.attendance.selectors import monthly_summary
    from hrguard.leave import services as leave_services

    leave_services.request_leave(world.users["engineer"], world.employees["engineer"], {
        "leave_type": "sick", "start_date": "2025-03-05", "end_date": "2025-03-05"})
    leave = world.employees["engineer"].leave_requests.get()
    leave_services.decide_leave(world.users["hr"], leave, True)
    import_csv(world, MARCH)
    # Limits passed explicitly (120 min a month, 200 min a day) to exercise the flags with small numbers.
    rows = {r["employee__employee_no"]: r for r in monthly_summary(world.users["hr"], 2025, 3, limits=(120, 200))}
    rep = rows["S002"]
    # S002 from MARCH, range 3–10 March: workdays 3,4,5,6,7,10 (+ Saturday 8th worked).
    assert (rep["workdays"], rep["normal_days"], rep["late_days"], rep["late_minutes"]) == (6, 2, 1, 12)
    assert (rep["early_days"], rep["early_minutes"], rep["absent_days"], rep["missing_days"]) == (1, 20, 1, 1)
    assert (rep["overtime_minutes"], rep["workday_overtime"], rep["restday_overtime"]) == (450, 210, 240)
    assert (rep["long_days"], rep["over_monthly_limit"], rep["leave_days"]) == (1, 1, 0)
    eng = rows["R001"]
    # No punches at all: absent every workday of the file's range except the approved sick day.
    assert (eng["workdays"], eng["absent_days"], eng["leave_days"], eng["overtime_minutes"]) == (6, 5, 1, 0)
    assert eng["over_monthly_limit"] == 0
    # Scope: the employee sees only their own row; another company nothing.
    assert [r["employee__employee_no"] for r in monthly_summary(world.users["employee"], 2025, 3,
                                                                limits=(120, 200))] == ["S002"]


def test_approving_leave_turns_an_absence_into_leave(world):
    from hrguard.leave import services as leave_services

    import_csv(world, MARCH)
    emp = world.employees["east_rep"]
    assert day(emp, D(2025, 3, 6)).status == "absent"
    leave = leave_services.request_leave(world.users["employee"], emp, {
        "leave_type": "personal", "start_date": "2025-03-06", "end_date": "2025-03-06"})
    assert day(emp, D(2025, 3, 6)).status == "absent"  # pending leave does not count
    leave_services.decide_leave(world.users["manager"], leave, True)
    assert day(emp, D(2025, 3, 6)).status == "leave"
    leave_services.cancel_leave(world.users["hr"], leave, "员工实际到岗")
    assert day(emp, D(2025, 3, 6)).status == "absent"


def test_monthly_summary_pages_by_employee_number(world, other_world):
    from hrguard.attendance.selectors import monthly_summary_page

    import_csv(world, MARCH)
    first, more = monthly_summary_page(world.users["hr"], 2025, 3, 1, 3, limits=(120, 200))
    second, more2 = monthly_summary_page(world.users["hr"], 2025, 3, 2, 3, limits=(120, 200))
    assert [r["employee__employee_no"] for r in first] == ["R001", "S001", "S002"] and more
    assert [r["employee__employee_no"] for r in second] == ["S003"] and not more2
    assert monthly_summary_page(other_world.users["hr"], 2025, 3, 1, 3, limits=(120, 200))[0] == []


def test_statutory_overtime_limit_flags_more_than_36_hours_a_month(world):
    """Labor Law Art. 41 via hrguard.law.hours: 36 h of overtime in a month is allowed, more is flagged;
    a day with more than 3 h counts as a long day."""
    from hrguard.attendance.selectors import monthly_summary

    calendar.ensure_calendar(world.company.pk, D(2025, 3, 1), D(2025, 3, 31))
    workdays = list(WorkCalendarDay.objects.filter(company=world.company, date__month=3, date__year=2025,
                                                   kind=DayKind.WORKDAY).values_list("date", flat=True))[:19]
    lines = []
    for i, date in enumerate(workdays):
        lines += [f"S002,{date} 08:55,上班", f"S003,{date} 08:55,上班"]
        if i < 18:  # 18 days × 2 h = exactly 36 h
            lines += [f"S002,{date} 20:00,下班", f"S003,{date} 20:00,下班"]
        else:  # S003 works one more evening, 3 h 01 min: over the month's limit and over the daily one
            lines += [f"S002,{date} 18:00,下班", f"S003,{date} 21:01,下班"]
    import_csv(world, lines)
    rows = {r["employee__employee_no"]: r for r in monthly_summary(world.users["hr"], 2025, 3)}
    assert (rows["S002"]["overtime_minutes"], rows["S002"]["over_monthly_limit"]) == (36 * 60, 0)
    assert (rows["S003"]["overtime_minutes"], rows["S003"]["over_monthly_limit"]) == (36 * 60 + 181, 1)
    assert (rows["S002"]["long_days"], rows["S003"]["long_days"]) == (0, 1)
