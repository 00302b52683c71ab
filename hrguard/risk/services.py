"""Early-warning services: rules (a save is a new version, validated, the share warned before saving),
switching a rule on after its back-test, triage of alerts (acknowledge, dismiss with a reason, act on:
talk / case / care with a generic link). Keyword-only, one transaction, permission, evidence."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.validation import clean_plain_text
from hrguard.evidence import services as evidence
from hrguard.platform.errors import require

from . import scan
from .expressions import check_template, parse
from .models import (
    ACTIVE_SCAN,
    OPEN_STATES,
    Alert,
    AlertStatus,
    Outcome,
    Purpose,
    Rule,
    RuleVersion,
    ScanRun,
    ScanStatus,
    Severity,
)

log = logging.getLogger(__name__)

# A rule that would hold for more than this share of the current employees is warned before saving
# (an alarm that rings for everyone is no alarm; the administrator confirms deliberately).
MAX_SHARE = 0.10


@dataclass
class RuleDraft:
    name: str
    expression: str
    severity: str
    explanation: str
    purposes: list[str]
    manager_visible: bool


def _validate(*, name: Any, expression: Any, severity: Any, explanation: Any, purposes: Any,
              manager_visible: Any) -> RuleDraft:
    errors: dict[str, list[str]] = {}

    def text(value: Any, field: str, max_length: int) -> str:
        try:
            return clean_plain_text(value, field, max_length=max_length, required=True)
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                errors.setdefault(field, []).extend(msgs)
            return ""

    name_s = text(name, "name", 100)
    expression_s = text(expression, "expression", 2000)
    explanation_s = text(explanation, "explanation", 500)
    if severity not in Severity.values:
        errors.setdefault("severity", []).append(_("Choose a severity."))
    chosen = [str(p) for p in (purposes or [])] if isinstance(purposes, (list, tuple)) else []
    bad = [p for p in chosen if p not in Purpose.values]
    if bad or not chosen:
        errors.setdefault("purposes", []).append(_("Choose at least one purpose from the list."))
    if not isinstance(manager_visible, bool):
        errors.setdefault("manager_visible", []).append(_("Choose yes or no."))
    if expression_s:
        parsed = parse(expression_s)
        errors.setdefault("expression", []).extend(parsed.errors)
        if parsed.ok and explanation_s:
            errors.setdefault("explanation", []).extend(check_template(explanation_s, parsed))
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)
    return RuleDraft(name_s, expression_s, str(severity), explanation_s, sorted(set(chosen)), manager_visible)


class ShareWarning(ValidationError):
    """The rule would hold for more than ``MAX_SHARE`` of the employees; save again with
    ``accept_share=True`` to keep it."""

    def __init__(self, fired: int, employees: int) -> None:
        self.fired, self.employees = fired, employees
        super().__init__({"expression": [_(
            "This rule would fire for %(n)d of %(total)d employees (%(pct)s%%) today, more than %(max)s%%. "
            "Check the thresholds, or confirm to save it anyway.") % {
            "n": fired, "total": employees, "pct": f"{100 * fired / max(employees, 1):.1f}",
            "max": f"{100 * MAX_SHARE:.0f}"}]}, code="share")


def check_share(company_id: int, expression: str, purposes: Iterable[str]) -> tuple[int, int]:
    return scan.share(company_id, expression, purposes)


@transaction.atomic
def save_rule(*, actor: User, rule_id: int | None = None, key: str = "", name: Any, expression: Any,
              severity: Any, explanation: Any, purposes: Any, manager_visible: Any = False,
              accept_share: bool = False) -> RuleVersion:
    """Create a rule or save a new version of one (validated; the share of employees it would hold for
    today is computed and warned about before saving)."""
    require(actor, "risk.manage_rules")
    draft = _validate(name=name, expression=expression, severity=severity, explanation=explanation,
                      purposes=purposes, manager_visible=manager_visible)
    fired, employees = check_share(actor.company_id, draft.expression, draft.purposes)
    if employees and fired / employees > MAX_SHARE and not accept_share:
        raise ShareWarning(fired, employees)
    if rule_id is None:
        slug = slugify(key or "") or f"rule-{Rule.objects.filter(company_id=actor.company_id).count() + 1}"
        if Rule.objects.filter(company_id=actor.company_id, key=slug).exists():
            raise ValidationError({"key": [_("A rule with this key exists already.")]})
        rule = Rule.objects.create(company_id=actor.company_id, key=slug)
    else:
        rule = locked_rule(actor, rule_id)
    number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = RuleVersion.objects.create(
        rule=rule, number=number, name=draft.name, expression=draft.expression, severity=draft.severity,
        explanation=draft.explanation, purposes=draft.purposes, manager_visible=draft.manager_visible,
        created_by=actor)
    evidence.record(actor.company_id, actor, "risk.rule_saved", rule, {
        "key": rule.key, "version": number, "name": draft.name, "expression": draft.expression,
        "severity": draft.severity, "purposes": draft.purposes, "manager_visible": draft.manager_visible,
        "share": [fired, employees]})
    return version


def locked_rule(actor: User, rule_id: Any) -> Rule:
    try:
        pk = int(rule_id)
    except (TypeError, ValueError):
        raise Http404(_("No such rule.")) from None
    rule = Rule.objects.select_for_update().filter(company_id=actor.company_id, pk=pk).first()
    if rule is None:
        raise Http404(_("No such rule."))
    return rule


@transaction.atomic
def set_active(*, actor: User, rule_id: Any, active: bool) -> Rule:
    require(actor, "risk.manage_rules")
    rule = locked_rule(actor, rule_id)
    rule.active = bool(active)
    rule.save(update_fields=["active"])
    evidence.record(actor.company_id, actor, "risk.rule_switched", rule, {"key": rule.key, "active": rule.active})
    return rule


def locked_alert(actor: User, alert_id: Any) -> Alert:
    try:
        pk = int(alert_id)
    except (TypeError, ValueError):
        raise Http404(_("No such alert.")) from None
    alert = (Alert.objects.select_for_update(of=("self",)).select_related("employee", "version", "rule")
             .filter(company_id=actor.company_id, pk=pk).first())
    if alert is None or not actor.has_perm("risk.view_alert", alert):
        raise Http404(_("No such alert."))
    return alert


def _close(actor: User, alert: Alert, status: str, action: str, data: dict[str, Any]) -> Alert:
    require(actor, "risk.triage_alert", alert)
    if alert.status not in OPEN_STATES:
        raise ValidationError(_("This alert has been triaged already; nothing was changed."), code="closed")
    alert.status, alert.triaged_by, alert.triaged_at = status, actor, timezone.now()
    alert.save()
    evidence.record(actor.company_id, actor, action, alert, {"rule": alert.rule.key, **data}, employee=alert.employee)
    return alert


@transaction.atomic
def acknowledge(*, actor: User, alert_id: Any, note: str = "") -> Alert:
    """HR has seen it and keeps it open (no new alert of the rule for this person meanwhile)."""
    alert = locked_alert(actor, alert_id)
    require(actor, "risk.triage_alert", alert)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError(_("Only an open alert can be acknowledged."), code="state")
    alert.status, alert.triaged_by, alert.triaged_at = AlertStatus.ACKNOWLEDGED, actor, timezone.now()
    alert.note = clean_plain_text(note, "note", max_length=2000)
    alert.save()
    evidence.record(actor.company_id, actor, "risk.alert_acknowledged", alert, {"rule": alert.rule.key},
                    employee=alert.employee)
    return alert


@transaction.atomic
def dismiss(*, actor: User, alert_id: Any, reason: str) -> Alert:
    """A false alarm, with the reason (counts against the rule's precision)."""
    alert = locked_alert(actor, alert_id)
    alert.reason = clean_plain_text(reason, "reason", max_length=500, required=True)
    return _close(actor, alert, AlertStatus.DISMISSED, "risk.alert_dismissed", {"reason": alert.reason})


@transaction.atomic
def act_on_alert(*, actor: User, alert_id: Any, outcome: str, note: str = "", link: Any = None,
                 link_label: str = "") -> Alert:
    """HR acted on it: a talk, a case or care. ``link`` is what it led to — a model instance (stored as
    content type + id), a ``("app_label.model", id)`` pair, or a URL — so the alert shows "acted on →
    case #N" without this app knowing the cases app."""
    alert = locked_alert(actor, alert_id)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose what was done: a talk, a case or care.")]})
    alert.outcome = outcome
    alert.note = clean_plain_text(note, "note", max_length=2000)
    alert.link_type, alert.link_id, alert.link_url = _link(link)
    alert.link_label = clean_plain_text(link_label, "link_label", max_length=100)
    return _close(actor, alert, AlertStatus.ACTED, "risk.alert_acted", {
        "outcome": outcome, "link_type": alert.link_type, "link_id": alert.link_id, "link_url": alert.link_url})


def _link(link: Any) -> tuple[str, int | None, str]:
    if link is None or link == "":
        return "", None, ""
    if hasattr(link, "_meta") and getattr(link, "pk", None) is not None:
        url = link.get_absolute_url() if hasattr(link, "get_absolute_url") else ""
        return f"{link._meta.app_label}.{link._meta.model_name}", int(link.pk), url
    if isinstance(link, (tuple, list)) and len(link) == 2:
        return str(link[0])[:100], int(link[1]), ""
    if isinstance(link, str) and (link.startswith("/") or link.startswith("https://")) and len(link) <= 300:
        return "", None, link
    raise ValidationError({"link": [_("The link must be a record or an address inside HRGuard.")]})


@transaction.atomic
def record_view(*, actor: User, alert: Alert) -> None:
    """Every view of an alert is evidence (PIPL: a read of a sensitive assessment)."""
    evidence.record(actor.company_id, actor, "risk.alert_viewed", alert, {"rule": alert.rule.key},
                    employee=alert.employee_id)


@transaction.atomic
def record_list_view(*, actor: User, alert_ids: list[int], filters: dict[str, str]) -> None:
    """A page of alerts shown (their explanations are on it): one evidence event naming them."""
    evidence.record(actor.company_id, actor, "risk.alerts_listed", None, {"alerts": alert_ids, "filters": filters})


# --- a scan started from the page (立即扫描) ------------------------------------------------------------

# A scan that has been queued or running this long is taken as lost (the worker died): the next start
# marks it failed instead of waiting for it forever.
STALE_SCAN = timedelta(minutes=30)


@dataclass
class ScanStart:
    run: ScanRun
    started: bool  # False: a scan of the company was already queued or running (a double click)


def start_scan(*, actor: User, dry_run: bool = False) -> ScanStart:
    """Start the scan of the actor's company (or its dry run: count, raise nothing) in the background
    worker. One at a time per company: a second start while one is queued or running returns that one.
    The start is evidence (who started it); the worker runs ``run_scan``."""
    require(actor, "risk.run_scan")
    with transaction.atomic():
        ScanRun.objects.filter(company_id=actor.company_id, status__in=ACTIVE_SCAN,
                               created_at__lt=timezone.now() - STALE_SCAN).update(
            status=ScanStatus.FAILED, finished_at=timezone.now())
        try:
            with transaction.atomic():
                run = ScanRun.objects.create(company_id=actor.company_id, started_by=actor, dry_run=bool(dry_run))
        except IntegrityError:
            running = ScanRun.objects.filter(company_id=actor.company_id, status__in=ACTIVE_SCAN).first()
            if running is None:  # finished between the insert and this read: start again next click
                raise ValidationError(_("A scan has just finished; start it again if needed.")) from None
            return ScanStart(running, False)
        evidence.record(actor.company_id, actor, "risk.scan_started", run, {"dry_run": run.dry_run})
        run_id = run.pk
        transaction.on_commit(lambda: _enqueue_scan(run_id))
    return ScanStart(run, True)


def _enqueue_scan(run_id: int) -> None:
    from .tasks import scan_company  # the task module imports this one

    scan_company(run_id)


def run_scan(run_id: int) -> ScanRun | None:
    """The worker's entry point: claim the queued run (a second delivery does nothing), scan, record the
    result (alerts raised, already open) as evidence."""
    claimed = ScanRun.objects.filter(pk=run_id, status=ScanStatus.QUEUED).update(status=ScanStatus.RUNNING)
    if not claimed:
        return None
    run = ScanRun.objects.select_related("company", "started_by").get(pk=run_id)
    try:
        result = scan.run(run.company, dry_run=run.dry_run)
    except Exception:
        log.exception("scan %s failed", run_id)
        with transaction.atomic():
            ScanRun.objects.filter(pk=run_id).update(status=ScanStatus.FAILED, finished_at=timezone.now())
            evidence.record(run.company_id, run.started_by, "risk.scan_finished", run, {"failed": True})
        run.refresh_from_db()
        return run
    with transaction.atomic():
        run.status, run.finished_at = ScanStatus.DONE, timezone.now()
        run.employees, run.raised, run.already_open = result.employees, len(result.raised), result.skipped_open
        run.fired = result.fired
        run.save(update_fields=["status", "finished_at", "employees", "raised", "already_open", "fired"])
        evidence.record(run.company_id, run.started_by, "risk.scan_finished", run, {
            "dry_run": run.dry_run, "employees": run.employees, "raised": run.raised,
            "already_open": run.already_open, "fired": run.fired})
    return run
