"""客户导入: the template's Chinese headers, a sheet written whole (clients, who serves them, years of
relationship), errors per row with nothing saved, shares of one employee's clients over 100% refused
(counting the clients already recorded), the company's total over 100% refused, files that are not
spreadsheets refused; the page and /api/v1/clients/import/."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hrguard.cases import keyperson
from hrguard.clients import imports, services
from hrguard.clients.models import Client, ClientCoverage
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db

HEADER = ["客户名称", "合作年限（年）", "年营收（元）", "占公司营收（%）", "服务员工工号", "服务角色", "占该员工业绩（%）",
          "接任准备度"]


def sheet(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [["华东汽车集团", 12, 3000000, 15, "S003", "主要负责", 50, ""],
        ["华东汽车集团", "", "", "", "S002", "协助", "", "可立即接任"],
        ["星海电子", 5, "2,000,000", "10%", "S003", "主要负责", 30, ""],
        ["远航物流", 1, 1000000, 5, "S003", "", 20, ""],
        ["新客户", "", "", "", "", "", "", ""]]


def test_template_has_the_chinese_headers_and_reads_back(world: Any) -> None:
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx()), read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 4 and rows[1][0] == "华东汽车集团"
    # the example rows name employees S0001 / S0002 the world does not have: refused by row, not by format
    report = imports.import_clients(actor=world.users["hr"], content=imports.template_xlsx())
    assert {(r, c) for r, c, _m in report.errors} == {(2, "服务员工工号"), (3, "服务员工工号"), (4, "服务员工工号")}


def test_import_writes_clients_coverage_and_years(world: Any) -> None:
    hr, rep, east = world.users["hr"], world.employees["sales_rep"], world.employees["east_rep"]
    report = imports.import_clients(actor=hr, content=sheet(GOOD), source="clients.xlsx")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.saved_coverage) == (4, 0, 4)
    big = Client.objects.get(company=world.company, name="华东汽车集团")
    assert big.revenue_share == Decimal(15) and big.annual_revenue == Decimal(3000000)
    assert keyperson.assess(rep).clients[0].years == 12
    assert ClientCoverage.objects.get(client=big, employee=east).readiness == "ready"
    assert ClientCoverage.objects.get(client=big, employee=east).role == "secondary"
    assert Client.objects.get(company=world.company, name="星海电子").annual_revenue == Decimal(2000000)
    assert not ClientCoverage.objects.filter(client__name="新客户").exists()
    a = keyperson.assess(rep)
    assert a.company_share == Decimal(30) and [s.name for s in a.successors] == ["张测试"]
    event = EvidenceEvent.objects.get(company=world.company, action="client.imported")
    assert '"clients_created":4' in event.record.replace(" ", "")
    # the same file again updates, adds nothing
    again = imports.import_clients(actor=hr, content=sheet(GOOD))
    assert again.ok and (again.created, again.updated) == (0, 4)
    assert Client.objects.filter(company=world.company).count() == 4


def test_errors_by_row_and_nothing_saved(world: Any) -> None:
    rows = [["华东汽车集团", 12, 3000000, 15, "S003", "主要负责", 50, ""],
            ["星海电子", "十年", -5, 140, "S999", "老板", "abc", "马上"],
            ["华东汽车集团", 11, "", "", "S002", "协助", "", ""],
            ["", 3, 100, 1, "S003", "", "", ""],
            ["远航物流", 2.5, 100, 1, "S003", "", 10, ""],
            ["华东汽车集团", "", "", "", "S003", "", "", ""]]
    report = imports.import_clients(actor=world.users["hr"], content=sheet(rows))
    found = {(r, c) for r, c, _m in report.errors}
    assert {(3, "合作年限（年）"), (3, "年营收（元）"), (3, "占公司营收（%）"), (3, "服务员工工号"), (3, "服务角色"),
            (3, "占该员工业绩（%）"), (3, "接任准备度")} <= found
    assert (4, "合作年限（年）") in found  # differs from row 2 of the same client
    assert (5, "客户名称") in found
    assert (6, "合作年限（年）") in found  # whole years
    assert (7, "服务员工工号") in found  # S003 serves 华东汽车集团 on row 2 already
    assert all(m for _r, _c, m in report.errors)
    assert not Client.objects.filter(company=world.company).exists()
    assert not EvidenceEvent.objects.filter(company=world.company, action="client.imported").exists()


def test_one_employees_shares_over_100_refused_counting_recorded_ones(world: Any) -> None:
    hr, rep = world.users["hr"], world.employees["sales_rep"]
    old = services.save_client(actor=hr, name="老客户", revenue_share="10")
    services.set_coverage(actor=hr, client_id=old.pk, employee=rep, revenue_share="60")
    rows = [["甲客户", 3, 100, 5, "S003", "", 30, ""], ["乙客户", 3, 100, 5, "S003", "", 20, ""]]
    report = imports.import_clients(actor=hr, content=sheet(rows))
    assert {(r, c) for r, c, _m in report.errors} == {(2, "占该员工业绩（%）"), (3, "占该员工业绩（%）")}
    assert "110" in report.errors[0][2]
    assert not Client.objects.filter(company=world.company, name="甲客户").exists()
    # the file may lower the recorded client's share in the same go
    fixed = imports.import_clients(actor=hr, content=sheet([*rows, ["老客户", "", "", "", "S003", "", 40, ""]]))
    assert fixed.ok, fixed.errors
    assert services.book_share(rep) == Decimal(90)


def test_company_total_over_100_refused(world: Any) -> None:
    services.save_client(actor=world.users["hr"], name="老客户", revenue_share="70")
    report = imports.import_clients(actor=world.users["hr"], content=sheet([["新客户", "", "", 40, "", "", "", ""]]))
    assert report.errors and report.errors[0][1] == "占公司营收（%）" and "110" in report.errors[0][2]


def test_not_a_sheet_missing_headers_empty(world: Any) -> None:
    hr = world.users["hr"]
    assert imports.import_clients(actor=hr, content=b"%PDF-1.4 not a sheet").errors[0][0] == 0
    assert imports.import_clients(actor=hr, content=sheet([["x"]], header=["名字", "工号x"])).errors[0][0] == 1
    assert imports.import_clients(actor=hr, content=sheet([])).errors
    csv = ("客户名称,合作年限（年）,占公司营收（%）,服务员工工号,占该员工业绩（%）\n华东汽车集团,12,15,S003,50\n"
           .encode("gb18030"))
    assert imports.import_clients(actor=hr, content=csv).ok


def test_permission(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.import_clients(actor=world.users["legal"], content=sheet(GOOD))


def _upload(content: bytes, name: str = "客户.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_page(world: Any, client_for: Any) -> None:
    hr = client_for(world.users["hr"])
    page = hr.get(reverse("clients:import"))
    assert page.status_code == 200 and "客户名称" in page.content.decode() and "导入" in page.content.decode()
    tpl = hr.get(reverse("clients:import_template"))
    assert tpl.status_code == 200 and tpl["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = hr.post(reverse("clients:import"), {"file": _upload(sheet([["甲", "x", "", "", "S003", "", "", ""]]))})
    assert bad.status_code == 400 and 'id="import-errors"' in bad.content.decode()
    fake = hr.post(reverse("clients:import"), {"file": _upload(b"MZ\x90\x00 program", "a.xlsx")})
    assert fake.status_code == 400 and 'id="upload-error"' in fake.content.decode()
    ok = hr.post(reverse("clients:import"), {"file": _upload(sheet(GOOD))})
    assert ok.status_code == 302 and ok["Location"] == reverse("clients:list")
    assert "华东汽车集团" in hr.get(reverse("clients:list")).content.decode()
    for key in ("legal", "engineer", "employee"):
        assert client_for(world.users[key]).get(reverse("clients:import")).status_code == 403
        assert client_for(world.users[key]).get(reverse("clients:import_template")).status_code == 403


def test_api(world: Any, other_world: Any, api: Any) -> None:
    hr = api(world.users["hr"])
    bad = hr.post("/api/v1/clients/import/", {"file": _upload(sheet([["甲", 1, "", 500, "S003", "", "", ""]]))},
                  format="multipart")
    assert bad.status_code == 400 and bad.json()["ok"] is False
    assert bad.json()["errors"][0] == {"row": 2, "column": "占公司营收（%）", "message": bad.json()["errors"][0]["message"]}
    ok = hr.post("/api/v1/clients/import/", {"file": _upload(sheet(GOOD))}, format="multipart")
    assert ok.status_code == 200 and ok.json()["clients_created"] == 4 and ok.json()["coverage"] == 4
    body = hr.get("/api/v1/clients/").json()
    assert {c["name"] for c in (body["results"] if isinstance(body, dict) else body)} >= {"华东汽车集团", "远航物流"}
    assert hr.post("/api/v1/clients/import/", {}, format="multipart").status_code == 400
    assert api(world.users["legal"]).post("/api/v1/clients/import/", {"file": _upload(sheet(GOOD))},
                                          format="multipart").status_code == 403
    # another company's HR imports the same sheet into their own company: new clients, their own people
    other = api(other_world.users["hr"]).post("/api/v1/clients/import/", {"file": _upload(sheet(GOOD))},
                                              format="multipart")
    assert other.status_code == 200 and other.json()["clients_created"] == 4
    assert set(ClientCoverage.objects.filter(company=other_world.company).values_list("employee__company_id",
                                                                                        flat=True)) == {
        other_world.company.pk}
    assert Client.objects.filter(company=world.company).count() == 4
