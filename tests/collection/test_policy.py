"""The policy on personal financial conduct (issue 12 §1): an editable documents template, an
acknowledgement campaign to everyone or a selection, the tracker, and new hires when switched on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.collection import policy, services
from hrguard.documents import library
from hrguard.documents.models import Envelope

pytestmark = pytest.mark.django_db


def test_the_policy_template_is_created_once_and_editable(world: Any) -> None:
    hr = world.users["hr"]
    first = policy.ensure_policy_template(actor=hr)
    assert first.number == 1 and "催收" in first.body
    assert policy.ensure_policy_template(actor=hr).pk == first.pk
    edited = library.save_version(first.template, actor=hr, title=first.title, body=first.body + "\n\n五、补充条款。")
    assert policy.ensure_policy_template(actor=hr).pk == edited.pk and edited.number == 2


def test_campaign_to_everyone_or_a_selection_and_who_signed(world: Any) -> None:
    hr = world.users["hr"]
    everyone = policy.send_campaign(actor=hr)
    active = [e for e in world.employees.values()]
    assert Envelope.objects.filter(request=everyone.request).count() + len(everyone.skipped) >= 1
    sent = set(Envelope.objects.filter(request=everyone.request).values_list("employee_id", flat=True))
    assert sent <= {e.pk for e in active} and world.employees["east_rep"].pk in sent
    some = policy.send_campaign(actor=hr, employees=[world.employees["engineer"]])
    assert list(Envelope.objects.filter(request=some.request).values_list("employee_id", flat=True)) == [
        world.employees["engineer"].pk]
    with pytest.raises(ValidationError):
        policy.send_campaign(actor=hr, employees=[])
    with pytest.raises(PermissionDenied):
        policy.send_campaign(actor=world.users["engineer"])


def test_new_hires_get_the_policy_when_switched_on(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from hrguard.people.models import Employee

    hr = world.users["hr"]
    policy.ensure_policy_template(actor=hr)

    def hire(no: str) -> Employee:
        with django_capture_on_commit_callbacks(execute=True):
            return Employee.objects.create(company=world.company, employee_no=no, name=f"新人{no}",
                                           department=world.depts["rnd"], hire_date=dt.date(2026, 12, 1),
                                           email=f"{no}@acme.test")

    off = hire("N001")
    assert not Envelope.objects.filter(employee=off).exists()
    services.save_settings(actor=hr, policy_for_new_hires=True)
    on = hire("N002")
    assert Envelope.objects.filter(employee=on).count() == 1
