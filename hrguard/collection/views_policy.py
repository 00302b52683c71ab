"""The personal financial conduct policy page (issue 12 §1): the handbook chapter (edited on the documents
template pages), the acknowledgement campaign to everyone or a selection, who signed and who has not (the
documents tracker of each campaign), and new hires. Thin: parse, call ``policy``, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrguard.documents import variables

from . import policy, services
from .views import errors_of

CHANNELS = (("inapp", "HRGuard 站内信"), ("email", "电子邮件"), ("sms", "短信"), ("wecom", "企业微信"),
            ("dingtalk", "钉钉"), ("feishu", "飞书"))


def _send(request: HttpRequest) -> Any:
    post = request.POST
    employees = None
    if post.get("audience") == "selection":
        employees = policy.employees_by_numbers(actor=request.user, text=post.get("employee_nos", ""))
    try:
        days = int(post.get("days") or 7)
    except ValueError:
        days = 0
    if not 1 <= days <= 60:
        raise ValidationError({"days": _("The deadline must be 1 to 60 days.")})
    result = policy.send_campaign(actor=request.user, employees=employees,
                                  channels=post.getlist("channels") or ["inapp"], days=days)
    if post.get("new_hires") == "on":
        services.save_settings(actor=request.user, policy_for_new_hires=True)
    return result


def _preview(body: str, company_name: str) -> list[str]:
    """The chapter as employees read it: the company's name filled in, other variables as their label."""
    values = {n: f"（{variables.label(n)}）" for n in variables.used_variables(body)}
    values["company_name"] = company_name
    return [p.strip() for p in variables.substitute(body, values).split("\n") if p.strip()]


@login_required
@require_http_methods(["GET", "POST"])
def policy_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("collection.manage"):
        raise PermissionDenied(_("You may not manage the financial conduct policy."))
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {"audience": "all", "channels": ["inapp"], "days": "7", "new_hires": True}
    if request.method == "POST" and request.POST.get("action") == "new_hires":
        services.save_settings(actor=request.user, policy_for_new_hires=request.POST.get("new_hires") == "on")
        messages.success(request, _("Saved."))
        return redirect("collection:policy")
    if request.method == "POST":
        data = {**request.POST.dict(), "channels": request.POST.getlist("channels"),
                "new_hires": request.POST.get("new_hires") == "on"}
        try:
            result = _send(request)
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Sent to %(n)d people.") % {"n": result.request.size})
            for emp, _channel in result.skipped:
                messages.warning(request, _("Not sent to %(name)s: not reachable on the chosen channels.") % {
                    "name": emp.name})
            return redirect("documents:request_detail", pk=result.request.pk)
    version = policy.ensure_policy_template(actor=request.user)
    return render(request, "collection/policy.html", {
        "version": version, "paragraphs": _preview(version.body, request.user.company.name),
        "campaigns": [(r, s, s.total - s.signed) for r, s in policy.campaigns(actor=request.user)],
        "errors": errors, "data": data, "channels": CHANNELS,
        "new_hires": services.settings_for(request.user.company_id).policy_for_new_hires,
    }, status=400 if errors else 200)
