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


def test_policy_page_campaign_tracker_reminders_and_new_hires(world: Any, client_for: Any) -> None:
    from django.test import Client

    from hrguard.deadlines.models import Deadline

    hr = client_for(world.users["hr"], password="pw-hrhr")
    page = hr.get("/collection/policy/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "员工个人财务行为规范确认书" in html and "催收" in html and "尚未发起签署确认" in html
    assert 'data-testid="new-hires-state">已停用' in html
    text = html.split('id="policy-text"', 1)[1].split("</section>", 1)[0]
    assert "{{" not in text and world.company.name in text and "本人（员工姓名）已阅读" in text
    # A selection with an unknown number: refused, naming it, nothing sent.
    bad = hr.post("/collection/policy/", {"audience": "selection", "employee_nos": "S002, X999",
                                          "channels": ["inapp"], "days": "7"})
    assert bad.status_code == 400 and "X999" in bad.content.decode()
    assert not Envelope.objects.exists()
    bad = hr.post("/collection/policy/", {"audience": "all", "channels": ["inapp"], "days": "0"})
    assert bad.status_code == 400 and "1 至 60 天" in bad.content.decode()
    sent = hr.post("/collection/policy/", {"audience": "selection", "employee_nos": "S002", "channels": ["inapp"],
                                           "days": "7", "new_hires": "on"})
    assert sent.status_code == 302
    env = Envelope.objects.get()
    assert env.employee_id == world.employees["east_rep"].pk
    assert sent["Location"] == f"/documents/requests/{env.request_id}/"
    assert Deadline.objects.filter(key__startswith=f"documents:req:{env.request_id}:").count() == 4  # reminders
    assert services.settings_for(world.company.pk).policy_for_new_hires  # onboarding pack switched on
    html = hr.get("/collection/policy/").content.decode()
    assert f'data-request="{env.request_id}"' in html and 'data-testid="new-hires-state">已启用' in html
    tracker = hr.get(sent["Location"]).content.decode()
    assert "张测试" in tracker
    # Switch new hires off again from the page.
    assert hr.post("/collection/policy/", {"action": "new_hires"}).status_code == 302
    assert not services.settings_for(world.company.pk).policy_for_new_hires
    # Nobody without collection.manage opens it.
    for key in ("employee", "legal", "manager"):
        client = Client()
        client.force_login(world.users[key])
        assert client.get("/collection/policy/").status_code == 403
        assert client.post("/collection/policy/", {"audience": "all"}).status_code == 403
