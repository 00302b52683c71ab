"""The template pages for company administrators and HR: the list, and the editor — a structured form
(steps in order or in parallel groups, kind, assignee rule, due offset, escalation ladder, gate over the
listed facts). Saving validates and makes a new version; running processes keep theirs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hrguard.core.roles import Role
from hrguard.people.pages import guard

from .. import editing, registry, selectors
from ..models import StepKind, TemplateVersion
from ..templates import validate
from . import editor
from .common import ESCALATIONS, RULES, UNITS


@login_required
@require_GET
@guard("workflows:template_list")
def template_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.templates_for(user=request.user).annotate(
        latest=Max("versions__number"),
        running=Count("versions__instances", filter=Q(versions__instances__state="running")),
    )
    return render(request, "workflows/template_list.html", {"rows": list(rows)})


def _context(template: Any, ed: editor.Editor) -> dict[str, Any]:
    versions = list(TemplateVersion.objects.filter(company_id=template.company_id, template=template)
                    .annotate(running=Count("instances", filter=Q(instances__state="running")))
                    .select_related("created_by").order_by("-number")[:20])
    stages = [{"i": si, "stage": stage, "last": si == len(ed.stages) - 1, "rows": [
        {"p": f"st{si}-{ti}-", "ti": ti, "row": row, "levels": list(enumerate(row.levels))}
        for ti, row in enumerate(stage.steps)]} for si, stage in enumerate(ed.stages)]
    facts = [spec for spec in registry.facts().values() if spec.applies_to(template.key)]
    return {
        "template": template, "ed": ed, "stages": stages, "versions": versions,
        "current": versions[0] if versions else None, "facts": sorted(facts, key=lambda f: f.name),
        "actions": _actions(template, ed), "kinds": StepKind.choices, "rules": RULES, "roles": Role.choices,
        "escalations": ESCALATIONS, "units": UNITS, "step_events": editor.EVENTS,
        "process_events": editor.PROCESS_EVENTS,
    }


def _actions(template: Any, ed: editor.Editor) -> list[str]:
    """The actions offered: those of the template's own app ("expenses.…" for "expenses.claim") and any
    the definition already names."""
    app = template.key.split(".")[0]
    chosen = {a for names in ed.events.values() for a in names}
    chosen |= {a for row in ed.all_steps() for names in row.events.values() for a in names}
    return sorted(a for a in registry.actions() if a.split(".")[0] == app or a in chosen)


def _save(request: HttpRequest, template: Any, ed: editor.Editor) -> HttpResponse | None:
    """Validate and save as a new version; None (with the messages on the editor) when refused."""
    definition = editor.to_definition(ed)
    errors, warnings = validate(definition, template.company, template.key)
    if not errors:
        try:
            version, warnings = editing.new_version(actor=request.user, template_id=template.pk,
                                                    definition=definition, name=ed.name, is_active=ed.is_active)
        except ValidationError as exc:
            errors = [m for msgs in exc.message_dict.values() for m in msgs] if hasattr(exc, "error_dict") \
                else list(exc.messages)
        else:
            messages.success(request, _saved(version.number))
            for text in warnings:
                messages.warning(request, text)
            return redirect("workflows:template_edit", pk=template.pk)
    editor.attach(ed, errors, warnings)
    return None


def _saved(number: int) -> str:
    return _("Saved as version %(n)d. Running processes keep the version they started with.") % {"n": number}


@login_required
@require_http_methods(["GET", "POST"])
@guard("workflows:template_edit")
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_detail(user=request.user, template_id=pk)
    if request.method == "POST":
        ed = editor.from_post(request.POST)
        op = str(request.POST.get("op") or "")[:40]
        if op == "save":
            done = _save(request, template, ed)
            if done is not None:
                return done
        else:
            editor.apply(ed, op)
    else:
        version = selectors.current_version(template)
        ed = editor.from_definition(version.definition if version else {"stages": []}, name=template.name,
                                    is_active=template.is_active)
    return render(request, "workflows/template_edit.html", _context(template, ed))
