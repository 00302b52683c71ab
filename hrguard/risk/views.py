"""Early-warning pages: alerts for HR (and line managers where a rule allows), one alert with triage, the
rules with measured precision and back-test, the rule editor, checks, and the employee's own page (which
rules were applied to me). Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.documents.models import DocumentKind, Envelope, EnvelopeStatus

from . import checks, registry, scan, selectors, services
from .models import AlertStatus, CheckKind, Outcome, Purpose, ScanStatus, Severity

PAGE = 50


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]):
        for msg in msgs:
            messages.error(request, msg)


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("risk.view_alerts"):
        raise PermissionDenied
    status = request.GET.get("status", "open_all")[:20]
    rule = request.GET.get("rule", "")[:60]
    severity = request.GET.get("severity", "")[:8]
    qs = selectors.alerts_for(request.user, status=status, rule=rule, severity=severity)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if rows:
        services.record_list_view(actor=request.user, alert_ids=[a.pk for a in rows],
                                  filters={"status": status, "rule": rule, "severity": severity})
    return render(request, "risk/alerts.html", {
        "page": page, "rows": rows, "status": status, "rule": rule, "severity": severity,
        "statuses": [("open_all", _("Open or acknowledged")), *AlertStatus.choices, ("all", _("All"))],
        "severities": Severity.choices, "is_hr": request.user.is_hr,
        "last_scan": selectors.latest_scan(request.user)})


def scan_message(run: Any) -> str:
    """What the page says about a scan: its result once finished, else that it is running."""
    if run.status == ScanStatus.DONE and run.dry_run:
        return _("Dry run finished: the active rules would fire %(n)d times today; no alerts were raised.") % {
            "n": run.would_fire}
    if run.status == ScanStatus.DONE:
        return _("Scan finished: %(raised)d alerts raised, %(open)d already open.") % {
            "raised": run.raised, "open": run.already_open}
    if run.status == ScanStatus.FAILED:
        return _("The scan stopped because of an internal error. Start it again.")
    return _("Scan started; refresh this page in a moment to see the result.")


@login_required
@require_POST
def scan_now(request: HttpRequest) -> HttpResponse:
    """立即扫描 (and its dry run): start the company's scan in the background worker."""
    if not request.user.has_perm("risk.run_scan"):
        raise PermissionDenied
    dry_run = request.POST.get("dry_run") == "1"
    try:
        start = services.start_scan(actor=request.user, dry_run=dry_run)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        start.run.refresh_from_db()  # the worker may have finished already
        if not start.started:
            messages.info(request, _("A scan is already running; it was not started twice.") + " "
                          + scan_message(start.run))
        else:
            messages.success(request, scan_message(start.run))
    return redirect("risk:rules" if request.POST.get("back") == "rules" else "risk:alerts")


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk)
    services.record_view(actor=request.user, alert=alert)
    is_open = alert.status in ("open", "acknowledged")
    can_triage = request.user.has_perm("risk.triage_alert", alert)
    return render(request, "risk/alert.html", {
        "alert": alert, "can_triage": can_triage, "outcomes": Outcome.choices, "open": is_open,
        "follow_ups": registry.alert_actions(request.user, alert) if can_triage and is_open else []})


@login_required
@require_POST
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk)  # 404 for an alert the user may not see
    if not request.user.has_perm("risk.triage_alert", alert):
        raise PermissionDenied
    what = request.POST.get("status", "")
    try:
        if what == AlertStatus.ACKNOWLEDGED:
            services.acknowledge(actor=request.user, alert_id=pk, note=request.POST.get("note", ""))
        elif what == AlertStatus.DISMISSED:
            services.dismiss(actor=request.user, alert_id=pk, reason=request.POST.get("reason", ""))
        elif what == AlertStatus.ACTED:
            services.act_on_alert(actor=request.user, alert_id=pk, outcome=request.POST.get("outcome", ""),
                                  note=request.POST.get("note", ""), link=request.POST.get("link_url") or None)
        else:
            raise ValidationError({"status": [_("Choose what to do with the alert.")]})
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("risk:alert", pk=pk)


@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("risk.manage_rules"):
        raise PermissionDenied
    rows = selectors.rules_for(request.user)
    backtest = None
    target = request.GET.get("backtest", "")
    if target.isdigit():
        row = next((r for r in rows if r.rule.pk == int(target)), None)
        if row is not None and row.version is not None:
            backtest = (row, scan.backtest(request.user.company_id, row.version.expression, row.version.purposes))
    return render(request, "risk/rules.html", {"rows": rows, "backtest": backtest,
                                               "last_scan": selectors.latest_scan(request.user)})


@login_required
@require_POST
def switch(request: HttpRequest, pk: int) -> HttpResponse:
    services.set_active(actor=request.user, rule_id=pk, active=request.POST.get("active") == "1")
    return redirect("risk:rules")


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("risk.manage_rules"):
        raise PermissionDenied
    rule = selectors.rule_for(request.user, pk) if pk is not None else None
    latest = rule.versions.order_by("-number").first() if rule is not None else None
    values: dict[str, Any] = {
        "key": rule.key if rule else "", "name": latest.name if latest else "",
        "expression": latest.expression if latest else "", "severity": latest.severity if latest else "medium",
        "explanation": latest.explanation if latest else "", "purposes": latest.purposes if latest else [],
        "manager_visible": latest.manager_visible if latest else False}
    errors: dict[str, list[str]] = {}
    share_warning = False
    if request.method == "POST":
        values = {"key": request.POST.get("key", ""), "name": request.POST.get("name", ""),
                  "expression": request.POST.get("expression", ""), "severity": request.POST.get("severity", ""),
                  "explanation": request.POST.get("explanation", ""), "purposes": request.POST.getlist("purposes"),
                  "manager_visible": request.POST.get("manager_visible") == "on"}
        try:
            version = services.save_rule(actor=request.user, rule_id=rule.pk if rule else None,
                                         accept_share=request.POST.get("accept_share") == "on",
                                         **{k: v for k, v in values.items() if k != "key" or rule is None})
            messages.success(request, _("Rule saved as version %(n)d.") % {"n": version.number})
            return redirect("risk:rules")
        except services.ShareWarning as exc:
            errors, share_warning = exc.message_dict, True
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    from .registry import signals

    return render(request, "risk/rule_edit.html", {
        "rule": rule, "latest": latest, "values": values, "errors": errors, "share_warning": share_warning,
        "general_errors": errors.get("__all__", []),
        "severities": Severity.choices, "purposes": Purpose.choices, "signals": signals(),
        "versions": rule.versions.order_by("-number") if rule else []}, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def checks_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_hr:
        raise PermissionDenied
    consents = list(Envelope.objects.filter(
        company_id=request.user.company_id, status=EnvelopeStatus.SIGNED,
        request__version__template__kind=DocumentKind.BACKGROUND_CONSENT).select_related("employee")
        .order_by("-signed_at")[:200])
    if request.method == "POST":
        envelope = next((e for e in consents if str(e.pk) == request.POST.get("envelope")), None)
        upload = request.FILES.get("upload")
        try:
            if envelope is None:
                raise ValidationError({"consent": [_("Choose the person's signed consent form.")]})
            checks.run_check(actor=request.user, envelope=envelope, kind=request.POST.get("kind", ""),
                             purpose=request.POST.get("purpose", ""),
                             upload=upload.read(checks.MAX_UPLOAD + 1) if upload else None,
                             summary=request.POST.get("summary", ""), adverse=request.POST.get("adverse") == "on")
            messages.success(request, _("Check recorded."))
            return redirect("risk:checks")
        except ValidationError as exc:
            _flash(request, exc)
    return render(request, "risk/checks.html", {
        "consents": consents, "rows": selectors.checks_for(request.user)[:100], "kinds": CheckKind.choices,
        "purposes": Purpose.choices})


@login_required
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = checks.read_check(actor=request.user, check_id=pk)
    return render(request, "risk/check.html", {"check": check})


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """员工自助: the rules in force and which were applied to me (not HR's notes)."""
    return render(request, "risk/mine.html", {"applied": selectors.rules_applied_to_me(request.user),
                                              "active": selectors.active_rules(request.user),
                                              "purpose_labels": dict(Purpose.choices)})
