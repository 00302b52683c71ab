"""Company document templates: create, edit (= new version), seed defaults. Every save is evidence."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from hrguard.evidence import services as evidence
from hrguard.law import termination

from . import variables
from .defaults import DEFAULTS
from .models import DocumentKind, DocumentTemplate, TemplateVersion


def can_edit_templates(user: Any) -> bool:
    return bool(user.has_perm("documents.edit_templates"))


def _digest(fields: dict[str, Any]) -> str:
    raw = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def validate_wording(kind: str, title: str, addressee: str, body: str) -> list[str]:
    """Check placeholders in every text; returns the variables used. Raises ValidationError per field."""
    errors: dict[str, list[str]] = {}
    used: list[str] = []
    for field, text in (("title", title), ("addressee", addressee), ("body", body)):
        try:
            used += variables.check_text(text)
        except ValidationError as exc:
            errors[field] = exc.messages
    if not body.strip():
        errors.setdefault("body", []).append("正文不能为空。")
    if not title.strip():
        errors.setdefault("title", []).append("标题不能为空。")
    if kind == DocumentKind.SEPARATION_CERTIFICATE and not errors:
        # What the certificate must state is the law module's (Implementing Regulation Art. 24); each
        # required item is a template variable of the same name.
        required = termination.SEPARATION_CERTIFICATE_FIELDS
        missing = [name for name in required if name not in used]
        if missing:
            errors["body"] = [
                "离职证明须写明" + "、".join(zh for zh, _en in required.values())
                + f"（{termination.REG_ART_24.zh}），缺少："
                + "、".join(f"{required[name][0]}（{{{{ {name} }}}}）" for name in missing)
            ]
    if errors:
        raise ValidationError(errors)
    return list(dict.fromkeys(used))


@transaction.atomic
def save_version(
    template: DocumentTemplate, *, actor: Any, title: str, body: str, addressee: str = "",
    signer_label: str = "员工（签字）", show_full_id: bool = False, seal_text: str = "",
) -> TemplateVersion:
    """Add a new version (the previous versions and the requests pinned to them stay untouched)."""
    if actor is not None and (not can_edit_templates(actor) or actor.company_id != template.company_id):
        raise PermissionDenied
    body = body.replace("\r\n", "\n").strip()
    validate_wording(template.kind, title, addressee, body)
    fields = {"title": title.strip(), "addressee": addressee.strip(), "body": body,
              "signer_label": signer_label.strip() or "员工（签字）", "show_full_id": bool(show_full_id),
              "seal_text": seal_text.strip()}
    last = TemplateVersion.objects.filter(template=template).aggregate(n=Max("number"))["n"] or 0
    version = TemplateVersion.objects.create(
        template=template, number=last + 1, body_sha256=_digest(fields), created_by=actor, **fields
    )
    evidence.record(
        template.company, actor, "documents.template_saved", version,
        {"template": template.name, "kind": template.kind, "version": version.number,
         "body_sha256": version.body_sha256},
    )
    return version


@transaction.atomic
def create_template(company: Any, *, actor: Any, kind: str, name: str, **wording: Any) -> DocumentTemplate:
    if actor is not None and (not can_edit_templates(actor) or actor.company_id != company.pk):
        raise PermissionDenied
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": ["未知的文书类型。"]})
    if DocumentTemplate.objects.filter(company=company, name=name.strip()).exists():
        raise ValidationError({"name": ["已存在同名模板。"]})
    template = DocumentTemplate.objects.create(company=company, kind=kind, name=name.strip())
    save_version(template, actor=actor, **wording)
    return template


def ensure_default_templates(company: Any, actor: Any = None) -> int:
    """Create the default templates the company lacks (by name). Returns how many were created."""
    existing = set(DocumentTemplate.objects.filter(company=company).values_list("name", flat=True))
    created = 0
    for d in DEFAULTS:
        if d.name in existing:
            continue
        create_template(
            company, actor=None, kind=d.kind, name=d.name, title=d.title, body=d.body, addressee=d.addressee,
            signer_label=d.signer_label, show_full_id=d.show_full_id, seal_text=d.seal_text,
        )
        created += 1
    return created


def templates_for(user: Any) -> list[DocumentTemplate]:
    return list(DocumentTemplate.objects.filter(company_id=user.company_id).order_by("kind", "name"))
