"""Company facts the law needs: city and local wage tables, and their use by the Art. 47 calculation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.configuration import facts
from hrguard.core import wages
from hrguard.core.models import Company, LocalWage

pytestmark = pytest.mark.django_db


def _wage(world, **data):
    base = {"city": "上海", "kind": "average", "year": 2025, "month": 1, "amount": "12307", "source": "上海市人社局"}
    return facts.save_wage(actor=world.users["admin"], data={**base, **data})


def test_figures_in_force_by_year_and_month(world):
    facts.set_city(actor=world.users["admin"], city="上海")
    _wage(world, kind="minimum", year=2024, month=7, amount="2690")
    _wage(world, kind="minimum", year=2025, month=7, amount="2740")
    assert wages.minimum_monthly_wage(world.company, on=dt.date(2025, 6, 30)) == Decimal("2690.00")
    assert wages.minimum_monthly_wage(world.company, on=dt.date(2025, 7, 1)) == Decimal("2740.00")
    assert wages.minimum_monthly_wage(world.company, on=dt.date(2024, 1, 1)) is None
    assert wages.minimum_monthly_wage(world.company, on=dt.date(2025, 7, 1), city="北京") is None
    _wage(world, amount="12183", year=2024)
    _wage(world, amount="12307")  # 2025
    assert wages.compensation_cap_base(world.company, end_date=dt.date(2026, 3, 1)) == Decimal("12307.00")
    assert wages.compensation_cap_base(world.company, end_date=dt.date(2025, 3, 1)) == Decimal("12183.00")


def test_saving_the_same_month_again_replaces_it(world):
    _wage(world, amount="100")
    _wage(world, amount="200")
    assert list(LocalWage.objects.values_list("amount", flat=True)) == [Decimal("200.00")]


@pytest.mark.parametrize(("field", "value"), [
    ("amount", "abc"), ("amount", "-5"), ("amount", "NaN"), ("amount", "1e9"), ("year", "1900"), ("year", "二〇二五"),
    ("month", "13"), ("kind", "maximum"), ("city", ""), ("city", "上海\x00"),
])
def test_bad_wage_input_names_the_field(world, field, value):
    with pytest.raises(ValidationError) as exc:
        _wage(world, **{field: value})
    assert field in exc.value.message_dict
    assert not LocalWage.objects.exists()


def test_compensation_uses_the_local_cap(world):
    facts.set_city(actor=world.users["admin"], city="上海")
    _wage(world, amount="10000", year=2025)
    # 15 years at 40,000 a month: above 3 × 10,000 → base 30,000 and at most 12 years (LCL Art. 47).
    capped = facts.compensation_for(world.company, service_months=180, monthly_wage=Decimal(40000),
                                    end_date=dt.date(2026, 5, 31))
    assert capped.cap_applied and capped.compensation == Decimal("360000.00")
    uncapped = facts.compensation_for(world.company, service_months=180, monthly_wage=Decimal(40000),
                                      end_date=dt.date(2025, 5, 31))  # no 2024 figure entered
    assert not uncapped.cap_applied and uncapped.cap_base is None and uncapped.compensation == Decimal("600000.00")


def test_only_admins_change_facts_and_tenancy(world, other_world, client_for):
    with pytest.raises(PermissionDenied):
        facts.set_city(actor=world.users["hr"], city="北京")
    with pytest.raises(PermissionDenied):
        facts.save_wage(actor=world.users["hr"], data={})
    row = _wage(other_world)
    with pytest.raises(ValidationError):
        facts.delete_wage(actor=world.users["admin"], wage_id=row.pk)
    assert wages.figure(world.company, "average", year=2025, city="上海") is None  # B's figure is B's
    page = client_for(world.users["hr"]).get("/settings/facts/")
    assert page.status_code == 200 and "上海市人社局" not in page.content.decode()
    assert client_for(world.users["hr"]).post("/settings/facts/", {"action": "city", "city": "x"}).status_code == 403


def test_facts_page_round_trip(world, client_for):
    admin = client_for(world.users["admin"])
    resp = admin.post("/settings/facts/", {"action": "city", "city": "深圳"}, follow=True)
    assert "城市已保存" in resp.content.decode()
    assert Company.objects.get(pk=world.company.pk).city == "深圳"
    resp = admin.post("/settings/facts/", {"action": "wage", "city": "深圳", "kind": "minimum", "year": "2025",
                                           "month": "6", "amount": "2,520"}, follow=True)
    assert "工资标准已保存" in resp.content.decode() and "2520.00" in resp.content.decode()
    resp = admin.post("/settings/facts/", {"action": "wage", "city": "深圳", "kind": "minimum", "year": "x",
                                           "amount": "y"}, follow=True)
    body = resp.content.decode()
    assert resp.status_code == 200 and "年份：" in body and "金额（元）：" in body
