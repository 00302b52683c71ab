"""Calculator services: employee records and city tables as inputs, missing wage months named, wage history
recording and import (all or nothing, evidence), permissions and tenancy."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from hrguard.calculators import services
from hrguard.calculators.models import WageMonth
from hrguard.evidence.models import EvidenceEvent

from .conftest import give_wages, twelve_months

pytestmark = pytest.mark.django_db
D = Decimal


def test_compensation_from_wage_history_and_city_table(world: Any, city_tables: Any) -> None:
    rep = world.employees["east_rep"]  # hired 2020-01-06
    give_wages(rep, twelve_months((2026, 2)), D(12000))
    a = services.compute_compensation(actor=world.users["hr"], employee=rep, ground="art36_employer",
                                      end_date=dt.date(2026, 3, 15))
    # 2020-01-06 .. 2026-03-15 = 6 years 2 months → 6.5; cap 27,000 not reached
    assert (a.figures["monthly_wage"], a.figures["years_counted"], a.figures["amount"]) == (D(12000), D("6.5"),
                                                                                           D(78000))
    assert a.figures["local_average_wage"] == D(9000) and a.figures["cap_base"] == D(27000)
    assert a.figures["wage_months"][0] == "2025-03" and a.figures["wage_months"][-1] == "2026-02"
    assert not a.warnings


def test_missing_wage_months_are_named(world: Any, city_tables: Any) -> None:
    rep = world.employees["east_rep"]
    give_wages(rep, [m for m in twelve_months((2026, 2)) if m not in ((2025, 6), (2025, 7))], D(12000))
    with pytest.raises(ValidationError) as exc:
        services.compute_compensation(actor=world.users["legal"], employee=rep, ground="art36_employer",
                                      end_date=dt.date(2026, 3, 15))
    message = exc.value.message_dict["wages"][0]
    assert "2025-06" in message and "2025-07" in message and "2025-05" not in message


def test_in_lieu_month_is_last_wage_month_and_cap_warning_without_tables(world: Any) -> None:
    rep = world.employees["east_rep"]
    months = twelve_months((2026, 2))
    give_wages(rep, months[:-1], D(10000))
    give_wages(rep, months[-1:], D(22000))
    a = services.compute_compensation(actor=world.users["hr"], employee=rep, ground="art40_2",
                                      end_date=dt.date(2026, 3, 15), notice_given=False)
    assert a.figures["in_lieu_of_notice"] == D(22000) and a.figures["kind"] == "N+1"
    assert [w.code for w in a.warnings] == ["cap.unknown"]


def test_explicit_inputs_override_and_bad_input(world: Any) -> None:
    hr = world.users["hr"]
    a = services.compute_compensation(actor=hr, ground="art36_employer", service_months=67, monthly_wage=D(12000),
                                      local_average_wage=D(9000))
    assert a.figures["amount"] == D(72000)
    with pytest.raises(ValidationError) as exc:
        services.compute_compensation(actor=hr, ground="art36_employer", service_months=12, monthly_wage=D(-5))
    assert "monthly_wage" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.compute_compensation(actor=hr, ground="art36_employer", start_date=dt.date(2026, 1, 1),
                                      end_date=dt.date(2025, 1, 1), monthly_wage=D(100))
    assert "end_date" in exc.value.message_dict


def test_last_day_uses_probation_status(world: Any) -> None:
    rep = world.employees["east_rep"]
    rep.status = "probation"
    rep.save(update_fields=["status"])
    a = services.compute_last_day(actor=world.users["hr"], employee=rep, notice_date=dt.date(2026, 3, 1))
    assert a.figures["last_day"] == dt.date(2026, 3, 4) and a.figures["in_probation"] is True
    with pytest.raises(ValidationError) as exc:
        services.compute_last_day(actor=world.users["hr"], notice_date=dt.date(2026, 3, 1),
                                  proposed_last_day=dt.date(2026, 2, 1))
    assert "proposed_last_day" in exc.value.message_dict


def test_noncompete_from_history_with_minimum_floor(world: Any, city_tables: Any) -> None:
    rep = world.employees["east_rep"]
    give_wages(rep, twelve_months((2026, 2)), D(8000))
    a = services.compute_noncompete(actor=world.users["legal"], employee=rep, end_date=dt.date(2026, 3, 15))
    assert a.figures["monthly"] == D(2690)  # 30% of 8,000 = 2,400 < minimum 2,690
    assert a.figures["release_payment"] == D(8070)


@pytest.mark.parametrize("role", ["employee", "manager", "finance", "hrbp"])
def test_only_hr_legal_admin_calculate(world: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.compute_probation(actor=world.users[role], contract_type="open_ended", start_date=dt.date(2026, 1, 1))


def _sheet(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_wage_sheet_saves_all_with_evidence(world: Any) -> None:
    hr = world.users["hr"]
    content = _sheet([["工号", "年月", "应发工资"], ["S002", "2026-01", 12000], ["S002", "2026年2月", "12,500.50"],
                      ["R001", dt.datetime(2026, 1, 1), 9000]])
    report = services.import_wage_months(actor=hr, content=content, source="jan.xlsx")
    assert report.saved == 3 and not report.errors
    rep = world.employees["east_rep"]
    assert WageMonth.objects.get(employee=rep, year=2026, month=2).amount == D("12500.50")
    assert EvidenceEvent.objects.filter(company=world.company, action="wage_month.imported").count() == 1
    again = services.import_wage_months(actor=hr, content=_sheet([["工号", "年月", "应发工资"], ["S002", "2026-01", 1]]))
    assert again.saved == 1 and WageMonth.objects.get(employee=rep, year=2026, month=1).amount == D(1)


def test_import_with_errors_saves_nothing_and_names_rows(world: Any, other_world: Any) -> None:
    content = _sheet([["工号", "年月", "应发工资"], ["S002", "2026-01", 12000], ["NOPE", "2026-13", -1],
                      ["S002", "2026-01", 5]])
    report = services.import_wage_months(actor=world.users["hr"], content=content)
    assert report.saved == 0 and not WageMonth.objects.exists()
    assert {(r, c) for r, c, _m in report.errors} == {(3, "工号"), (3, "年月"), (3, "应发工资"), (4, "年月")}
    # another company's employee number is unknown here
    b_only = _sheet([["工号", "年月", "应发工资"], ["S002", "2026-01", 1]])
    assert services.import_wage_months(actor=other_world.users["hr"], content=b_only).saved == 1
    assert not WageMonth.objects.filter(company=world.company).exists()


def test_import_refuses_sheet_without_headers_and_legal_cannot_import(world: Any) -> None:
    report = services.import_wage_months(actor=world.users["hr"], content=_sheet([["a", "b"], [1, 2]]))
    assert report.errors and report.errors[0][0] == 1
    with pytest.raises(PermissionDenied):
        services.import_wage_months(actor=world.users["legal"], content=b"x")


def test_record_wage_month_refuses_other_company_employee(world: Any, other_world: Any) -> None:
    with pytest.raises(ValidationError):
        services.record_wage_month(actor=world.users["hr"], employee=other_world.employees["east_rep"], year=2026,
                                   month=1, amount=D(1))
    row = services.record_wage_month(actor=world.users["hr"], employee=world.employees["east_rep"], year=2026,
                                     month=1, amount=D(100))
    assert EvidenceEvent.objects.filter(action="wage_month.recorded", employee_id=row.employee_id).exists()
