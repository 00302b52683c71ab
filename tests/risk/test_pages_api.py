"""Pages and API of early warning: Chinese pages, the permission matrix (another company, an employee,
a manager outside the department, the subject: nothing), evidence of every view, constant queries."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent
from hrguard.risk import scan
from hrguard.risk.models import Alert, RuleVersion

from .conftest import AS_OF, late


@pytest.fixture
def alerts(rules_on: Any, seeded: Any) -> dict[str, Alert]:
    # the late rule may be shown to the line manager (销售部's 王经理 manages 张测试 and 欧阳娜娜)
    scan.run(seeded.company, as_of=AS_OF)
    return {a.rule.key: a for a in Alert.objects.all()}


def test_hr_list_and_detail_in_chinese_with_evidence(alerts: Any, seeded: Any, client_for: Any) -> None:
    client = client_for(seeded.users["hr"])
    page = client.get(reverse("risk:alerts")).content.decode()
    assert "预警" in page and "张测试" in page and "欧阳娜娜" in page
    assert "Alerts" not in page and "Severity" not in page
    alert = alerts["travel-up"]
    before = EvidenceEvent.objects.filter(action="risk.alert_viewed").count()
    detail = html.unescape(client.get(reverse("risk:alert", args=[alert.pk])).content.decode())
    assert alert.explanation in detail and 'travel_days("1m")' in detail
    assert EvidenceEvent.objects.filter(action="risk.alert_viewed").count() == before + 1
    assert EvidenceEvent.objects.filter(action="risk.alerts_listed").exists()


def test_triage_from_the_page(alerts: Any, seeded: Any, client_for: Any) -> None:
    client = client_for(seeded.users["hr"])
    alert = alerts["late-arrivals-14d"]
    resp = client.post(reverse("risk:triage", args=[alert.pk]), {"status": "dismissed", "reason": ""})
    assert resp.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "open"  # a dismissal needs its reason
    client.post(reverse("risk:triage", args=[alert.pk]), {"status": "acted", "outcome": "case",
                                                          "link_url": "/cases/7/"})
    alert.refresh_from_db()
    assert (alert.status, alert.outcome, alert.link_url) == ("acted", "case", "/cases/7/")
    rules = client.get(reverse("risk:rules")).content.decode()
    assert "100%" in rules


def test_manager_sees_only_rules_that_allow_it_about_their_people(alerts: Any, seeded: Any, client_for: Any,
                                                                  api: Any) -> None:
    manager = seeded.users["manager"]
    page = client_for(manager).get(reverse("risk:alerts")).content.decode()
    assert "14天内迟到3次及以上" in page  # manager-visible rule, about 张测试 (销售部/华东组)
    assert "出差天数高于本人基线30%" not in page and "报销超阈值" not in page
    assert client_for(manager).get(reverse("risk:alert", args=[alerts["travel-up"].pk])).status_code == 404
    assert client_for(manager).get(reverse("risk:alert", args=[alerts["late-arrivals-14d"].pk])).status_code == 200
    data = api(manager).get("/api/v1/risk/alerts/").json()
    assert [a["rule"] for a in data["results"]] == ["late-arrivals-14d"]


@pytest.mark.parametrize("who", ["employee", "engineer", "legal", "finance", "hrbp"])
def test_others_see_nothing(alerts: Any, seeded: Any, client_for: Any, api: Any, who: str) -> None:
    user = seeded.users[who]
    client = client_for(user)
    assert client.get(reverse("risk:alerts")).status_code == 403
    for alert in alerts.values():
        assert client.get(reverse("risk:alert", args=[alert.pk])).status_code in (403, 404)
        assert client.post(reverse("risk:triage", args=[alert.pk]), {"status": "dismissed", "reason": "x"}
                           ).status_code in (403, 404)
    assert client.get(reverse("risk:rules")).status_code == 403
    assert api(user).get("/api/v1/risk/alerts/").status_code == 403
    assert api(user).get("/api/v1/risk/rules/").status_code == 403
    assert Alert.objects.filter(status="open").count() == 3


def test_manager_outside_the_department_sees_nothing(alerts: Any, seeded: Any, client_for: Any) -> None:
    """研发部's head (李工程 made head here) manages nobody with an alert: an empty list, 404 on each."""
    rnd = seeded.depts["rnd"]
    rnd.manager = seeded.employees["engineer"]
    rnd.save()
    client = client_for(seeded.users["engineer"])
    page = client.get(reverse("risk:alerts")).content.decode()
    assert "张测试" not in page and "欧阳娜娜" not in page
    for alert in alerts.values():
        assert client.get(reverse("risk:alert", args=[alert.pk])).status_code == 404


def test_the_subject_never_sees_the_alert_but_sees_the_rules_applied(alerts: Any, seeded: Any,
                                                                     client_for: Any) -> None:
    """张测试 is HR here: she still cannot open the alerts about herself, nor triage them."""
    from hrguard.risk import services

    alert = alerts["late-arrivals-14d"]
    alert.note = "HR内部备注"
    alert.save()
    client = client_for(seeded.users["employee"])
    mine = client.get(reverse("risk:mine")).content.decode()
    assert "14天内迟到3次及以上" in mine and "报销超阈值连续3个月" in mine
    assert "HR内部备注" not in mine and "已面谈" not in mine
    seeded.users["employee"].role = "hr"
    seeded.users["employee"].save()
    hr_self = client_for(seeded.users["employee"])
    assert hr_self.get(reverse("risk:alert", args=[alert.pk])).status_code == 404
    assert "张测试" not in hr_self.get(reverse("risk:alerts")).content.decode()
    with pytest.raises(Exception):  # noqa: B017 (Http404 from the service)
        services.dismiss(actor=seeded.users["employee"], alert_id=alert.pk, reason="x")


def test_other_company_sees_nothing(alerts: Any, other_world: Any, client_for: Any, api: Any) -> None:
    hr = other_world.users["hr"]
    assert "张测试" not in client_for(hr).get(reverse("risk:alerts")).content.decode()
    for alert in alerts.values():
        assert client_for(hr).get(reverse("risk:alert", args=[alert.pk])).status_code == 404
        assert api(hr).get(f"/api/v1/risk/alerts/{alert.pk}/").status_code == 404
    assert api(hr).get("/api/v1/risk/alerts/").json()["results"] == []
    assert api(hr).get("/api/v1/risk/rules/").json() == []


def test_api_rules_and_alerts(alerts: Any, seeded: Any, api: Any) -> None:
    client = api(seeded.users["admin"])
    rules = {r["key"]: r for r in client.get("/api/v1/risk/rules/").json()}
    assert rules["travel-up"]["active"] is True and rules["travel-up"]["precision"] is None
    bad = client.post("/api/v1/risk/rules/", {"key": "bad", "name": "x", "expression": 'nope("1m") > 1',
                                              "severity": "low", "explanation": "x", "purposes": ["conduct"]},
                      format="json")
    assert bad.status_code == 400 and "未知信号“nope”。" in bad.json()["fields"]["expression"]
    ok = client.post("/api/v1/risk/rules/", {"key": "absent", "name": "旷工", "expression": 'absences("14d") >= 2',
                                             "severity": "high", "explanation": "{employee}旷工{absences:14d}天",
                                             "purposes": ["attendance"]}, format="json")
    assert ok.status_code == 201 and ok.json()["version"] == 1
    listed = client.get("/api/v1/risk/alerts/?status=open").json()["results"]
    assert len(listed) == 3
    one = client.get(f"/api/v1/risk/alerts/{alerts['travel-up'].pk}/").json()
    assert one["facts"]["version"] == 1
    tri = client.post(f"/api/v1/risk/alerts/{alerts['travel-up'].pk}/triage/",
                      {"status": "dismissed", "reason": "正常业务出差"}, format="json")
    assert tri.status_code == 200 and tri.json()["status"] == "dismissed"
    assert "/api/v1/risk/rules/" in client.get("/api/schema/").content.decode()


def test_rule_editor_shows_position_and_share_warning(seeded: Any, client_for: Any) -> None:
    client = client_for(seeded.users["admin"])
    data = {"key": "x", "name": "迟到", "expression": 'late_arrivals("14d") >=', "severity": "low",
            "explanation": "{employee}", "purposes": ["attendance"]}
    page = client.post(reverse("risk:rule_new"), data)
    assert page.status_code == 400 and "第1行第24列" in page.content.decode()
    data["expression"] = 'late_arrivals("14d") >= 0'
    warned = client.post(reverse("risk:rule_new"), data).content.decode()
    assert "4" in warned and "仍然保存" in warned
    saved = client.post(reverse("risk:rule_new"), {**data, "accept_share": "on"})
    assert saved.status_code == 302 and RuleVersion.objects.filter(rule__key="x").count() == 1


def test_alert_list_queries_do_not_grow(rules_on: Any, seeded: Any, client_for: Any,
                                        django_assert_max_num_queries: Any) -> None:
    from hrguard.people.models import Employee

    client = client_for(seeded.users["hr"])
    scan.run(seeded.company, as_of=AS_OF)
    client.get(reverse("risk:alerts"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("risk:alerts"))
    base = Employee.objects.get(pk=seeded.employees["east_rep"].pk)
    for i in range(30):
        e = Employee.objects.create(company=seeded.company, employee_no=f"X{i:03d}", name=f"员工{i}",
                                    department=base.department, hire_date=dt.date(2020, 1, 1))
        for day in (9, 10, 11):
            late(e, dt.date(2026, 11, day))
    scan.run(seeded.company, as_of=AS_OF)
    assert Alert.objects.count() == 33
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("risk:alerts"))
