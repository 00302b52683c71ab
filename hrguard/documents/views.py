"""HR pages: template library, sending, the tracker (htmx), fallback records, files and packages."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hrguard.evidence import selectors as evidence_selectors
from hrguard.notify.labels import channel_label
from hrguard.people.pages import guard

from . import library, packages, reminders, services, signer, tracker, variables
from .forms import FallbackForm, IdentityPolicyForm, PolicyForm, RequestForm, TemplateForm, apply_errors
from .models import DocumentFile, DocumentTemplate, EnvelopeStatus, ReminderPolicy


def _hr(request: HttpRequest) -> Any:
    if not tracker.can_track(request.user):
        raise PermissionDenied
    return request.user


def _editor(request: HttpRequest) -> Any:
    if not library.can_edit_templates(request.user):
        raise PermissionDenied
    return request.user


def pdf_response(
    name: str, data: bytes, *, inline: bool = False, content_type: str = "application/pdf"
) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(name)}"
    resp["Cache-Control"] = "private, no-store"
    return resp


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# --- Templates ------------------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    user = _hr(request)
    if library.can_edit_templates(user) and not DocumentTemplate.objects.filter(company_id=user.company_id).exists():
        library.ensure_default_templates(user.company)
    return render(
        request,
        "documents/template_list.html",
        {
            "templates": library.templates_for(user),
            "can_edit": library.can_edit_templates(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _editor(request)
    template = get_object_or_404(DocumentTemplate, pk=pk, company_id=user.company_id) if pk else None
    if request.method == "POST":
        form = TemplateForm(request.POST, editing=template is not None)
        if form.is_valid():
            try:
                if template is None:
                    template = library.create_template(
                        user.company,
                        actor=user,
                        kind=form.cleaned_data["kind"],
                        name=form.cleaned_data["name"],
                        **form.wording(),
                    )
                else:
                    library.save_version(template, actor=user, **form.wording())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Template saved as version %(n)d.") % {"n": template.latest.number})
                return redirect("documents:template_detail", pk=template.pk)
    else:
        latest = template.latest if template else None
        initial = (
            {k: getattr(latest, k) for k in ("title", "addressee", "body", "signer_label", "show_full_id", "seal_text")}
            if latest
            else {}
        )
        form = TemplateForm(initial=initial, editing=template is not None)
    return render(
        request,
        "documents/template_form.html",
        {
            "form": form,
            "template": template,
            "variables": list(variables.ALL_VARIABLES.items()),
        },
    )


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _hr(request)
    template = get_object_or_404(DocumentTemplate, pk=pk, company_id=user.company_id)
    return render(
        request,
        "documents/template_detail.html",
        {
            "template": template,
            "versions": template.versions.select_related("created_by"),
            "can_edit": library.can_edit_templates(user),
        },
    )


@login_required
def template_preview(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A version rendered with sample values (the wording is shown exactly as it will print)."""
    user = _hr(request)
    template = get_object_or_404(DocumentTemplate, pk=pk, company_id=user.company_id)
    version = get_object_or_404(template.versions, number=number)
    data = packages.preview_pdf(version, user.company)
    return pdf_response(f"{template.name}-v{number}-preview.pdf", data, inline=True)


# --- Sending --------------------------------------------------------------------------------------


def _audience(form: RequestForm, company: Any) -> list[Any]:
    from hrguard.core.models import Department
    from hrguard.people.models import Employee

    d = form.cleaned_data
    current = Employee.objects.filter(company=company).exclude(status__in=["left", "pending"])
    if d["audience"] == "company":
        return list(current.values_list("pk", flat=True))
    if d["audience"] == "department":
        dept = Department.objects.filter(company=company, pk=d.get("department") or 0).first()
        if dept is None:
            raise ValidationError({"department": [_("Choose a department.")]})
        return list(current.filter(department_path__startswith=dept.path).values_list("pk", flat=True))
    numbers = [n for n in re.split(r"[\s,，;；]+", d.get("employee_nos") or "") if n]
    found = dict(Employee.objects.filter(company=company, employee_no__in=numbers).values_list("employee_no", "pk"))
    unknown = [n for n in numbers if n not in found]
    if unknown or not numbers:
        raise ValidationError(
            {
                "employee_nos": [_("Unknown employee numbers: %(n)s") % {"n": ", ".join(unknown)}]
                if unknown
                else [_("Enter at least one employee number.")]
            }
        )
    return list(found.values())


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    from hrguard.core.models import Department

    user = request.user
    if not services.can_send(user):
        raise PermissionDenied
    library.ensure_default_templates(user.company)
    departments = list(Department.objects.filter(company_id=user.company_id).order_by("path"))
    kwargs = {"company": user.company, "departments": departments}
    if request.method == "POST":
        form = RequestForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                people = _audience(form, user.company)
                result = services.send_request(
                    user.company,
                    actor=user,
                    version=form.cleaned_data["template"].latest,
                    employees=people,
                    channels=form.cleaned_data["channels"],
                    deadline_at=form.deadline_at(),
                    extra=form.extra(),
                    skip_unreachable=form.cleaned_data["skip_unreachable"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Sent to %(n)d people.") % {"n": result.request.size})
                for emp, channel in result.skipped:
                    messages.warning(
                        request,
                        _("Not sent to %(name)s: no address for %(channel)s.")
                        % {"name": emp.name, "channel": channel_label(channel)},
                    )
                return redirect("documents:request_detail", pk=result.request.pk)
    else:
        initial = {}
        if request.GET.get("template"):
            initial["template"] = request.GET["template"]
        elif request.GET.get("kind"):  # e.g. ?kind=labor_contract from a contract on the employee page
            from .models import DocumentTemplate

            chosen = DocumentTemplate.objects.filter(company=user.company, kind=request.GET["kind"], active=True)
            initial["template"] = chosen.order_by("pk").values_list("pk", flat=True).first()
        if request.GET.get("employee_no"):
            initial["employee_nos"] = request.GET["employee_no"]
        form = RequestForm(initial=initial, **kwargs)
    return render(request, "documents/request_form.html", {"form": form})


# --- Tracker --------------------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = _hr(request)
    reqs = list(tracker.requests_for(user)[:100])
    return render(
        request,
        "documents/request_list.html",
        {
            "requests": [(r, tracker.summary(r)) for r in reqs],
            "can_send": services.can_send(user),
        },
    )


def _tracker_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = _hr(request)
    req = tracker.request_for(user, pk)
    if req is None:
        raise Http404
    tracker.sync_delivery(req)
    status = request.GET.get("status", "")
    if status not in EnvelopeStatus.values:
        status = ""
    return {
        "req": req,
        "summary": tracker.summary(req),
        "rows": tracker.rows(req, status),
        "status": status,
        "statuses": EnvelopeStatus.choices,
    }


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "documents/request_detail.html", _tracker_context(request, pk))


@login_required
def request_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx-refreshed part of the tracker."""
    return render(request, "documents/_tracker_rows.html", _tracker_context(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def envelope_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _hr(request)
    env = tracker.envelope_for(user, pk)
    if env is None:
        raise Http404
    form = FallbackForm()
    if request.method == "POST":
        if not services.can_send(user):
            raise PermissionDenied
        form = FallbackForm(request.POST, request.FILES)
        if form.is_valid():
            scan = form.cleaned_data.get("scan")
            try:
                if scan is not None and scan.size > reminders.MAX_SCAN_BYTES:
                    raise ValidationError({"scan": [_("The scan must not exceed 10 MB.")]})
                data = scan.read() if scan is not None else None
                reminders.record_fallback(
                    env,
                    actor=user,
                    kind=form.cleaned_data["kind"],
                    tracking_no=form.cleaned_data["tracking_no"],
                    note=form.cleaned_data["note"],
                    scan=data,
                    scan_name=scan.name if scan else "",
                    scan_type=scan.content_type if scan else "",
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Notification by other route recorded."))
                return redirect("documents:envelope_detail", pk=env.pk)
    events = reversed(list(evidence_selectors.for_subject(env.company_id, "documents.envelope", env.pk)))
    return render(
        request,
        "documents/envelope_detail.html",
        {
            "env": env,
            "events": [packages.event_row(e, env.employee.name) for e in events],
            "fallbacks": tracker.fallbacks(env),
            "form": form,
            "can_send": services.can_send(user),
            "files": DocumentFile.objects.filter(envelope=env).only("pk", "kind", "name", "sha256", "created_at"),
        },
    )


@login_required
@require_POST
def envelope_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    env = tracker.envelope_for(request.user, pk)
    if env is None:
        raise Http404
    signer.unlock(env, request.user)
    messages.success(request, _("The link is unlocked."))
    return redirect("documents:envelope_detail", pk=env.pk)


@login_required
def envelope_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    env = tracker.envelope_for(request.user, pk)
    if env is None:
        raise Http404
    row = get_object_or_404(DocumentFile, pk=file_pk, envelope=env)
    return pdf_response(row.name, bytes(row.data), content_type=row.content_type)


@login_required
def envelope_package(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence package (zip) for one person's signing: PDFs, events, proofs, certificate, verifier."""
    user = _hr(request)
    env = tracker.envelope_for(user, pk)
    if env is None:
        raise Http404
    data = packages.envelope_package(env, actor=user)
    return pdf_response(f"{env.document_id}-evidence.zip", data, content_type="application/zip")


@login_required
def request_package(request: HttpRequest, pk: int) -> HttpResponse:
    user = _hr(request)
    req = tracker.request_for(user, pk)
    if req is None:
        raise Http404
    try:
        data = packages.request_package(req, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:request_detail", pk=req.pk)
    return pdf_response(f"HRG-{req.pk}-evidence.zip", data, content_type="application/zip")


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    kind = request.GET.get("kind", "")
    current = {**services.policy_for(user.company, kind), "kind": kind}
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            packages.save_policy(user, form.cleaned_data, kind=form.cleaned_data["kind"])
            messages.success(request, _("Reminder policy saved."))
            return redirect("documents:request_list")
    else:
        form = PolicyForm(initial=current)
    return render(
        request,
        "documents/policy_form.html",
        {"form": form, "overrides": ReminderPolicy.objects.filter(company_id=user.company_id).exclude(kind="")},
    )


@login_required
@guard("documents:identity_policy")
@require_http_methods(["GET", "POST"])
def identity_policy(request: HttpRequest) -> HttpResponse:
    """Which identity checks come before signing, per document kind (the one-time code always)."""
    from . import identity, realname

    user = _editor(request)
    if request.method == "POST":
        form = IdentityPolicyForm(request.POST)
        if form.is_valid():
            try:
                identity.save_policy(actor=user, kind=form.cleaned_data["kind"], setting=form.cleaned_data["setting"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Identity check policy saved."))
                return redirect("documents:identity_policy")
    else:
        form = IdentityPolicyForm(initial={"kind": request.GET.get("kind", ""), "setting": "required"})
    return render(request, "documents/identity_policy.html", {
        "form": form, "rows": identity.policy_rows(user.company_id),
        "provider_configured": realname.configured_provider() is not None,
    })


@login_required
def person_documents(request: HttpRequest, employee_id: int) -> HttpResponse:
    """All signing requests of one employee, with their progress."""
    user = _hr(request)
    envelopes = tracker.person_envelopes(user, employee_id)
    if not envelopes:
        raise Http404
    return render(request, "documents/person.html", {"employee": envelopes[0].employee, "envelopes": envelopes})


# --- Self-service ---------------------------------------------------------------------------------


@login_required
@guard("documents:mine")
def my_documents(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/mine.html", {"envelopes": tracker.my_envelopes(request.user)})


@login_required
def my_download(request: HttpRequest, pk: int) -> HttpResponse:
    env = tracker.my_envelopes(request.user).filter(pk=pk).first()
    if env is None or env.status != EnvelopeStatus.SIGNED:
        raise Http404
    name, data = signer.download(env, actor=request.user)
    return pdf_response(name, data)
