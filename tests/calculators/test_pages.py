"""Calculator pages: Chinese, the working and articles shown, errors under their fields, who sees the pages
and the links, wage sheet import, constant queries."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from hrguard.calculators.models import WageMonth

from .conftest import give_wages, twelve_months

pytestmark = pytest.mark.django_db
PAGES = ["/calculators/", "/calculators/compensation/", "/calculators/last-day/", "/calculators/probation/",
         "/calculators/annual-leave/", "/calculators/non-compete/", "/calculators/wages/"]


def test_compensation_page_shows_result_working_and_articles(world: Any, client_for: Any) -> None:
    r = client_for(world.users["hr"]).get("/calculators/compensation/", {
        "ground": "art36_employer", "service_months": 67, "monthly_wage": "12000", "local_average_wage": "9000",
        "notice_given": "on"})
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-figure="amount">¥72000.00' in html
    assert "经济补偿 N = 12,000.00 × 6" in html and "《劳动合同法》第47条" in html and "计算过程" in html
    assert "Working" not in html and "Total payable" not in html


@pytest.mark.parametrize("url,params,figure", [
    ("/calculators/last-day/", {"notice_date": "2026-03-01", "kind": "resignation"}, 'data-figure="last_day">2026-03-31'),
    ("/calculators/probation/", {"contract_type": "fixed_term", "start_date": "2026-01-01",
                                 "end_date": "2028-12-31"}, 'data-figure="max_months">6'),
    ("/calculators/annual-leave/", {"year": "2026", "first_work_date": "2010-07-01", "hire_date": "2026-04-01"},
     'data-figure="days">7'),
    ("/calculators/non-compete/", {"months": "24", "average_monthly_wage": "12000"}, 'data-figure="release">¥10800.00'),
])
def test_other_calculators(world: Any, client_for: Any, url: str, params: dict[str, str], figure: str) -> None:
    html = client_for(world.users["legal"]).get(url, params).content.decode()
    assert figure in html and "法律依据" in html


def test_errors_shown_under_fields(world: Any, client_for: Any) -> None:
    c = client_for(world.users["hr"])
    html = c.get("/calculators/last-day/", {"notice_date": "2026-03-01", "kind": "resignation",
                                            "proposed_last_day": "2026-02-01"}).content.decode()
    assert "最后工作日不能早于通知日期" in html and 'id="calc-result"' not in html
    rep = world.employees["east_rep"]
    give_wages(rep, twelve_months((2026, 2))[1:], 9000)
    html = c.get("/calculators/compensation/", {"employee_no": "S002", "end_date": "2026-03-15",
                                                "ground": "art36_employer"}).content.decode()
    assert "缺少以下月份的工资：2025-03" in html
    html = c.get("/calculators/compensation/", {"employee_no": "NOPE", "ground": "art36_employer"}).content.decode()
    assert "没有该工号的员工" in html
    html = c.get("/calculators/compensation/", {"monthly_wage": "-5", "service_months": "3",
                                                "ground": "art36_employer"}).content.decode()
    assert 'id="calc-result"' not in html and "is-invalid" in html


@pytest.mark.parametrize("role,status", [("hr", 200), ("legal", 200), ("admin", 200), ("employee", 403),
                                         ("manager", 403), ("finance", 403), ("hrbp", 403)])
def test_who_may_open(world: Any, client_for: Any, role: str, status: int) -> None:
    c = client_for(world.users[role])
    assert {c.get(url).status_code for url in PAGES} == {status}
    nav = c.get("/").content.decode()
    assert ('href="/calculators/compensation/"' in nav) == (status == 200)


def _sheet(rows: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "wages.xlsx"
    return out


def test_wage_import_page(world: Any, client_for: Any) -> None:
    c = client_for(world.users["hr"])
    bad = c.post("/calculators/wages/", {"file": _sheet([["工号", "年月", "应发工资"], ["S002", "x", 1]])})
    assert "年月" in bad.content.decode() and "请按 2025-03 的格式填写年月" in bad.content.decode()
    assert not WageMonth.objects.exists()
    ok = c.post("/calculators/wages/", {"file": _sheet([["工号", "年月", "应发工资"], ["S002", "2026-01", 1000]])})
    assert ok.status_code == 302 and WageMonth.objects.count() == 1
    html = c.get("/calculators/wages/", {"employee_no": "S002"}).content.decode()
    assert "2026-01" in html and "1000.00" in html
    legal = client_for(world.users["legal"])
    assert 'id="wage-import"' not in legal.get("/calculators/wages/").content.decode()
    assert legal.post("/calculators/wages/", {}).status_code == 404


def test_constant_queries(world: Any, client_for: Any, django_assert_max_num_queries: Any) -> None:
    rep = world.employees["east_rep"]
    give_wages(rep, twelve_months((2026, 2)), 9000)
    c = client_for(world.users["hr"])
    params = {"employee_no": "S002", "end_date": "2026-03-15", "ground": "art36_employer"}
    c.get("/calculators/compensation/", params)
    with django_assert_max_num_queries(14):
        assert 'id="calc-result"' in c.get("/calculators/compensation/", params).content.decode()
    with django_assert_max_num_queries(12):
        c.get("/calculators/wages/", {"employee_no": "S002"})
