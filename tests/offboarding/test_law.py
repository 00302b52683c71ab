"""Exits refused or shaped by the law: last days computed from law/termination.py, Art. 42 protections,
Art. 43 union notice, grounds inconsistent with the facts, and the bad inputs of the issue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hrguard.law import termination as law
from hrguard.offboarding.models import Exit
from tests.offboarding.conftest import NOTICE

pytestmark = pytest.mark.django_db
UNION = NOTICE - dt.timedelta(days=1)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_resignation_ends_after_the_statutory_notice(world, staff, start):
    ex = start(ground="art37")
    assert ex.last_day == law.resignation_effective_date(NOTICE, False) == ex.earliest_last_day
    world.employees["east_rep"].refresh_from_db()
    assert world.employees["east_rep"].status == "leaving"


def test_resignation_in_probation_needs_three_days(world, staff, start):
    from hrguard.people.models import Contract

    Contract.objects.create(company=world.company, employee=world.employees["east_rep"], contract_no="C-1",
                            contract_type="fixed_term", start_date=dt.date(2026, 9, 1), end_date=dt.date(2029, 8, 31),
                            probation_months=3, probation_end_date=dt.date(2026, 11, 30), wage=8000,
                            work_location="上海")
    ex = start(ground="art37")
    assert ex.in_probation and ex.last_day == NOTICE + dt.timedelta(days=law.RESIGNATION_NOTICE_DAYS_PROBATION)


def test_resignation_earlier_than_the_law_is_refused_naming_article_37(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(ground="art37", last_day=NOTICE + dt.timedelta(days=10))
    assert any("第37条" in m for m in _errors(exc)["last_day"])
    assert not Exit.objects.exists()


def test_last_day_before_notice_is_refused(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(kind="mutual", ground="art36_employee", last_day=NOTICE - dt.timedelta(days=1))
    assert "last_day" in _errors(exc)


def test_no_fault_dismissal_during_medical_period_is_refused_naming_article_42(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(kind="no_fault", ground="art40_2", pay_in_lieu=True, union_notified_on=UNION,
              protections=["art42_3"])
    assert any("第42条" in m for m in _errors(exc)["ground"])
    assert not Exit.objects.exists()


def test_sick_leave_on_the_notice_date_is_found_as_medical_period(world, staff, start):
    from hrguard.leave.models import LeaveRequest

    LeaveRequest.objects.create(company=world.company, employee=world.employees["east_rep"], leave_type="sick",
                                start_date=NOTICE - dt.timedelta(days=3), end_date=NOTICE + dt.timedelta(days=3),
                                days=7, status="approved", reason="住院")
    with pytest.raises(ValidationError) as exc:
        start(kind="no_fault", ground="art40_1", pay_in_lieu=True, union_notified_on=UNION)
    assert any("医疗期" in m for m in _errors(exc)["ground"])


def test_employer_termination_needs_union_notice_article_43(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(kind="for_cause", ground="art39_2")
    assert any("第43条" in m for m in _errors(exc)["union_notified_on"])
    ex = start(kind="for_cause", ground="art39_2", union_notified_on=UNION)
    assert ex.last_day == NOTICE


def test_no_fault_without_pay_in_lieu_needs_thirty_days(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(kind="no_fault", ground="art40_2", union_notified_on=UNION, last_day=NOTICE + dt.timedelta(days=5))
    assert "last_day" in _errors(exc)
    ex = start(kind="no_fault", ground="art40_2", union_notified_on=UNION)
    assert ex.last_day == law.no_fault_notice_date(NOTICE)


def test_ground_inconsistent_with_facts_is_refused(world, staff, start):
    with pytest.raises(ValidationError) as exc:  # not on probation: failing the hiring criteria is no ground
        start(kind="for_cause", ground="art39_1", union_notified_on=UNION)
    assert "ground" in _errors(exc)
    with pytest.raises(ValidationError):  # pay in lieu belongs to Art. 40 only
        start(kind="for_cause", ground="art39_2", union_notified_on=UNION, pay_in_lieu=True)
    with pytest.raises(ValidationError):  # a ground of another kind
        start(kind="resignation", ground="art39_2")


def test_persuasion_is_recorded_as_the_ground_actually_used(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(kind="for_cause", ground="art39_2", persuasion=True, union_notified_on=UNION)
    assert "ground" in _errors(exc)
    ex = start(kind="mutual", ground="art36_employer", persuasion=True)
    assert ex.persuasion and ex.ground == "art36_employer"


def test_duplicate_exit_for_the_same_employment_is_refused(world, staff, start):
    from hrguard.offboarding import services

    first = start(ground="art37")
    with pytest.raises(ValidationError) as exc:
        start(ground="art37")
    assert f"#{first.pk}" in " ".join(_errors(exc)["employee"])
    services.cancel_exit(actor=world.users["hr"], exit_id=first.pk, reason="员工撤回辞职，公司同意")
    world.employees["east_rep"].refresh_from_db()
    assert world.employees["east_rep"].status == "active"
    assert start(ground="art37").pk != first.pk


def test_bad_dates_and_text_are_refused_in_words(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(ground="art37", notice_date="2026-13-40")
    assert "notice_date" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        start(ground="art37", reason="<script>x</script>")
    assert "reason" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        start(ground="art37", notice_date=dt.date(2019, 1, 1))
    assert "notice_date" in _errors(exc)
    with pytest.raises(ValidationError):
        start(kind="nonsense")
    with pytest.raises(ValidationError):
        start(ground="art37", protections=["bogus"])
