"""Starting the follow-up: eligibility (LCL Art. 24), term ≤ 2 years, the SPC (I) Art. 36 compensation floor,
the offer an exit makes when it completes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from .conftest import add_contract

D = Decimal


def _start(world: Any, employee: Any, **kw: Any) -> Any:
    from hrguard.noncompete import services

    args = {"term_months": 24, "region": "上海市", "scope": "同类业务", "role": "senior_technical",
            "eligibility_reason": "核心研发"} | kw
    return services.start_agreement(actor=world.users["hr"], employee=employee, **args)


def test_default_compensation_is_30_percent_of_the_average_and_a_schedule_follows(world, started):
    from hrguard.deadlines.models import Deadline

    a = started
    assert a.state == "active" and a.compensation_is_default
    assert a.monthly_compensation == D("3600.00")  # 30% of 12,000
    assert a.start_date == a.last_day + dt.timedelta(days=1)
    months = list(a.months.order_by("seq"))
    assert len(months) == 24 and months[0].period_start == a.start_date and months[-1].period_end == a.end_date
    assert all(m.amount == D("3600.00") for m in months)
    keys = set(Deadline.objects.filter(key__startswith=f"noncompete:{a.pk}:").values_list("key", flat=True))
    assert {f"noncompete:{a.pk}:m1:remind", f"noncompete:{a.pk}:m1:overdue", f"noncompete:{a.pk}:m1:proof",
            f"noncompete:{a.pk}:end"} <= keys


def test_term_over_two_years_is_refused_with_art_24(world, former):
    with pytest.raises(ValidationError) as exc:
        _start(world, former, term_months=25)
    assert "二年" in str(exc.value.message_dict["term_months"]) and "第24条" in str(exc.value.message_dict)


def test_role_outside_art_24_is_refused(world, former):
    with pytest.raises(ValidationError) as exc:
        _start(world, former, role="other")
    assert "高级管理人员" in str(exc.value.message_dict["role"])


def test_a_role_set_by_hr_needs_a_reason_unless_the_position_carries_the_duty(world, former):
    with pytest.raises(ValidationError) as exc:
        _start(world, former, eligibility_reason="")
    assert "eligibility_reason" in exc.value.message_dict
    former.position.confidentiality_duty = True
    former.position.save()
    from hrguard.noncompete import offers

    assert offers.eligibility_of(former).by_position
    a = _start(world, former, role="", eligibility_reason="")
    assert a.role == "confidentiality" and a.by_position


def test_default_below_minimum_wage_is_raised(world, city_tables):
    from django.utils import timezone

    from .conftest import make_former

    emp = world.employees["sales_rep"]
    add_contract(emp)
    make_former(emp, timezone.localdate() - dt.timedelta(days=40), wage=D(5000))  # 30% = 1,500 < 2,690
    a = _start(world, emp)
    assert a.monthly_compensation == D("2690.00") and a.minimum_wage == D("2690.00")


def test_agreed_compensation_below_minimum_is_refused_with_the_article(world, former):
    with pytest.raises(ValidationError) as exc:
        _start(world, former, monthly_compensation="2000")
    msg = " ".join(exc.value.message_dict["monthly_compensation"])
    assert "最低工资" in msg and "第36条" in msg
    a = _start(world, former, monthly_compensation="5000.00")
    assert a.monthly_compensation == D("5000.00") and not a.compensation_is_default


@pytest.mark.parametrize("bad", ["abc", "-1", "1e9", "0", "12.345"])
def test_bad_amounts_are_refused_by_field(world, former, bad):
    with pytest.raises(ValidationError) as exc:
        _start(world, former, monthly_compensation=bad)
    assert "monthly_compensation" in exc.value.message_dict


def test_only_a_former_employee_and_only_once(world, former):
    with pytest.raises(ValidationError):
        _start(world, world.employees["sales_rep"])  # still employed
    _start(world, former)
    with pytest.raises(ValidationError) as exc:
        _start(world, former)
    assert "employee" in exc.value.message_dict


def test_completed_exit_offers_the_follow_up_only_with_a_clause(world, staff, start):
    from hrguard.noncompete import offers
    from hrguard.noncompete.models import Agreement

    rep = world.employees["east_rep"]
    add_contract(rep)
    ex = start(ground="art37")
    ex.state = "completed"  # what completion.py sets before sending the signal
    agreement = offers.on_exit_completed(None, exit=ex, company_id=ex.company_id)
    agreement = Agreement.objects.get(exit_id=ex.pk)
    assert agreement.state == "offered" and agreement.clause_title == "竞业限制" and agreement.last_day == ex.last_day
    offers.offer_for_exit(ex)
    assert Agreement.objects.filter(exit_id=ex.pk).count() == 1  # idempotent
    other = world.employees["sales_rep"]
    add_contract(other, non_compete=False)
    ex2 = start("sales_rep", ground="art37")
    assert offers.offer_for_exit(ex2) is None


def test_exit_completion_signal_creates_the_offer(world, staff, start, django_capture_on_commit_callbacks):
    from hrguard.noncompete.models import Agreement
    from tests.offboarding.conftest import act_as, confirm_all, open_steps
    from tests.offboarding.test_flow import _sweep_after

    add_contract(world.employees["east_rep"])
    ex = start(ground="art37")
    _sweep_after(ex.last_day)
    confirm_all(ex, staff)
    with django_capture_on_commit_callbacks(execute=True):
        for _round in range(3):
            for step in open_steps(ex):
                act_as(step, staff)
    ex.refresh_from_db()
    assert ex.state == "completed"
    offer = Agreement.objects.get(exit_id=ex.pk)
    assert offer.state == "offered"
    from hrguard.evidence.models import EvidenceEvent

    assert EvidenceEvent.objects.filter(action="noncompete.offered").count() == 1


def test_start_from_the_offer(world, staff, start, city_tables):
    from hrguard.noncompete import offers, services

    from .conftest import give_wages, twelve_months

    rep = world.employees["east_rep"]
    add_contract(rep)
    ex = start(ground="art37")
    d = ex.last_day
    give_wages(rep, [*twelve_months((d.year, d.month - 1) if d.month > 1 else (d.year - 1, 12)), (d.year, d.month)],
               D(20000))
    offer = offers.offer_for_exit(ex)
    a = services.start_agreement(actor=world.users["hr"], agreement_id=offer.pk, term_months=12, region="全国",
                                 scope="证券经纪", role="confidentiality", eligibility_reason="掌握客户名单")
    assert a.pk == offer.pk and a.state == "active" and a.monthly_compensation == D("6000.00")
    assert a.start_date == ex.last_day + dt.timedelta(days=1) and a.months.count() == 12
    with pytest.raises(ValidationError):
        services.start_agreement(actor=world.users["hr"], agreement_id=offer.pk, term_months=12, region="全国",
                                 scope="证券经纪", role="confidentiality", eligibility_reason="x")
