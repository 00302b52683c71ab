"""No English in the Chinese UI (issue 8 §3.8): raw field names in form errors and evidence entries,
channel codes in the signing tracker, raw evidence event codes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from hrguard.evidence.labels import label_zh
from hrguard.evidence.timeline import _summary
from hrguard.notify.labels import channel_label
from hrguard.people.forms import BootstrapForm, apply_errors

ROOT = Path(__file__).resolve().parents[2] / "hrguard"
# evidence.record(…, "subject.verb", …), record_standalone, PendingEvent("subject.verb", …)
ACTION_CALL = re.compile(
    r'(?:\brecord(?:_standalone)?\(|PendingEvent\(|_events\(|_record\()[^"()]*(?:\([^()]*\)[^"()]*)*"([a-z_]+\.[a-z_]+)"'
)
NOT_ACTIONS = {"documents.envelope", "evidence.package", "notify.outboxmessage", "proofs.json"}  # subject types
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def chinese() -> Any:
    with translation.override("zh-hans"):
        yield


class ContactOnly(BootstrapForm):
    phone = forms.CharField(required=False)


def test_errors_on_fields_the_form_lacks_carry_the_chinese_field_name(chinese: Any) -> None:
    form = ContactOnly({"phone": ""})
    assert form.is_valid()
    apply_errors(form, ValidationError({"employee_no": ["已被使用。"], "mystery_key": ["出错了。"]}))
    top = [str(e) for e in form.non_field_errors()]
    assert "工号：已被使用。" in top and "出错了。" in top
    assert not any("employee_no" in e or "mystery_key" in e for e in top)


def test_evidence_summary_names_fields_in_chinese(chinese: Any) -> None:
    changes = {k: {"from": 1, "to": 2} for k in ("birth_date", "work_start_date", "employee_no", "hire_date")}
    summary = _summary("employee.updated", {"changes": changes})
    assert summary == "出生日期、首次参加工作日期、工号、入职日期"
    assert not LATIN_WORD.search(_summary("employee.updated", {"changes": {"some_new_field": 1}}))


def test_channel_codes_read_as_names(chinese: Any) -> None:
    assert channel_label("inapp,sms") == "站内信、短信"
    assert channel_label(["email", "web"]) == "邮箱、网页"
    assert not LATIN_WORD.search(channel_label("carrier_pigeon"))


def action_literals() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found.update(ACTION_CALL.findall(path.read_text(encoding="utf-8")))
    return found - NOT_ACTIONS


# Actions written with an f-string, one per value the f-string takes.
COMPOSED = [
    *(f"{kind}.{status}" for kind in ("trip", "expense", "leave") for status in ("approved", "rejected", "cancelled")),
    *(f"process.{state}" for state in ("completed", "rejected", "cancelled")),
    *(f"complaint.{outcome}" for outcome in ("resolved", "settled", "rejected")),
    *(f"improvement_plan.{status}" for status in ("passed", "failed", "cancelled")),
    *(f"lifecycle.{kind}" for kind in ("hire", "probation_passed", "transfer", "promotion", "status_change",
                                        "termination")),
]


def test_every_recorded_evidence_action_has_a_chinese_label() -> None:
    actions = action_literals() | set(COMPOSED)
    assert {"employee.updated", "violation.recorded", "advance.issued", "leave.balance_set"} <= actions
    missing = {
        action: label_zh(action) for action in actions
        if label_zh(action) == action or LATIN_WORD.search(label_zh(action).replace("API", ""))
    }
    assert missing == {}


@pytest.mark.django_db
def test_violation_step_errors_name_the_field_in_chinese(world: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from hrguard.core.models import User
    from hrguard.discipline import violations

    compliance = User.objects.create_user(username="acme-compliance", password="x", company=world.company,
                                          role="compliance")
    clause = violations.save_clause(compliance, world.company, {"code": "5.3", "title": "私下与客户交易"})
    v = violations.record_violation(compliance, world.employees["east_rep"],
                                    {"clause": clause.pk, "occurred_on": "2025-03-03", "facts": "x"}, [])
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(compliance)
    page = client.post(reverse("activity:violation_action", args=[v.pk, "decide"]),
                       {"decision": "serious_warning", "decision_note": ""}, follow=True).content.decode()
    assert "处理理由：" in page and "decision_note:" not in page
