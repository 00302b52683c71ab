"""Evidence events as timeline rows (证据时间线): plain-language action, detail, channel. The pages that show
an employee's timeline are in ``hrguard/people/views_timeline.py``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import labels, selectors
from .labels import SIGNER_ACTIONS
from .models import EvidenceEvent

TIMELINE_LIMIT = 200

CHANNEL_LABELS: dict[str, Any] = {
    "web": _("Web"),
    "api": _("API"),
    "cli": _("Command line"),
    "worker": _("Background task"),
    "import": _("Import"),
    "system": _("System"),
}
FIELD_LABELS: dict[str, Any] = {
    "id_number": _("ID number"),
    "phone": _("Mobile phone"),
    "bank_account": _("Bank account"),
    "email": _("Email"),
    "address": _("Address"),
    "emergency_contact": _("Emergency contact"),
    "department": _("Department"),
    "position": _("Position"),
    "status": _("Status"),
    "name": _("Name"),
    "employee_no": _("Employee number"),
    "gender": _("Gender"),
    "birth_date": _("Date of birth"),
    "id_type": _("ID type"),
    "hire_date": _("Hire date"),
    "work_start_date": _("First employment date"),
    "termination_date": _("Termination date"),
    "employment_form": _("Employment form"),
    "work_location": _("Work location"),
    "manager": _("Line manager"),
}


def action_label(action: str) -> str:
    return labels.label(action)


def _summary(action: str, data: dict[str, Any]) -> str:
    """A short plain-language detail line for the timeline."""
    if action == "sensitive.read" and data.get("field"):
        return str(FIELD_LABELS.get(data["field"], _("Other field")))
    changes = data.get("changes")
    if isinstance(changes, dict) and changes:
        return "、".join(str(FIELD_LABELS.get(k, _("Other field"))) for k in changes)
    for key in ("contract_no", "title", "employee_no"):
        if data.get(key):
            return str(data[key])
    return ""


def _actor(event: EvidenceEvent, people: dict[int, str]) -> str:
    """The user who acted; for the signer's own steps through the signing link (no account signed in)
    the employee the event concerns, marked as themself; otherwise the system."""
    if event.actor_id is None and event.action in SIGNER_ACTIONS and event.employee_id in people:
        return _("%(name)s (self)") % {"name": people[event.employee_id]}
    return event.actor_name if event.actor_name and event.actor_name != "system" else str(_("System"))


def timeline_rows(events: Iterable[EvidenceEvent], people: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """Events as rows for the timeline table: time, actor, action, detail, IP, channel, seq, hash.
    ``people`` maps employee ids to names, to attribute the signer's own steps to them."""
    people = people or {}
    rows = []
    for event in events:
        record = selectors.decoded(event)
        ctx = record.get("ctx") or {}
        data = record.get("data") or {}
        channel = str(ctx.get("channel") or "")
        rows.append(
            {
                "seq": event.seq,
                "at": event.at,
                "actor": _actor(event, people),
                "action": action_label(event.action),
                "code": event.action,
                "summary": _summary(event.action, data if isinstance(data, dict) else {}),
                "ip": ctx.get("ip") or "",
                "channel": str(CHANNEL_LABELS.get(channel, channel)),
                "hash": event.hash,
            }
        )
    return rows
