"""Rules fire on the seeded records (exact people), baselines, no repeat while open, the stored
explanation."""

from __future__ import annotations

from typing import Any

from hrguard.risk import scan
from hrguard.risk.models import Alert, SignalValue

from .conftest import AS_OF


def _fired(result: Any) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for alert in result.raised:
        out.setdefault(alert.rule.key, set()).add(alert.employee.name)
    return out


def test_default_rules_fire_for_exactly_the_seeded_people(rules_on: Any, seeded: Any) -> None:
    result = scan.run(seeded.company, as_of=AS_OF)
    assert _fired(result) == {
        "late-arrivals-14d": {"张测试"},
        "travel-up": {"欧阳娜娜"},
        "claims-over-threshold-3m": {"张测试"},
    }
    assert result.fired["performance-attendance-conduct"] == 0
    assert result.employees == 4


def test_explanation_is_stored_with_values_and_version(rules_on: Any, seeded: Any) -> None:
    scan.run(seeded.company, as_of=AS_OF)
    alert = Alert.objects.get(rule__key="travel-up")
    assert alert.explanation == "欧阳娜娜本月出差5天，本人近6个月月均2天（阈值：1.3倍）。"
    assert alert.facts["version"] == 1
    assert alert.facts["expression"].startswith('travel_days("1m") >= 3')
    values = {t["term"]: t["value"] for t in alert.facts["terms"]}
    assert values == {'travel_days("1m")': 5.0, 'baseline("travel_days")': 2.0}
    late = Alert.objects.get(rule__key="late-arrivals-14d")
    assert late.explanation == "张测试最近14天迟到3次（阈值：3次）。"


def test_no_repeat_while_open_and_again_after_triage(rules_on: Any, seeded: Any) -> None:
    from hrguard.risk import services

    first = scan.run(seeded.company, as_of=AS_OF)
    assert len(first.raised) == 3
    again = scan.run(seeded.company, as_of=AS_OF)
    assert again.raised == [] and again.skipped_open == 3
    alert = Alert.objects.get(rule__key="late-arrivals-14d")
    services.acknowledge(actor=seeded.users["hr"], alert_id=alert.pk)
    assert scan.run(seeded.company, as_of=AS_OF).raised == []
    services.dismiss(actor=seeded.users["hr"], alert_id=alert.pk, reason="已请假补录")
    third = scan.run(seeded.company, as_of=AS_OF)
    assert [a.rule.key for a in third.raised] == ["late-arrivals-14d"]


def test_dry_run_raises_nothing(rules_on: Any, seeded: Any) -> None:
    result = scan.run(seeded.company, as_of=AS_OF, dry_run=True)
    assert result.fired["late-arrivals-14d"] == 1 and result.raised == []
    assert not Alert.objects.exists()


def test_signals_are_materialised_per_month(rules_on: Any, seeded: Any) -> None:
    scan.run(seeded.company, as_of=AS_OF, dry_run=True)
    rows = dict(SignalValue.objects.filter(employee=seeded.employees["sales_rep"], signal="travel_days")
                .values_list("month", "value"))
    assert len(rows) == 7 and sorted(rows.values()) == [2.0] * 6 + [5.0]


def test_inactive_rules_do_not_run(seeded: Any) -> None:
    from hrguard.risk.defaults import ensure_default_rules

    ensure_default_rules(seeded.company)
    assert scan.run(seeded.company, as_of=AS_OF).fired == {}


def test_other_company_untouched(rules_on: Any, seeded: Any, other_world: Any) -> None:
    from tests.risk.conftest import late

    for d in (AS_OF.replace(day=10), AS_OF.replace(day=11), AS_OF.replace(day=12)):
        late(other_world.employees["east_rep"], d)
    result = scan.run(seeded.company, as_of=AS_OF)
    assert all(a.company_id == seeded.company.pk for a in result.raised)
    assert scan.run(other_world.company, as_of=AS_OF).fired == {}


def test_scan_command(rules_on: Any, seeded: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("scan", "--company", "acme", "--dry-run", "--as-of", AS_OF.isoformat(), stdout=out)
    assert "late-arrivals-14d=1" in out.getvalue() and "would raise 3 alerts" in out.getvalue()
    assert not Alert.objects.exists()
    call_command("scan", "--company", "acme", "--as-of", AS_OF.isoformat(), stdout=out)
    assert Alert.objects.count() == 3
