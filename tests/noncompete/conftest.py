"""Fixtures for the non-compete follow-up: a contract with a 竞业限制 clause, wage history and city tables, a
former employee whose restriction started about three months ago."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.calculators.conftest import city_tables, give_wages, twelve_months  # noqa: F401
from tests.offboarding.conftest import staff, start  # noqa: F401

NC_TEXT = "乙方离职后二年内不得到与甲方有竞争关系的单位就职。"


def add_contract(employee: Any, *, non_compete: bool = True) -> Any:
    from hrguard.people.models import Contract, ContractClause

    c = Contract.objects.create(company_id=employee.company_id, employee=employee,
                                contract_no=f"HT-{employee.employee_no}", contract_type="open_ended",
                                start_date=employee.hire_date, wage=Decimal(12000), work_location="上海")
    if non_compete:
        ContractClause.objects.create(contract=c, title="竞业限制", body=NC_TEXT, category="non_compete", is_key=True)
    return c


def make_former(employee: Any, last_day: dt.date, wage: Decimal = Decimal(12000)) -> Any:
    from hrguard.people.models import EmployeeStatus

    employee.status, employee.termination_date = EmployeeStatus.LEFT, last_day
    employee.save(update_fields=["status", "termination_date"])
    prev = (last_day.year, last_day.month - 1) if last_day.month > 1 else (last_day.year - 1, 12)
    give_wages(employee, [*twelve_months(prev), (last_day.year, last_day.month)], wage)
    return employee


@pytest.fixture
def former(world: Any, city_tables: Any) -> Any:  # noqa: F811
    """李工程 left about three months ago; a non-compete clause in the contract."""
    from django.utils import timezone

    emp = world.employees["engineer"]
    add_contract(emp)
    return make_former(emp, timezone.localdate() - dt.timedelta(days=95))


@pytest.fixture
def started(world: Any, former: Any) -> Any:
    from hrguard.noncompete import services

    return services.start_agreement(actor=world.users["hr"], employee=former, term_months=24, region="上海市",
                                    scope="证券经纪业务", role="senior_technical", eligibility_reason="核心研发，掌握源代码")
