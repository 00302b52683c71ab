"""The URLconf walked as data: every pattern, its kwargs, and how to fill them with objects.

A pattern's object kwargs are filled from ``ROUTE_KWARGS`` (by URL name) or, failing that, from
``KWARG_KINDS`` (by kwarg name), so a new URL whose kwargs are named like existing ones is covered
without touching this file; a URL that cannot be filled is reported by ``test_every_object_url_is_mapped``."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# URL names reachable without a session. Each is protected another way (noted) and tested for that.
PUBLIC = {
    "login": "the login form",
    "logout": "logging out is harmless",
    "set_language": "language cookie only",
    "healthz": "liveness probe, no data",
    "api-token": "exchanges a password for a token (rate limited)",
    "api-schema": "API description, no data",
    "api-docs": "API description, no data",
    "signing:page": "token + one-time code",
    "signing:send_code": "token + one-time code",
    "signing:verify": "token + one-time code",
    "signing:sign": "token + one-time code",
    "signing:decline": "token + one-time code",
    "signing:document": "token + one-time code",
    "signing:crl": "public by design: the signing CA's revocation list (serial numbers and dates, signed by the "
                   "CA; certificates name this URL) — tests/documents/test_event_signatures.py",
    "notify:sms_receipts": "per-company secret token in the URL (provider callback)",
    "activation:activate": "one-time, expiring activation token (hashed at rest)",
    "exit_thread:page": "192-bit link token (hash stored), sent to the departing employee",
    "exit_thread:post": "192-bit link token (hash stored), sent to the departing employee",
    "noncompete_proof:page": "192-bit link token (hash stored), sent to the former employee each month",
    "noncompete_proof:upload": "192-bit link token (hash stored), sent to the former employee each month",
    "eap:ask": "anonymous EAP by design: holds no person's data; posts need a signed one-time nonce",
    "eap:follow": "anonymous EAP: a request opens only with its receipt phrase (POST body, scrypt-hashed)",
}

# Per URL name: kwarg → object kind, or "=literal". A list gives several variants to request.
ROUTE_KWARGS: dict[str, list[dict[str, str]]] = {
    "people:reveal": [{"pk": "employee", "field": f"={f}"} for f in ("id_number", "phone", "bank_account")],
    "people:supplementary_create": [{"pk": "contract"}],
    "people:clause_edit": [{"pk": "clause_template"}],
    "people:import_job": [{"pk": "import_job"}],
    "people:import_confirm": [{"pk": "import_job"}],
    "people:import_errors": [{"pk": "import_job"}],
    "activity:attendance_import_job": [{"pk": "punch_job"}],
    "activity:leave_decide": [{"pk": "leave"}],
    "activity:leave_cancel": [{"pk": "leave"}],
    "activity:expense_decide": [{"kind": "=claim", "pk": "claim"}, {"kind": "=trip", "pk": "trip"}],
    "activity:advance_repay": [{"pk": "advance"}],
    "activity:expense_export": [{"kind": f"={k}"} for k in ("claims", "trips", "advances")],
    "activity:cycle_detail": [{"pk": "cycle"}],
    "activity:review": [{"pk": "cycle", "employee_pk": "employee"}],
    "activity:cycle_export": [{"pk": "cycle"}],
    "activity:plan_close": [{"pk": "plan"}],
    "activity:violation_detail": [{"pk": "violation"}],
    "activity:violation_action": [
        {"pk": "violation", "step": f"={s}"} for s in ("investigate", "decide", "acknowledge", "refusal", "files")
    ],
    "activity:complaint_detail": [{"pk": "complaint"}],
    "activity:attachment": [{"pk": "attachment"}, {"pk": "claim_attachment"}],
    "notify:message": [{"pk": "message"}],
    "notify:decide": [{"pk": "message"}],
    "documents:template_detail": [{"pk": "doc_template"}],
    "documents:template_edit": [{"pk": "doc_template"}],
    "documents:template_preview": [{"pk": "doc_template", "number": "doc_version_number"}],
    "documents:request_detail": [{"pk": "signing_request"}],
    "documents:request_rows": [{"pk": "signing_request"}],
    "documents:request_package": [{"pk": "signing_request"}],
    "documents:envelope_detail": [{"pk": "envelope"}],
    "documents:envelope_unlock": [{"pk": "envelope"}],
    "documents:envelope_file": [{"pk": "envelope", "file_pk": "document_file"}],
    "documents:envelope_package": [{"pk": "envelope"}],
    "documents:my_download": [{"pk": "envelope"}],
    "workflows:instance_detail": [{"pk": "process_instance"}],
    "workflows:instance_cancel": [{"pk": "process_instance"}],
    "workflows:task": [{"pk": "process_step"}],
    "workflows:step_action": [{"pk": "process_step", "op": f"={o}"} for o in ("act", "pause", "resume")],
    "workflows:template_edit": [{"pk": "process_template"}],
    **{f"offboarding:{name}": [{"pk": "exit"}] for name in (
        "detail", "add_item", "interview", "rehire", "cancel", "message", "send_link", "package", "risk_report",
        "send_document", "record_transfer", "restart_process")},
    "offboarding:confirm_item": [{"pk": "exit", "item_pk": "exit_item"}],
    "risk:alert": [{"pk": "alert"}],
    "risk:triage": [{"pk": "alert"}],
    "risk:rule_edit": [{"pk": "risk_rule"}],
    "risk:switch": [{"pk": "risk_rule"}],
    "risk:check": [{"pk": "risk_check"}],
    "offboarding:document_fallback": [{"pk": "exit", "doc_pk": "exit_document"}],
    **{f"noncompete:{name}": [{"pk": "noncompete"}] for name in (
        "detail", "start_offer", "decline", "finding", "release")},
    "noncompete:pay": [{"pk": "noncompete", "month_pk": "noncompete_month"}],
    "noncompete:proof_download": [{"pk": "noncompete", "proof_pk": "noncompete_proof"}],
    "noncompete:finding_download": [{"pk": "noncompete", "finding_pk": "noncompete_finding"}],
    "noncompete:for_exit": [{"exit_pk": "exit"}],
    "webhooks:endpoint": [{"pk": "webhook_endpoint"}],
    "webhooks:rotate": [{"pk": "webhook_endpoint"}],
    "webhooks:resend": [{"pk": "webhook_delivery"}],
    "care:talk_detail": [{"pk": "talk"}],
    "care:aid_detail": [{"pk": "aid_loan"}],
    "care:aid_action": [{"pk": "aid_loan", "op": f"={o}"} for o in ("disburse", "schedule", "repay", "cancel")],
    "care:course_detail": [{"pk": "course"}],
    **{f"collection:{name}": [{"pk": "collection_case"}] for name in (
        "file", "respond", "escalate", "letter", "police")},
    "collection:contact": [{"pk": "collection_contact"}],
    "collection:letter_page": [{"pk": "collection_letter"}],
    "collection:delivery": [{"pk": "collection_letter"}],
    **{f"cases:{name}": [{"pk": "case"}] for name in ("detail", "close", "reopen", "add_party", "add_link")},
}

# Fallback by kwarg name, for URLs not listed above (``pk`` under people/ and evidence/ is an employee).
KWARG_KINDS = {"employee_pk": "employee", "employee_id": "employee"}
PREFIX_PK_KINDS = {"people/": "employee", "evidence/employee/": "employee"}

# Kinds that belong to one employee (an employee/manager must not reach another person's).
PERSONAL = {
    "employee", "leave", "trip", "claim", "advance", "review", "plan", "violation", "complaint", "attachment",
    "claim_attachment", "contract", "supplementary", "message", "signing_request", "envelope", "document_file",
    "attendance_day", "discipline_review", "process_instance", "process_step", "exit", "exit_item", "exit_document",
    "alert", "risk_check",
    "noncompete", "noncompete_month", "noncompete_proof", "noncompete_finding",
    "talk", "aid_loan",
    "collection_case", "collection_contact", "collection_letter",
    "case",
}

# A literal kwarg with no object behind it (list-like pages, e.g. an export per kind).
LITERAL_ONLY = object()


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]
    callback: Any

    @property
    def api(self) -> bool:
        return self.route.startswith("api/")


def walk() -> list[Route]:
    out: list[Route] = []

    def rec(res: Any, prefix: str, ns: str | None) -> None:
        for p in res.url_patterns:
            if isinstance(p, URLResolver):
                inner = ns
                if p.namespace:
                    inner = f"{ns}:{p.namespace}" if ns else p.namespace
                rec(p, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
                kw = tuple(p.pattern.regex.groupindex)
                out.append(Route(name=name, route=prefix + str(p.pattern), kwargs=kw, callback=p.callback))

    rec(get_resolver(), "", None)
    return out


def variants(route: Route) -> list[dict[str, str]] | None:
    """The kwarg → kind maps to request this route with; None when a kwarg cannot be filled."""
    if not route.kwargs:
        return [{}]
    if route.name in ROUTE_KWARGS:
        return ROUTE_KWARGS[route.name]
    spec: dict[str, str] = {}
    for kw in route.kwargs:
        if kw in KWARG_KINDS:
            spec[kw] = KWARG_KINDS[kw]
        elif kw == "pk":
            kind = next((k for prefix, k in PREFIX_PK_KINDS.items() if route.route.startswith(prefix)), None)
            if kind is None:
                return None
            spec[kw] = kind
        else:
            return None
    return [spec]


def object_kinds(spec: dict[str, str]) -> list[str]:
    return [v for v in spec.values() if not v.startswith("=")]


def fill(spec: dict[str, str], ids: dict[str, int], extra: dict[str, Any]) -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {}
    for kw, kind in spec.items():
        if kind.startswith("="):
            kwargs[kw] = kind[1:]
        elif kind in ids:
            kwargs[kw] = ids[kind]
        elif kind in extra:
            kwargs[kw] = extra[kind]
        else:
            return None
    return kwargs


def body_text(response: Any) -> str:
    """Text of a response for leak searches: HTML/JSON as is, spreadsheets cell by cell, zips by member."""
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    ctype = response.get("Content-Type", "")
    if "spreadsheetml" in ctype:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                         for c in row if c is not None)
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        except zipfile.BadZipFile:
            pass
    return content.decode("utf-8", "replace")
