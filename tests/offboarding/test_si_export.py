"""社保减员 / 退工登记 exports: employments ending in a range, in a city layout (data, editable), Excel via the
platform writer (formula escaping), ID numbers unmasked only for those allowed, evidence of each export;
bad input (from > to, unknown column, unknown layout), other companies and employees refused."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hrguard.evidence.models import EvidenceEvent
from hrguard.offboarding import si_export
from tests.offboarding.conftest import persuasion_exit

pytestmark = pytest.mark.django_db


def _rows(data: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def _range() -> tuple[str, str]:
    today = timezone.localdate()
    return (today - dt.timedelta(days=30)).isoformat(), (today + dt.timedelta(days=30)).isoformat()


def test_shanghai_layout_columns_mapping_and_full_id_for_hr(world, other_world, staff, start):
    ex = persuasion_exit(start, ended=True)
    frm, to = _range()
    _result, data = si_export.export(actor=world.users["hr"], date_from=frm, date_to=to, layout="shanghai")
    rows = _rows(data)
    assert rows[0] == ["序号", "姓名", "身份证号码", "减员年月", "减员原因", "离职日期"]
    assert len(rows) == 2  # only this company's employment ending in the range
    row = rows[1]
    rep = world.employees["east_rep"]
    assert row[1] == "张测试" and row[2] == rep.id_number and row[4] == "协商解除"
    assert row[3] == f"{(ex.last_day.replace(day=1) + dt.timedelta(days=32)):%Y%m}"
    ev = EvidenceEvent.objects.get(action="offboarding.si_exported")
    from hrguard.evidence.selectors import decoded

    assert decoded(ev)["data"]["rows"] == 1 and decoded(ev)["data"]["unmasked"] is True


def test_id_numbers_and_phones_masked_unless_allowed(world, staff, start):
    ex = persuasion_exit(start)
    masked = si_export.values_of(ex, 1, unmasked=False)
    full = si_export.values_of(ex, 1, unmasked=True)
    rep = world.employees["east_rep"]
    assert full["id_number"] == rep.id_number and full["phone"] == rep.phone
    assert "*" in masked["id_number"] and masked["id_number"][-4:] == rep.id_number[-4:]
    assert "*" in masked["phone"] and rep.phone not in masked["phone"]
    assert not world.users["hrbp"].has_perm("offboarding.export_si")  # HRBPs do not export the lists


def test_filing_list_names_ground_and_company(world, staff, start):
    persuasion_exit(start)
    frm, to = _range()
    result = si_export.build(actor=world.users["hr"], date_from=frm, date_to=to, layout="filing")
    assert "依据条款" in result.headers and "用人单位名称" in result.headers
    row = dict(zip(result.headers, result.rows[0], strict=True))
    assert "36" in row["依据条款"] and row["用人单位名称"] == "甲公司" and row["解除/终止类型"] == "协商解除"


def test_range_from_after_to_is_refused_naming_the_field(world, staff):
    with pytest.raises(ValidationError) as exc:
        si_export.build(actor=world.users["hr"], date_from="2026-12-31", date_to="2026-12-01")
    assert "起始日期" in exc.value.message_dict["from"][0]
    with pytest.raises(ValidationError) as exc:
        si_export.build(actor=world.users["hr"], date_from="2026-01-01", date_to="bad")
    assert "to" in exc.value.message_dict


def test_unknown_layout_and_unknown_column_are_refused(world, staff):
    with pytest.raises(ValidationError) as exc:
        si_export.build(actor=world.users["hr"], date_from="2026-12-01", date_to="2026-12-31", layout="nowhere")
    assert "nowhere" in exc.value.message_dict["layout"][0]
    with pytest.raises(ValidationError) as exc:
        si_export.save_layout(actor=world.users["admin"], key="hangzhou", name="杭州", list_kind="reduction",
                              columns=[{"field": "name", "header": "姓名"}, {"field": "salary", "header": "工资"}])
    msgs = exc.value.message_dict["columns"]
    assert any("salary" in m and "第2列" in m for m in msgs)


def test_company_admin_edits_a_layout_and_the_export_uses_it(world, other_world, staff, start):
    persuasion_exit(start)
    si_export.save_layout(actor=world.users["admin"], key="shanghai", name="上海（本公司）", list_kind="reduction",
                          columns=[{"field": "employee_no", "header": "工号"}, {"field": "name", "header": "职工姓名"},
                                   {"field": "reason", "header": "原因", "map": {"mutual": "M"}}])
    frm, to = _range()
    result = si_export.build(actor=world.users["hr"], date_from=frm, date_to=to, layout="shanghai")
    assert result.headers == ["工号", "职工姓名", "原因"] and result.rows[0] == ["S002", "张测试", "M"]
    other = si_export.build(actor=other_world.users["hr"], date_from=frm, date_to=to, layout="shanghai")
    assert other.headers[0] == "序号" and other.rows == []  # the other company keeps the shipped layout
    with pytest.raises(PermissionDenied):
        si_export.save_layout(actor=world.users["employee"], key="x", name="x", list_kind="reduction",
                              columns=[{"field": "name", "header": "姓名"}])


def test_formula_like_names_are_written_as_text(world, staff, start):
    rep = world.employees["east_rep"]
    rep.name = "=HYPERLINK(\"http://x\")"
    rep.save(update_fields=["name"])
    persuasion_exit(start)
    frm, to = _range()
    _r, data = si_export.export(actor=world.users["hr"], date_from=frm, date_to=to, layout="generic")
    assert _rows(data)[1][1].startswith("'=")


def test_employee_may_not_export(world, staff, start, client_for):
    persuasion_exit(start)
    frm, to = _range()
    with pytest.raises(PermissionDenied):
        si_export.build(actor=world.users["employee"], date_from=frm, date_to=to)
    c = client_for(world.users["employee"])
    assert c.get(f"/exits/si/?from={frm}&to={to}").status_code == 403
    assert c.get(f"/api/v1/exits/si-reductions/?from={frm}&to={to}").status_code == 403
    assert c.get("/exits/si/layout/").status_code == 403
    assert not EvidenceEvent.objects.filter(action="offboarding.si_exported").exists()


def test_page_and_api(world, staff, start, client_for):
    persuasion_exit(start)
    frm, to = _range()
    hr = client_for(world.users["hr"])
    page = hr.get(f"/exits/si/?from={frm}&to={to}&layout=beijing")
    assert page.status_code == 200 and "公民身份号码" in page.content.decode() and "张测试" in page.content.decode()
    bad = hr.get(f"/exits/si/?from={to}&to={frm}")
    assert bad.status_code == 400 and "起始日期" in bad.content.decode()
    dl = hr.get(f"/exits/si/?from={frm}&to={to}&layout=generic&download=1")
    assert dl["Content-Type"].startswith("application/vnd.openxmlformats") and _rows(dl.content)[1][1] == "张测试"
    api = hr.get(f"/api/v1/exits/si-reductions/?from={frm}&to={to}&layout=shenzhen")
    assert api.status_code == 200 and _rows(api.content)[0][3] == "停保年月"
    api_bad = hr.get(f"/api/v1/exits/si-reductions/?from={to}&to={frm}")
    assert api_bad.status_code == 400 and "from" in api_bad.json()["fields"]
    layout = hr.post("/exits/si/layout/", {"key": "hz", "name": "杭州", "list_kind": "reduction",
                                           "columns": "name | 姓名\nwage | 工资"})
    assert layout.status_code == 400 and "wage" in layout.content.decode()
    ok = hr.post("/exits/si/layout/", {"key": "hz", "name": "杭州", "list_kind": "reduction",
                                       "columns": "seq | 序号\nname | 姓名\nreason | 原因 | mutual=协商"})
    assert ok.status_code == 302
    assert hr.get(f"/exits/si/?from={frm}&to={to}&layout=hz").content.decode().count("协商") >= 1
