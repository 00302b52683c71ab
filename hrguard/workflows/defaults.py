"""The templates every company starts with (documented in docs/processes.md). Companies edit them on
the template page; ``ensure_default_templates`` adds those missing (never overwrites an edit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from .models import ProcessTemplate, TemplateVersion

REMIND_THEN_SUPERIOR = [
    {"after_days": 0, "action": "remind"},
    {"after_days": 1, "action": "notify_superior"},
    {"after_days": 3, "action": "reassign", "role": "hr"},
]

# Without a line manager, the company administrator approves trips and claims (as before the engine).
MANAGER_OR_ADMIN = {"rule": "manager", "fallback_role": "admin"}

DEFAULTS: dict[str, dict[str, Any]] = {
    "leave.request": {
        "name": gettext_noop("Leave approval"),
        "definition": {
            "stages": [
                {"key": "manager", "name": "直属上级审批", "kind": "approval", "assignee": {"rule": "manager"},
                 "due": {"days": 2, "unit": "working"}, "escalation": REMIND_THEN_SUPERIOR},
            ],
            "on_approved": ["leave.apply_outcome"], "on_rejected": ["leave.apply_outcome"],
            "on_cancelled": ["leave.apply_outcome"],
        },
    },
    "expenses.trip": {
        "name": gettext_noop("Business trip approval"),
        "definition": {
            "stages": [
                {"key": "manager", "name": "直属上级审批", "kind": "approval", "assignee": MANAGER_OR_ADMIN,
                 "due": {"days": 2, "unit": "working"}, "escalation": REMIND_THEN_SUPERIOR},
                {"key": "finance", "name": "财务审核", "kind": "approval",
                 "assignee": {"rule": "role", "role": "finance"}, "due": {"days": 3, "unit": "working"},
                 "escalation": [{"after_days": 0, "action": "remind"}]},
            ],
            "on_approved": ["expenses.apply_outcome"], "on_rejected": ["expenses.apply_outcome"],
            "on_cancelled": ["expenses.apply_outcome"],
        },
    },
    "expenses.claim": {
        "name": gettext_noop("Expense claim approval"),
        "definition": {
            "stages": [
                {"key": "manager", "name": "直属上级审批", "kind": "approval", "assignee": MANAGER_OR_ADMIN,
                 "due": {"days": 2, "unit": "working"}, "escalation": REMIND_THEN_SUPERIOR},
                {"key": "finance", "name": "财务审核", "kind": "approval",
                 "assignee": {"rule": "role", "role": "finance"}, "due": {"days": 3, "unit": "working"},
                 "escalation": [{"after_days": 0, "action": "remind"}]},
            ],
            "on_approved": ["expenses.apply_outcome"], "on_rejected": ["expenses.apply_outcome"],
            "on_cancelled": ["expenses.apply_outcome"],
        },
    },
}


def register_default(key: str, name: str, definition: dict[str, Any]) -> None:
    """Apps above the engine add their default templates here (from their ``process_hooks``)."""
    DEFAULTS[key] = {"name": name, "definition": definition}


@transaction.atomic
def ensure_default_templates(company: Any, keys: list[str] | None = None) -> int:
    """Create the default templates the company lacks; returns how many were created."""
    from django.utils.translation import gettext as _

    created = 0
    have = set(ProcessTemplate.objects.filter(company=company).values_list("key", flat=True))
    for key, spec in DEFAULTS.items():
        if key in have or (keys is not None and key not in keys):
            continue
        template, made = ProcessTemplate.objects.get_or_create(
            company=company, key=key, defaults={"name": _(spec["name"])})
        if made:
            TemplateVersion.objects.create(company=company, template=template, number=1,
                                           definition=spec["definition"])
            created += 1
    return created
