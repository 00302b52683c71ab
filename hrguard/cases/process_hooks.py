"""Cases on the engine (imported by ``WorkflowsConfig.ready``): the default template of the key-person
incident — the standard three-step response (seed 001): HR talks with the employee, legal assesses,
the business lays down a contingency plan; each step due one working day after the previous one
(working days 1 / 2 / 3 of the case, where the seed's old practice took 7 days), hidden from the
case's parties, escalating when overdue (remind → the owner's superior → reassigned to HR)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from hrguard.workflows import defaults

from .types import KEYPERSON_TEMPLATE

ESCALATE = [
    {"after_days": 0, "action": "remind"},
    {"after_days": 1, "action": "notify_superior"},
    {"after_days": 2, "action": "reassign", "role": "hr"},
]

KEYPERSON_DEFINITION = {
    "stages": [
        {"key": "hr_talk", "name": "人事与员工面谈", "kind": "task", "restricted": True,
         "assignee": {"rule": "role", "role": "hr"}, "due": {"days": 1, "unit": "working"},
         "escalation": ESCALATE},
        {"key": "legal", "name": "法务评估", "kind": "task", "restricted": True,
         "assignee": {"rule": "role", "role": "legal", "fallback_role": "hr"}, "due": {"days": 1, "unit": "working"},
         "escalation": ESCALATE},
        {"key": "contingency", "name": "业务应急预案", "kind": "task", "restricted": True,
         "assignee": {"rule": "department_head", "fallback_role": "hr"}, "due": {"days": 1, "unit": "working"},
         "escalation": ESCALATE},
    ],
}

defaults.register_default(KEYPERSON_TEMPLATE, gettext_noop("Key-person incident response"), KEYPERSON_DEFINITION)
