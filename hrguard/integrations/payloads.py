"""The events' payloads, version 1 (docs/webhooks.md has an example of each).

Envelope: ``{"version": 1, "id": "evt_…", "type": …, "company_id": …, "occurred_at": ISO 8601, "data": {…}}``.
The ID number is in a payload only for an endpoint allowed to receive it (``include_id_number``); the
payload is built once per event with it and ``without_id_number`` strips it for the others."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from django.utils import timezone

from hrguard.law.termination import GROUNDS, Ground

from .final_pay import final_pay
from .models import EventType

VERSION = 1
ID_NUMBER_PATHS = (("employee",), ("social_insurance", "reduction"))


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def _d(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _employee(employee: Any) -> dict[str, Any]:
    return {
        "id": employee.pk, "employee_no": employee.employee_no, "name": employee.name,
        "department": employee.department.name if employee.department_id else None,
        "position": employee.position.name if employee.position_id else None,
        "hire_date": _d(employee.hire_date), "termination_date": _d(employee.termination_date),
        "status": employee.status, "id_type": employee.id_type, "id_number": employee.id_number or None,
    }


def _exit(exit_: Any) -> dict[str, Any]:
    ground = GROUNDS.get(Ground(exit_.ground)) if exit_.ground in Ground._value2member_map_ else None
    return {
        "id": exit_.pk, "kind": exit_.kind, "ground": exit_.ground,
        "ground_text": ground.zh if ground else "", "article": ground.citation.zh if ground else "",
        "persuasion": exit_.persuasion, "pay_in_lieu": exit_.pay_in_lieu, "notice_date": _d(exit_.notice_date),
        "earliest_last_day": _d(exit_.earliest_last_day), "last_day": _d(exit_.last_day), "state": exit_.state,
        "employment_ended": exit_.employment_ended, "completed_at": _d(exit_.completed_at),
        "retention_until": _d(exit_.retention_until),
    }


def _reduction_row(exit_: Any, employee: Any) -> dict[str, Any]:
    """One row of the social-insurance reduction list (减员): who, from when, why."""
    ground = GROUNDS.get(Ground(exit_.ground)) if exit_.ground in Ground._value2member_map_ else None
    stop_month = exit_.last_day.replace(day=1)
    return {"employee_no": employee.employee_no, "name": employee.name, "id_type": employee.id_type,
            "id_number": employee.id_number or None, "last_day": _d(exit_.last_day),
            "reduction_month": stop_month.strftime("%Y-%m"), "reason": ground.zh if ground else exit_.ground,
            "work_location": employee.work_location or None}


def _accounts(exit_: Any) -> list[dict[str, Any]]:
    return [{"system": item.name, "detail": item.detail, "state": item.state, "confirmed_at": _d(item.confirmed_at)}
            for item in exit_.items.filter(kind="access").order_by("id")]


def data_for(event_type: str, exit_: Any) -> dict[str, Any]:
    employee = exit_.employee
    data: dict[str, Any] = {"exit": _exit(exit_), "employee": _employee(employee)}
    if event_type == EventType.EXIT_COMPLETED:
        data["payroll"] = {"final_pay": final_pay(exit_)}
        data["social_insurance"] = {"reduction": _reduction_row(exit_, employee)}
        data["oa"] = {"accounts_to_disable": _accounts(exit_)}
    elif event_type == EventType.EMPLOYMENT_ENDED:
        data["social_insurance"] = {"reduction": _reduction_row(exit_, employee)}
    elif event_type == EventType.EXIT_STARTED:
        data["oa"] = {"accounts_to_disable_on": _d(exit_.last_day), "accounts": _accounts(exit_)}
    return data


def envelope(*, event_type: str, company_id: int, data: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {"version": VERSION, "id": event_id or new_event_id(), "type": event_type, "company_id": company_id,
            "occurred_at": timezone.localtime().isoformat(timespec="seconds"), "data": data}


def without_id_number(payload: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    for path in ID_NUMBER_PATHS:
        node: Any = out.get("data", {})
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and "id_number" in node:
            node["id_number"] = None
    return out


def has_id_number(payload: dict[str, Any]) -> bool:
    data = payload.get("data", {})
    return any(bool((data.get(p[0]) or {}).get("id_number")) if len(p) == 1
               else bool(((data.get(p[0]) or {}).get(p[1]) or {}).get("id_number")) for p in ID_NUMBER_PATHS)


def encode(payload: dict[str, Any]) -> str:
    """The exact body that is signed and sent (UTF-8 JSON, Chinese unescaped, stable key order)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
