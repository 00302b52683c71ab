"""Template validation (the bad input of issue 9) and versioning."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.workflows import editing, services, templates
from hrguard.workflows.models import ProcessTemplate, Step, TemplateVersion

from .conftest import TWO_STEPS

pytestmark = pytest.mark.django_db


def step(key: str, **over: Any) -> dict[str, Any]:
    return {"key": key, "name": key.upper(), "kind": "approval", "assignee": {"rule": "role", "role": "hr"}, **over}


def errors_of(world: Any, definition: Any) -> list[str]:
    return templates.validate(definition, world.company)[0]


def test_a_cycle_is_refused_naming_the_steps(world: Any) -> None:
    definition = {"stages": [step("a", after=["c"]), step("b"), step("c")]}
    errors = errors_of(world, definition)
    assert any("a → c → b → a" in e or "c → b → a → c" in e for e in errors), errors


def test_an_empty_parallel_group_and_an_empty_process_are_refused(world: Any) -> None:
    assert any("2" in e for e in errors_of(world, {"stages": [step("a"), {"parallel": []}]}))
    assert errors_of(world, {"stages": []})
    assert errors_of(world, "not json object")
    assert errors_of(world, {"stages": [step("a"), step("a")]})  # duplicate key


def test_unknown_roles_facts_actions_and_bad_gates_are_refused(world: Any) -> None:
    assert errors_of(world, {"stages": [step("a", assignee={"rule": "role", "role": "janitor"})]})
    unknown_fact = errors_of(world, {"stages": [step("a", gate="no_such_fact == 0")]})
    assert any("no_such_fact" in e for e in unknown_fact)
    broken = errors_of(world, {"stages": [step("a", gate="advances_outstanding ==")]})
    assert broken and "advances_outstanding ==" in broken[0]
    assert errors_of(world, {"stages": [step("a")], "on_approved": ["no.such_action"]})


def test_steps_no_one_can_act_on_are_refused(world: Any) -> None:
    assert errors_of(world, {"stages": [step("a", assignee=None)]})
    assert errors_of(world, {"stages": [step("a", assignee={"rule": "user", "user": "nobody-here"})]})
    assert errors_of(world, {"stages": [{"key": "w", "name": "等待", "kind": "wait"}]})  # waits for nothing
    assert errors_of(world, {"stages": [step("a", kind="dance")]})
    assert not errors_of(world, {"stages": [step("a", assignee={"rule": "user", "user": world.users["hr"].username})]})


def test_an_assignee_that_resolves_to_nobody_for_some_is_a_warning(world: Any) -> None:
    errors, warnings = templates.validate({"stages": [step("m", assignee={"rule": "manager"})]}, world.company)
    assert errors == []
    # 李工程 (研发部 has no head) and 王经理 (heads 销售部, nobody above him): the step goes to HR for them
    assert any(w.startswith("2 ") for w in warnings), warnings


def test_saving_refuses_with_every_error_and_writes_nothing(world: Any) -> None:
    with pytest.raises(ValidationError) as err:
        editing.create_template(actor=world.users["admin"], company=world.company, key="x.y", name="坏",
                                definition={"stages": [step("a", after=["a"])]})
    assert err.value.message_dict["definition"]
    assert not ProcessTemplate.objects.filter(key="x.y").exists()
    with pytest.raises(PermissionDenied):  # only administrators and HR edit templates
        editing.create_template(actor=world.users["manager"], company=world.company, key="x.z", name="好",
                                definition=TWO_STEPS)


def test_editing_while_running_keeps_the_running_version(world: Any, make_template: Any, start_for: Any) -> None:
    v1 = make_template()
    running = start_for("east_rep")
    changed = copy.deepcopy(TWO_STEPS)
    changed["stages"] = [changed["stages"][1]]  # finance only
    v2, _warnings = editing.new_version(actor=world.users["hr"], template_id=v1.template_id, definition=changed)
    assert (v1.number, v2.number) == (1, 2)
    later = start_for("sales_rep")
    assert running.template_version_id == v1.pk and later.template_version_id == v2.pk
    assert list(Step.objects.filter(instance=running).values_list("key", flat=True)) == ["manager", "finance"]
    assert list(Step.objects.filter(instance=later).values_list("key", flat=True)) == ["finance"]
    with pytest.raises(ValidationError):  # a version in use is never changed
        v1.definition = changed
        v1.save()
    assert TemplateVersion.objects.get(pk=v1.pk).definition == TWO_STEPS
    services.act(actor=world.users["manager"], step_id=running.steps.get(key="manager").pk, action="approve")
    assert running.steps.get(key="finance").state == "open"  # still the old two steps


def test_default_templates_validate_for_a_fresh_company(world: Any) -> None:
    from hrguard.workflows.defaults import DEFAULTS, ensure_default_templates

    for key, spec in DEFAULTS.items():
        assert templates.validate(spec["definition"], world.company, key)[0] == [], key
    assert ensure_default_templates(world.company) == len(DEFAULTS)
    assert ensure_default_templates(world.company) == 0  # never twice, never over an edit
