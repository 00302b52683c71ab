"""Roster import service: reading (xlsx / csv encodings / wrong types), validation report, import modes."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook, load_workbook

from hrguard.core.models import Department
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.verify import verify_company
from hrguard.people import exports, import_jobs, imports
from hrguard.people.models import Employee, LifecycleEvent
from tests.conftest import make_id

HEADER = ["工号", "姓名", "性别", "出生日期", "部门", "岗位", "入职日期", "证件类型", "证件号码", "手机号", "邮箱"]


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def good_row(no: str, seq: str, dept: str = "研发部", name: str = "赵导入") -> list[Any]:
    return [no, name, "女", "1992-05-06", dept, "客户经理", "2025-03-01", "居民身份证",
            make_id(region="310101", birth="19920506", seq=seq), "13912345678", f"{no.lower()}@acme.test"]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    return "\r\n".join(",".join(str(c) for c in r) for r in rows).encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(report: imports.ImportReport) -> set[tuple[int, str]]:
    return {(e.row, e.field) for e in report.errors}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_chinese_excel_produces_is_read(world, encoding):
    content = csv_bytes([HEADER, good_row("N001", "501"), good_row("N002", "502", name="钱二")], encoding)
    report = imports.validate_file(world.company, content, "roster.csv")
    assert report.ok, report.errors
    assert [c["name"] for _, c in report.valid] == ["赵导入", "钱二"]
    assert report.valid[0][1]["gender"] == "F"
    assert report.valid[0][1]["department"] == world.depts["rnd"]


def test_xlsx_with_date_cells_and_english_headers(world):
    header = ["Employee No", "Name", "Department", "Hire date", "ID number", "Status", "Employment form"]
    rows = [header, ["N010", "孙英文", "研发部", dt.datetime(2025, 4, 1), make_id(seq="510"), "试用期", "实习"]]
    report = imports.validate_file(world.company, xlsx_bytes(rows), "roster.xlsx")
    assert report.ok, report.errors
    cleaned = report.valid[0][1]
    assert cleaned["hire_date"] == dt.date(2025, 4, 1)
    assert (cleaned["status"], cleaned["employment_form"]) == ("probation", "intern")


def test_title_row_above_headers_and_required_marks_are_tolerated(world):
    rows = [["员工花名册"], ["*工号", "*姓名", "*部门", "*入职日期（YYYY-MM-DD）"], ["N020", "周标题", "研发部", "2025-01-02"]]
    report = imports.validate_file(world.company, csv_bytes(rows), "t.csv")
    assert report.ok, report.errors
    assert report.valid[0][0] == 3  # spreadsheet row number


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"%PDF-1.7 not a roster", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "not a spreadsheet"),
        (b"", "empty"),
        (b"a,b\x00\x01\x02,c\n", "not a spreadsheet"),
    ],
)
def test_wrong_file_types_are_refused_by_content(world, content, fragment):
    report = imports.validate_file(world.company, content, "roster.csv")
    assert not report.ok and not report.valid
    assert fragment in report.file_errors[0]


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    report = imports.validate_file(world.company, buf.getvalue(), "roster.xlsx")
    assert "not an Excel workbook" in report.file_errors[0]


def test_missing_required_columns_are_named(world):
    report = imports.validate_file(world.company, csv_bytes([["工号", "姓名", "岗位"], ["N1", "x", "y"]]), "a.csv")
    assert "部门" in report.file_errors[0] and "入职日期" in report.file_errors[0]


def test_too_many_rows(world, settings):
    settings.HRGUARD_IMPORT_MAX_ROWS = 2
    rows = [HEADER] + [good_row(f"N{i}", f"6{i}{i}") for i in range(3)]
    report = imports.validate_file(world.company, csv_bytes(rows), "a.csv")
    assert "Too many rows" in report.file_errors[0] and "2" in report.file_errors[0]


def test_every_bad_row_and_column_is_reported(world, make_id_number):
    existing_id = world.employees["engineer"].id_number
    rows = [
        HEADER,
        good_row("N100", "701"),                                               # row 2 fine
        ["N101", "<script>alert(1)</script>", "", "", "研发部", "", "2025-01-01", "", "", "", ""],  # 3 markup
        good_row("N100", "702"),                                               # 4 duplicate number in file
        good_row("S001", "703"),                                               # 5 number used in database
        ["N104", "x", "", "", "不存在部门", "", "2025-01-01", "", "", "", ""],   # 6 unknown department
        ["N105", "x", "", "1999-01-01", "研发部", "", "1998-01-01", "", "", "", ""],  # 7 hire before birth
        ["N106", "x", "", "", "研发部", "", "2025-01-01", "居民身份证", "110105199003071230", "", ""],  # 8 checksum
        ["N107", "x", "", "", "研发部", "", "2025-01-01", "", existing_id, "", ""],  # 9 ID already in database
        good_row("N108", "701"),                                               # 10 same ID as row 2
        ["N109", "x", "", "", "研发部", "", "2025/13/45", "", "", "", "not-an-email"],  # 11 bad date + email
    ]
    report = imports.validate_file(world.company, csv_bytes(rows), "bad.csv")
    assert not report.ok
    assert errors_of(report) >= {
        (3, "name"), (4, "employee_no"), (5, "employee_no"), (6, "department"), (7, "hire_date"),
        (8, "id_number"), (9, "id_number"), (10, "id_number"), (11, "hire_date"), (11, "email"),
    }
    assert 2 not in {e.row for e in report.errors}
    by_key = {(e.row, e.field): e for e in report.errors}
    assert by_key[(6, "department")].column == "E 部门"
    assert "row 2" in by_key[(10, "id_number")].message
    assert [n for n, _ in report.valid] == [2]
    assert report.bad_rows == 9


def test_dates_out_of_order_and_birth_date_against_id(world):
    rows = [
        ["工号", "姓名", "部门", "入职日期", "参加工作日期", "出生日期", "证件号码"],
        ["N200", "x", "研发部", "2020-01-01", "2021-01-01", "", ""],
        ["N201", "y", "研发部", "2020-01-01", "", "1991-01-01", make_id(birth="19900307", seq="811")],
    ]
    report = imports.validate_file(world.company, csv_bytes(rows), "d.csv")
    assert errors_of(report) == {(2, "work_start_date"), (3, "birth_date")}


def test_id_number_that_excel_turned_into_a_number(world):
    rows = [["工号", "姓名", "部门", "入职日期", "证件号码"], ["N300", "x", "研发部", "2020-01-01", 110105199003071000]]
    report = imports.validate_file(world.company, xlsx_bytes(rows), "n.xlsx")
    assert errors_of(report) == {(2, "id_number")}
    assert "as text" in report.errors[0].message


def test_unknown_department_created_only_when_asked(world):
    rows = [HEADER, good_row("N400", "901", dept="新业务部"), good_row("N401", "902", dept="新业务部")]
    content = csv_bytes(rows)
    assert errors_of(imports.validate_file(world.company, content)) == {(2, "department"), (3, "department")}
    report = imports.validate_file(world.company, content, create_departments=True)
    assert report.ok and report.new_departments == ["新业务部"]
    assert not Department.objects.filter(company=world.company, name="新业务部").exists()  # validation wrote nothing
    result = import_jobs.run_import(world.users["hr"], world.company, content, create_departments=True)
    assert result.created == 2 and result.new_departments == ["新业务部"]
    dept = Department.objects.get(company=world.company, name="新业务部")
    assert set(Employee.objects.filter(department=dept).values_list("department_path", flat=True)) == {dept.path}


def test_a_clean_file_imports_everything_in_one_go_with_evidence(world):
    rows = [HEADER] + [good_row(f"N5{i:02d}", f"5{i:02d}", name=f"批量{i}") for i in range(12)]
    before = EvidenceEvent.objects.filter(company=world.company).count()
    result = import_jobs.run_import(world.users["hr"], world.company, csv_bytes(rows), "batch.csv")
    assert result.created == 12 and result.skipped_rows == 0
    imported = Employee.objects.filter(company=world.company, employee_no__startswith="N5")
    assert imported.count() == 12
    one = imported.get(employee_no="N500")
    assert one.id_number == make_id(region="310101", birth="19920506", seq="500")  # encrypted, readable
    assert one.id_number_index and one.phone_index and one.department_path == world.depts["rnd"].path
    assert LifecycleEvent.objects.filter(employee__in=imported, kind="hire").count() == 12
    events = EvidenceEvent.objects.filter(company=world.company, seq__gte=before)
    batch = events.get(action="employee.imported")
    assert '"created":12' in batch.record and '"file":"batch.csv"' in batch.record
    assert "11010519" not in batch.record and "310101" not in batch.record  # no ID numbers in the log
    assert events.filter(action="employee.created", employee_id=one.pk).exists()
    assert verify_company(world.company.pk).ok


def test_a_file_with_errors_imports_nothing_unless_valid_only(world):
    rows = [HEADER, good_row("N600", "601"), good_row("N601", "602", dept="不存在部门"), good_row("N602", "603")]
    content = csv_bytes(rows)
    result = import_jobs.run_import(world.users["hr"], world.company, content)
    assert result.created == 0 and not Employee.objects.filter(employee_no__startswith="N60").exists()
    assert not EvidenceEvent.objects.filter(action="employee.imported").exists()
    result = import_jobs.run_import(world.users["hr"], world.company, content, valid_only=True)
    assert result.created == 2 and result.skipped_rows == 1
    assert set(Employee.objects.filter(employee_no__startswith="N60").values_list("employee_no", flat=True)) == {
        "N600", "N602"}
    batch = EvidenceEvent.objects.get(action="employee.imported")
    assert '"mode":"valid_only"' in batch.record and '"skipped_rows":[3]' in batch.record


def test_only_hr_may_import(world):
    content = csv_bytes([HEADER, good_row("N700", "701")])
    for key in ("manager", "employee", "legal", "finance", "hrbp"):
        with pytest.raises(PermissionDenied):
            import_jobs.run_import(world.users[key], world.company, content)
    assert import_jobs.run_import(world.users["admin"], world.company, content).created == 1


def test_import_into_another_company_is_refused(world, other_world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_jobs.run_import(world.users["hr"], other_world.company, csv_bytes([HEADER, good_row("N800", "801")]))


def test_departments_of_another_company_are_unknown(world, other_world):
    other_world.depts["rnd"].name = "乙研发"
    other_world.depts["rnd"].save()
    report = imports.validate_file(world.company, csv_bytes([HEADER, good_row("N900", "901", dept="乙研发")]))
    assert errors_of(report) == {(2, "department")}


def test_error_report_workbook_lists_rows_and_columns(world):
    rows = [HEADER, good_row("N950", "951"), good_row("N951", "952", dept="不存在部门")]
    report = imports.validate_file(world.company, csv_bytes(rows))
    sheet = load_workbook(exports.error_report(report)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:2] == (3, "E 部门") and "不存在部门" in values[1][2]


def test_staged_upload_is_encrypted_and_bound_to_the_job(world, settings):
    from pathlib import Path

    from hrguard.core import jobs
    from hrguard.core.models import ImportJob

    content = csv_bytes([HEADER, good_row("N990", "991")])
    job = jobs.create(world.users["hr"], "roster", content, "名单.csv", "0" * 64)
    assert jobs.load_file(job) == content
    stored = Path(settings.STORAGES["default"]["OPTIONS"]["location"], jobs._path(job)).read_bytes()
    assert b"N990" not in stored and content not in stored  # encrypted at rest
    other = ImportJob.objects.get(pk=job.pk)
    other.created_by = world.users["admin"]  # the key context binds the file to its owner
    assert jobs.load_file(other) is None
    other.token = "../../etc/passwd"
    assert jobs.load_file(other) is None
    jobs.discard_file(job)
    assert jobs.load_file(job) is None


def test_a_big_clean_file_is_saved_in_batches_each_with_its_evidence(world):
    rows = [HEADER] + [good_row(f"B{i:03d}", f"7{i:02d}", name=f"分批{i}") for i in range(25)]
    seen: list[tuple[str, int, int | None]] = []
    result = import_jobs.run_import(
        world.users["hr"], world.company, csv_bytes(rows), "b.csv", batch_size=10,
        progress=lambda phase, done, total: seen.append((phase, done, total)),
    )
    assert result.created == 25
    assert [s for s in seen if s[0] == "saving"] == [("saving", 0, 25), ("saving", 10, 25), ("saving", 20, 25),
                                                    ("saving", 25, 25)]
    assert any(s[0] == "checking" for s in seen)
    created = EvidenceEvent.objects.filter(company=world.company, action="employee.created")
    assert created.count() >= 25
    assert EvidenceEvent.objects.filter(company=world.company, action="employee.imported").count() == 1
    assert verify_company(world.company.pk).ok


def test_a_conflict_while_saving_names_what_was_saved(world, monkeypatch):
    """A concurrent edit takes an employee number between the check and the second batch."""
    rows = [HEADER] + [good_row(f"K{i:03d}", f"8{i:02d}") for i in range(4)]
    original = import_jobs._insert_employees
    calls = {"n": 0}

    def racing(company, part):
        calls["n"] += 1
        if calls["n"] == 2:
            Employee.objects.filter(employee_no="K000").update(employee_no="K002")  # then K002 collides
        return original(company, part)

    monkeypatch.setattr(import_jobs, "_insert_employees", racing)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        import_jobs.run_import(world.users["hr"], world.company, csv_bytes(rows), "k.csv", batch_size=2)
    assert "(2)" in " ".join(info.value.messages)
    assert Employee.objects.filter(employee_no__startswith="K").count() == 2  # the first batch, not the second
    interrupted = EvidenceEvent.objects.get(company=world.company, action="employee.imported")
    assert '"interrupted":true' in interrupted.record and '"created":2' in interrupted.record


def test_template_round_trips_through_the_importer(world):
    report = imports.validate_file(world.company, exports.import_template().read(), "template.xlsx")
    assert not report.file_errors
    assert report.ok, report.errors  # the example row uses 销售部 / 客户经理, which this company has


def test_synthetic_contract_end_for_a_29_february_hire():
    from hrguard.people.synthetic import _plus_years

    assert _plus_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert _plus_years(dt.date(2024, 3, 1), 3) == dt.date(2027, 3, 1)
