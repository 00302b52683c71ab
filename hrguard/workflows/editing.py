"""Saving process templates: every save is validated and makes a new version; a running instance
keeps the version it started with (versions are never changed once saved)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence

from .models import ProcessTemplate, TemplateVersion
from .templates import KEY, validate

KEY_PART = KEY


def _check(actor: User, company: Company) -> None:
    if actor.company_id != company.pk or not actor.has_perm("workflows.manage_templates"):
        raise PermissionDenied(_("Only company administrators and HR edit process templates."))


def _validated(definition: Any, company: Company, key: str) -> list[str]:
    errors, warnings = validate(definition, company, key)
    if errors:
        raise ValidationError({"definition": errors})
    return warnings


def _name(value: Any) -> str:
    name = "" if value is None else str(value).strip()
    if not name or len(name) > 100 or "\x00" in name:
        raise ValidationError({"name": _("Give the process a name (at most 100 characters).")})
    return name


@transaction.atomic
def create_template(*, actor: User, company: Company, key: str, name: str,
                    definition: Any) -> tuple[TemplateVersion, list[str]]:
    """A new template with its first version; returns (version, warnings)."""
    _check(actor, company)
    key = "" if key is None else str(key).strip()
    if not all(KEY.match(part) for part in key.split(".")) or len(key) > 60:
        raise ValidationError({"key": _("The key is dotted lower-case words, e.g. “exit.review”.")})
    if ProcessTemplate.objects.filter(company=company, key=key).exists():
        raise ValidationError({"key": _("A template with this key exists: save a new version of it instead.")})
    name = _name(name)
    warnings = _validated(definition, company, key)
    template = ProcessTemplate.objects.create(company=company, key=key, name=name)
    version = TemplateVersion.objects.create(company=company, template=template, number=1, definition=definition,
                                             created_by=actor)
    evidence.record(company, actor, "process.template_saved", template,
                    {"title": name, "key": key, "version": 1, "warnings": warnings})
    return version, warnings


@transaction.atomic
def new_version(*, actor: User, template_id: int, definition: Any, name: str | None = None,
                is_active: bool | None = None) -> tuple[TemplateVersion, list[str]]:
    """Save an edited definition as the next version; returns (version, warnings)."""
    template = ProcessTemplate.objects.select_for_update().filter(pk=template_id, company_id=actor.company_id).first()
    if template is None:
        raise Http404(_("No such process template."))
    _check(actor, template.company)
    warnings = _validated(definition, template.company, template.key)
    fields = []
    if name is not None:
        template.name = _name(name)
        fields.append("name")
    if is_active is not None:
        template.is_active = bool(is_active)
        fields.append("is_active")
    if fields:
        template.save(update_fields=fields)
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = TemplateVersion.objects.create(company_id=template.company_id, template=template, number=number,
                                             definition=definition, created_by=actor)
    evidence.record(template.company_id, actor, "process.template_saved", template,
                    {"title": template.name, "key": template.key, "version": number, "warnings": warnings})
    return version, warnings
