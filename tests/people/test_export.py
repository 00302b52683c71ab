"""Roster export: filters and scope like the list page, Chinese headers, masking, formula escaping, evidence."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook

from hrguard.evidence.models import EvidenceEvent
from hrguard.people import exports
from hrguard.people.models import Employee
from hrguard.people.selectors import EmployeeFilter
from hrguard.platform import spreadsheets


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def rows_of(data: Any) -> list[tuple[Any, ...]]:
    return list(load_workbook(data).active.iter_rows(values_only=True))


def test_export_has_import_headers_and_masks_sensitive_fields_by_default(world):
    data, count = exports.export_employees(world.users["hr"], EmployeeFilter())
    rows = rows_of(data)
    assert count == 4 and len(rows) == 5
    header = rows[0]
    assert header[:7] == ("工号", "姓名", "性别", "出生日期", "部门", "岗位", "入职日期")
    first = dict(zip(header, rows[1], strict=True))
    emp = world.employees["engineer"]  # R001 sorts first
    assert first["工号"] == "R001" and first["部门"] == "研发部" and first["员工状态"] == "在职"
    assert first["证件号码"] != emp.id_number and first["证件号码"].endswith(emp.id_number[-4:])
    assert "****" in first["手机号"] and "****" in first["银行账号"]
    event = EvidenceEvent.objects.filter(action="employee.exported").get()
    assert '"unmasked_sensitive":false' in event.record and '"rows":4' in event.record


def test_unmasked_export_only_for_sensitive_readers_and_recorded(world):
    rows = rows_of(exports.export_employees(world.users["hr"], EmployeeFilter(), unmasked=True)[0])
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["证件号码"] == world.employees["engineer"].id_number
    assert '"unmasked_sensitive":true' in EvidenceEvent.objects.get(action="employee.exported").record


def test_export_uses_the_list_filters(world):
    data, count = exports.export_employees(world.users["hr"], EmployeeFilter(department=world.depts["sales"].pk))
    assert count == 3
    assert {r[0] for r in rows_of(data)[1:]} == {"S001", "S002", "S003"}
    _, count = exports.export_employees(world.users["hr"], EmployeeFilter(q="欧阳"))
    assert count == 1


def test_export_is_hr_only_and_never_crosses_companies(world, other_world):
    for key in ("manager", "employee", "legal", "hrbp"):
        with pytest.raises(PermissionDenied):
            exports.export_employees(world.users[key], EmployeeFilter())
    names = {r[1] for r in rows_of(exports.export_employees(other_world.users["hr"], EmployeeFilter())[0])[1:]}
    assert names == set(Employee.objects.filter(company=other_world.company).values_list("name", flat=True))


@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_injection_is_neutralised(world, evil):
    Employee.objects.filter(pk=world.employees["engineer"].pk).update(address=evil)
    data, _ = exports.export_employees(world.users["hr"], EmployeeFilter(q="R001"), unmasked=True)
    book = load_workbook(data)
    header = [c.value for c in book.active[1]]
    cell = book.active.cell(row=2, column=header.index("家庭住址") + 1)
    assert cell.data_type == "s" and cell.value == "'" + evil


def test_safe_leaves_ordinary_values_alone():
    assert spreadsheets.escape("张三") == "张三" and spreadsheets.escape(5) == 5 and spreadsheets.escape(None) == ""


def test_export_sheet_has_frozen_header_filter_and_widths(world):
    sheet = load_workbook(exports.export_employees(world.users["hr"], EmployeeFilter())[0]).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{1 + 4}"
    assert sheet.column_dimensions["A"].width == exports.WIDTHS["employee_no"]
    assert sheet.column_dimensions["L"].width == exports.WIDTHS["id_number"]  # 证件号码


def test_address_is_masked_unless_unmasked_export(world):
    emp = world.employees["engineer"]
    emp.address = "北京市海淀区中关村大街1号"
    emp.save()
    masked = dict(zip(*rows_of(exports.export_employees(world.users["hr"], EmployeeFilter())[0])[:2], strict=True))
    assert masked["家庭住址"] == "北京市海淀区****"
    full = rows_of(exports.export_employees(world.users["hr"], EmployeeFilter(), unmasked=True)[0])
    assert dict(zip(*full[:2], strict=True))["家庭住址"] == "北京市海淀区中关村大街1号"
    event = EvidenceEvent.objects.filter(action="employee.exported").latest("seq")
    assert '"unmasked_fields":["id_number","phone","bank_account","address"]' in event.record


def test_unmasked_export_link_and_view(world):
    from django.test import Client
    from django.urls import reverse

    hr = Client()
    hr.force_login(world.users["hr"])
    page = hr.get(reverse("people:employee_list")).content.decode()
    assert 'id="roster-export-unmasked"' in page
    resp = hr.get(reverse("people:employee_export") + "?unmasked=1")
    first = dict(zip(*rows_of(io.BytesIO(b"".join(resp.streaming_content)))[:2], strict=True))
    assert first["证件号码"] == world.employees["engineer"].id_number
    for key in ("legal", "hrbp", "manager"):
        other = Client()
        other.force_login(world.users[key])
        body = other.get(reverse("people:employee_list")).content.decode()
        assert 'id="roster-export-unmasked"' not in body
