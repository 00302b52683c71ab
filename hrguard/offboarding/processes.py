"""The exit processes every company starts with, as engine templates (data, edited per company on the
template page): ``offboarding.exit`` and the industry variants. Steps: handover confirmed by the line
manager, compliance review, client-service confirmation, finance clearance, IT/OA access revocation in
parallel; then HR's final approval. Each step's gate names the facts it waits for; the process gate
repeats them all, so nothing completes while one is open. A gate never moves the statutory last day."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

DEFAULT = "offboarding.exit"
VARIANTS = {
    "": DEFAULT,
    "securities": "offboarding.exit_securities",
    "tech": "offboarding.exit_tech",
    "retail": "offboarding.exit_retail",
}
KEYS = tuple(VARIANTS.values())
VARIANT_NAMES = {
    "": gettext_noop("Standard"),
    "securities": gettext_noop("Securities (compliance review and exit commitment)"),
    "tech": gettext_noop("Technology (IP handover declaration)"),
    "retail": gettext_noop("Retail (client handover)"),
}

REMIND = [{"after_days": 0, "action": "remind"}, {"after_days": 2, "action": "notify_superior"}]

GATE_HANDOVER = "handover_open == 0"
GATE_COMPLIANCE = "open_complaints == 0 && open_violations == 0"
GATE_CLIENTS = "clients_open == 0"
# ``aid_outstanding``: emergency aid loans still owed (registered by hrguard/care/process_hooks.py).
GATE_FINANCE = "advances_outstanding == 0.0 && claims_pending == 0 && aid_outstanding == 0.0"
GATE_ACCESS = "access_open == 0"
GATE_DOCUMENTS = "exit_documents_unsigned == 0"
ALL_GATES = " && ".join(f"({g})" for g in (GATE_HANDOVER, GATE_COMPLIANCE, GATE_CLIENTS, GATE_FINANCE, GATE_ACCESS,
                                          GATE_DOCUMENTS))


def _step(key: str, name: str, assignee: dict[str, Any], gate: str, days: int = 5, **extra: Any) -> dict[str, Any]:
    return {"key": key, "name": name, "kind": "task", "assignee": assignee, "gate": gate,
            "due": {"days": days, "unit": "working"}, "escalation": REMIND, **extra}


def _role(role: str) -> dict[str, Any]:
    return {"rule": "role", "role": role}


def base_steps() -> list[dict[str, Any]]:
    return [
        _step("handover", "工作交接确认", {"rule": "manager"}, GATE_HANDOVER),
        _step("compliance", "合规审查", _role("compliance"), GATE_COMPLIANCE, restricted=True),
        _step("client_service", "客户服务确认", _role("client_service"), GATE_CLIENTS),
        _step("finance", "财务结算", _role("finance"), GATE_FINANCE),
        _step("access", "IT/OA 权限回收", _role("it"), GATE_ACCESS, days=3),
    ]


def definition(extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "stages": [
            {"name": "部门会签", "parallel": [*base_steps(), *(extra or [])]},
            _step("hr_final", "人事最终审批", _role("hr"), f"({GATE_HANDOVER}) && ({GATE_DOCUMENTS})", days=3),
        ],
        "gate": ALL_GATES,
        "on_complete": ["offboarding.process_done"],
        "on_cancelled": ["offboarding.process_cancelled"],
        "on_rejected": ["offboarding.process_cancelled"],
    }


DEFINITIONS: dict[str, tuple[str, dict[str, Any]]] = {
    DEFAULT: (gettext_noop("Exit (离职办理)"), definition()),
    VARIANTS["securities"]: (gettext_noop("Exit — securities"), definition([
        _step("compliance_commitment", "签署合规离职承诺书", _role("compliance"), GATE_DOCUMENTS),
    ])),
    VARIANTS["tech"]: (gettext_noop("Exit — technology"), definition([
        _step("ip_declaration", "知识产权交接声明", {"rule": "manager"}, GATE_HANDOVER),
    ])),
    VARIANTS["retail"]: (gettext_noop("Exit — retail"), definition([
        _step("client_handover", "客户资源交接", {"rule": "manager"}, GATE_CLIENTS),
    ])),
}
