"""Exit templates saved before the care app get the ``aid_outstanding`` finance fact as a new version
(issue 12): running exits keep their version; templates that have it, had it removed by an admin, or whose
finance gate an admin rewrote are left alone; running the upgrade again changes nothing."""

from __future__ import annotations

import copy
import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps

from hrguard.offboarding import gate_upgrade, processes
from hrguard.workflows.models import ProcessInstance, ProcessTemplate, TemplateVersion

pytestmark = pytest.mark.django_db


def old_definition() -> dict[str, Any]:
    """The exit definition as saved before emergency aid existed."""
    d = copy.deepcopy(processes.definition())
    text = repr(d)
    assert gate_upgrade.FACT in text
    for stage in d["stages"]:
        for step in stage.get("parallel", [stage]):
            if step["key"] == "finance":
                step["gate"] = gate_upgrade.OLD_FINANCE
    d["gate"] = d["gate"].replace(f"({processes.GATE_FINANCE})", f"({gate_upgrade.OLD_FINANCE})")
    assert gate_upgrade.FACT not in repr(d)
    return d


def template(world: Any, key: str, *definitions: dict[str, Any]) -> ProcessTemplate:
    tpl = ProcessTemplate.objects.create(company=world.company, key=key, name=key)
    for n, d in enumerate(definitions, start=1):
        TemplateVersion.objects.create(company=world.company, template=tpl, number=n, definition=d)
    return tpl


def finance_gate(definition: dict[str, Any]) -> str:
    step = gate_upgrade._finance(definition)
    assert step is not None
    return str(step["gate"])


def run_migration() -> gate_upgrade.Report:
    module = importlib.import_module("hrguard.offboarding.migrations.0003_exit_templates_aid_gate")
    module.forwards(django_apps, None)
    return gate_upgrade.upgrade(ProcessTemplate, TemplateVersion)  # a second run: nothing left to do


def test_old_templates_get_a_new_version_others_are_left_alone(world: Any) -> None:
    ProcessTemplate.objects.filter(company=world.company, key__in=processes.KEYS).delete()
    old = old_definition()
    standard = template(world, processes.DEFAULT, old)
    v1 = standard.versions.get(number=1)
    running = ProcessInstance.objects.create(company=world.company, template_version=v1,
                                             template_key=standard.key, subject_type="offboarding.exit",
                                             subject_id="1")
    current = template(world, "offboarding.exit_tech", processes.definition())
    removed = template(world, "offboarding.exit_retail", processes.definition(), old)
    edited_def = copy.deepcopy(old)
    gate_upgrade._finance(edited_def)["gate"] = "advances_outstanding == 0.0"  # type: ignore[index]
    edited = template(world, "offboarding.exit_securities", edited_def)

    again = run_migration()
    assert again.upgraded == []

    new = standard.versions.order_by("-number").first()
    assert new.number == 2 and new.created_by is None
    assert finance_gate(new.definition) == processes.GATE_FINANCE
    assert f"({processes.GATE_FINANCE})" in new.definition["gate"]
    assert gate_upgrade.OLD_FINANCE not in new.definition["gate"].replace(processes.GATE_FINANCE, "")
    running.refresh_from_db()
    assert running.template_version_id == v1.pk  # the running exit keeps its version
    assert finance_gate(TemplateVersion.objects.get(pk=v1.pk).definition) == gate_upgrade.OLD_FINANCE
    for tpl in (current, removed, edited):
        assert tpl.versions.count() == (2 if tpl is removed else 1), tpl.key
    assert finance_gate(edited.versions.get().definition) == "advances_outstanding == 0.0"
    reasons = dict(again.skipped)
    assert reasons[f"{world.company.pk}:offboarding.exit_retail"] == "removed by an admin"
    assert reasons[f"{world.company.pk}:offboarding.exit_securities"] == "finance gate edited by an admin"
    assert reasons[f"{world.company.pk}:offboarding.exit"] == "has it"
