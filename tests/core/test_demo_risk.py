"""After ``hrguard demo`` the early-warning pages show something real (seed 001): the shipped rules are on
and at least one of them fired over the demo's history, each alert with its explanation; a core
salesperson serves clients making 30% of the revenue, with a ready successor; a key-person case about
her is in progress (HR's talk and legal's assessment done, the contingency plan open for her department head,
demo-manager, who sees that step and nothing else of the case) and her alert is acted on → that case.
Runs on SQLite and PostgreSQL (``HRGUARD_TEST_DB=postgres``)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from hrguard.cases import keyperson
from hrguard.cases.models import Case
from hrguard.core.models import Company, User
from hrguard.risk.defaults import DEFAULT_RULES
from hrguard.risk.models import Alert, Rule
from hrguard.workflows.models import Step

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("own_keys_dir")]


def test_demo_has_alerts_clients_and_a_keyperson_case() -> None:
    call_command("demo", "--employees", "60", stdout=io.StringIO())
    company = Company.objects.get(code="demo")
    defaults = {r["key"] for r in DEFAULT_RULES}
    assert set(Rule.objects.filter(company=company, active=True).values_list("key", flat=True)) == defaults
    alerts = list(Alert.objects.filter(company=company).select_related("rule", "employee"))
    assert alerts, "no default rule fired over the demo's history"
    assert {a.rule.key for a in alerts} <= defaults
    assert all(a.explanation and a.employee.name in a.explanation for a in alerts)

    case = Case.objects.get(company=company, case_type="keyperson")
    core = case.subject_employee
    assert core.position.is_core
    a = keyperson.assess(core)
    assert a.company_share == Decimal(30) and len(a.clients) == 3
    assert a.annual_salary is not None and a.successors and a.successors[0].readiness == "ready"
    assert Decimal("1.5") * a.annual_salary == a.recruit_low and a.recruit_high == 2 * a.annual_salary
    steps = {s.key: s.state for s in Step.objects.filter(instance_id=case.process_id)}
    assert steps == {"hr_talk": "done", "legal": "done", "contingency": "open"}
    manager_user = User.objects.get(username="demo-manager")
    contingency = Step.objects.get(instance_id=case.process_id, key="contingency")
    assert contingency.assignee_user_id == manager_user.pk  # through the template's department_head rule
    mine = Alert.objects.get(company=company, employee=core, rule__key="travel-up")
    assert (mine.status, mine.outcome, mine.link_id) == ("acted", "case", case.pk)

    hr = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    hr.force_login(User.objects.get(username="demo-hr"))
    page = hr.get("/risk/?status=all").content.decode()
    assert mine.explanation in page or any(a.explanation in page for a in alerts)
    assert core.name in hr.get("/clients/").content.decode()
    assert "华东汽车集团" in hr.get(f"/cases/keyperson/{core.pk}/").content.decode()
    legal = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    legal.force_login(User.objects.get(username="demo-legal"))
    assert "法务评估" in legal.get(f"/cases/{case.pk}/").content.decode()
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    manager.force_login(manager_user)
    page = manager.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="own-steps-note"' in page and 'data-step="contingency"' in page and "业务应急预案" in page
    assert "data-act-form" in page  # the open step is theirs to complete from this page
    for hidden in ('data-step="hr_talk"', 'data-step="legal"', "人事与员工面谈", "法务评估", case.description,
                   "家庭负债", "竞业限制协议", 'id="links"', 'id="parties"'):
        assert hidden not in page, hidden

    # a second run adds nothing
    before = (Alert.objects.filter(company=company).count(), Case.objects.filter(company=company).count())
    call_command("demo", stdout=io.StringIO())
    assert (Alert.objects.filter(company=company).count(), Case.objects.filter(company=company).count()) == before
