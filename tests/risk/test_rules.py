"""Rule validation (compile error with position, unknown signal, share warning), versions, back-test
figures, measured precision from triage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from hrguard.risk import scan, selectors, services
from hrguard.risk.expressions import parse
from hrguard.risk.models import Alert

from .conftest import AS_OF, late

RULE = {"name": "迟到", "severity": "low", "explanation": "{employee}迟到{late_arrivals:14d}次",
        "purposes": ["attendance"]}


def test_compile_error_names_line_and_column() -> None:
    parsed = parse('late_arrivals("14d") >= ')
    assert not parsed.ok
    assert "line 1, column 25" in parsed.errors[0] or "第1行第25列" in parsed.errors[0]


def test_unknown_signal_and_bad_window(db: Any) -> None:
    assert any("naps" in e for e in parse('naps("1m") > 1').errors)
    assert any("naps" in e
               for e in parse('baseline("naps") > 1').errors)
    assert parse('travel_days("14d") > 1').errors  # monthly-only signal
    assert parse('late_arrivals(x) > 1').errors  # non-literal window
    assert parse('late_arrivals("14d") >= 3 && months_above("expense_total", 5000, 3)').ok


def test_save_refuses_bad_rules_by_field(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.save_rule(actor=world.users["admin"], key="x", expression='late_arrivals("14d") >=', **RULE)
    assert "expression" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_rule(actor=world.users["admin"], key="x", expression='late_arrivals("14d") >= 3',
                           **{**RULE, "explanation": "{travel_days:1m}", "purposes": ["nope"]})
    assert set(exc.value.message_dict) == {"explanation", "purposes"}


def test_share_warning_before_saving(seeded: Any) -> None:
    admin = seeded.users["admin"]
    with pytest.raises(services.ShareWarning) as exc:
        services.save_rule(actor=admin, key="everyone", expression='late_arrivals("14d") >= 0', **RULE)
    assert (exc.value.fired, exc.value.employees) == (4, 4)
    version = services.save_rule(actor=admin, key="everyone", expression='late_arrivals("14d") >= 0',
                                 accept_share=True, **RULE)
    assert version.number == 1
    again = services.save_rule(actor=admin, rule_id=version.rule_id, expression='late_arrivals("14d") >= 5', **RULE)
    assert again.number == 2 and again.rule_id == version.rule_id


def test_backtest_figures(seeded: Any) -> None:
    """Last quarter (Aug–Oct 2026, evaluated at each month end): travel ≥ 2 days a month holds for
    欧阳娜娜 and 李工程 every month (one firing each, as an open alert would not repeat) → 2 firings, 2
    people; 李工程 left in November → 1 of them later left."""
    from hrguard.people.models import Employee

    Employee.objects.filter(pk=seeded.employees["engineer"].pk).update(termination_date=dt.date(2026, 11, 15))
    result = scan.backtest(seeded.company.pk, 'travel_days("1m") >= 2', ["finance"], today=AS_OF)
    assert (result.first, result.last) == (dt.date(2026, 8, 1), dt.date(2026, 10, 31))
    assert [n for _m, n in result.by_month] == [2, 2, 2]
    assert (result.fired, result.people, result.outcome_people) == (2, 2, 1)
    # late arrivals ≥ 1 in a month: only 张测试's October one → fired once
    late_bt = scan.backtest(seeded.company.pk, 'late_arrivals("1m") >= 1', ["attendance"], today=AS_OF)
    assert (late_bt.fired, late_bt.people, late_bt.outcome_people) == (1, 1, 0)


def test_backtest_counts_a_person_again_after_a_gap(seeded: Any) -> None:
    e = seeded.employees["sales_manager"]
    late(e, dt.date(2026, 8, 10))
    late(e, dt.date(2026, 10, 10))
    result = scan.backtest(seeded.company.pk, 'late_arrivals("1m") >= 1', ["attendance"], today=AS_OF)
    assert [n for _m, n in result.by_month] == [1, 0, 2]
    assert (result.fired, result.people) == (3, 2)


def test_precision_from_triage(rules_on: Any, seeded: Any) -> None:
    hr = seeded.users["hr"]
    scan.run(seeded.company, as_of=AS_OF)
    # two more people late (3 in the 14 days) → three alerts of the late rule
    for day in (9, 10, 11):
        late(seeded.employees["sales_manager"], dt.date(2026, 11, day))
    late(seeded.employees["sales_rep"], dt.date(2026, 11, 11))
    scan.run(seeded.company, as_of=AS_OF)
    alerts = list(Alert.objects.filter(rule__key="late-arrivals-14d").order_by("pk"))
    assert len(alerts) == 3
    services.act_on_alert(actor=hr, alert_id=alerts[0].pk, outcome="talk", note="已面谈")
    services.act_on_alert(actor=hr, alert_id=alerts[1].pk, outcome="case", link=("cases.case", 7),
                          link_label="事件 #7")
    services.dismiss(actor=hr, alert_id=alerts[2].pk, reason="打卡机故障")
    rows = {r.rule.key: r for r in selectors.rules_for(hr)}
    assert rows["late-arrivals-14d"].precision == pytest.approx(2 / 3)
    assert rows["travel-up"].precision is None
    linked = Alert.objects.get(pk=alerts[1].pk)
    assert (linked.link_type, linked.link_id, linked.status) == ("cases.case", 7, "acted")
    with pytest.raises(ValidationError):
        services.dismiss(actor=hr, alert_id=alerts[0].pk, reason="again")


def test_backtest_counts_people_who_later_had_a_case(seeded: Any) -> None:
    """The cases app registers "later had a case": 欧阳娜娜, who fired, is the subject of a case opened in
    November; with 李工程 leaving that makes 2 of the 2 people."""
    from hrguard.cases import services as cases
    from hrguard.people.models import Employee

    Employee.objects.filter(pk=seeded.employees["engineer"].pk).update(termination_date=dt.date(2026, 11, 15))
    before = scan.backtest(seeded.company.pk, 'travel_days("1m") >= 2', ["finance"], today=AS_OF)
    cases.open_case(actor=seeded.users["hr"], case_type="general", title="出差异常核查",
                    subject_employee=seeded.employees["sales_rep"])
    after = scan.backtest(seeded.company.pk, 'travel_days("1m") >= 2', ["finance"], today=AS_OF)
    assert (before.outcome_people, after.outcome_people) == (1, 2)
