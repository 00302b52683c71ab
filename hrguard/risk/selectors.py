"""Tenant-scoped reads of early warning: the alert list (HR: all; a line manager: the alerts of rules that
allow it, about their people; nobody about themself), one alert, the rules with their measured precision,
the rules applied to me (self-service), checks. Constant queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.people.scope import scope_of

from .models import Alert, AlertStatus, Check, MaterialisedMonth, Rule, RuleVersion, ScanRun, SignalValue


def alerts_for(user: User, *, status: str = "", rule: str = "", severity: str = "") -> QuerySet[Alert]:
    if not user.is_authenticated or not user.has_perm("risk.view_alerts"):
        return Alert.objects.none()
    scope = scope_of(user)
    qs = Alert.objects.filter(company_id=user.company_id).select_related("employee", "rule", "version",
                                                                          "employee__department")
    if scope.employee_id:
        qs = qs.exclude(employee_id=scope.employee_id)
    if not user.is_hr:
        paths = scope.managed_paths
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(employee__department_path__startswith=path)
        qs = qs.filter(q, version__manager_visible=True)
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    elif status == "open_all":
        qs = qs.filter(status__in=("open", "acknowledged"))
    if rule:
        qs = qs.filter(rule__key=rule)
    if severity:
        qs = qs.filter(severity=severity)
    return qs.order_by("-raised_at", "-pk")


def alert_for(user: User, pk: Any) -> Alert:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such alert.")) from None
    alert = alerts_for(user).filter(pk=key).first()
    if alert is None or not user.has_perm("risk.view_alert", alert):
        raise Http404(_("No such alert."))
    return alert


@dataclass
class RuleRow:
    rule: Rule
    version: RuleVersion | None
    acted: int
    dismissed: int
    open: int

    @property
    def precision(self) -> float | None:
        """Measured precision: acted on / (acted on + dismissed as false alarms); None before triage."""
        judged = self.acted + self.dismissed
        return None if not judged else self.acted / judged


def rules_for(user: User) -> list[RuleRow]:
    if not user.has_perm("risk.manage_rules"):
        return []
    rules = list(Rule.objects.filter(company_id=user.company_id).annotate(
        acted=Count("alerts", filter=Q(alerts__status=AlertStatus.ACTED)),
        dismissed=Count("alerts", filter=Q(alerts__status=AlertStatus.DISMISSED)),
        open_n=Count("alerts", filter=Q(alerts__status__in=("open", "acknowledged")))).order_by("key"))
    latest: dict[int, RuleVersion] = {}
    for v in RuleVersion.objects.filter(rule__in=rules).order_by("rule_id", "number"):
        latest[v.rule_id] = v
    return [RuleRow(r, latest.get(r.pk), r.acted, r.dismissed, r.open_n) for r in rules]  # type: ignore[attr-defined]


def rule_for(user: User, pk: Any) -> Rule:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such rule.")) from None
    rule = Rule.objects.filter(company_id=user.company_id, pk=key).first()
    if rule is None or not user.has_perm("risk.manage_rules"):
        raise Http404(_("No such rule."))
    return rule


def rules_applied_to_me(user: User) -> list[dict[str, Any]]:
    """Self-service (PIPL Art. 24/44): which rules were applied to me and when — the rule's name, purpose
    and the date, never HR's notes nor the triage."""
    employee_id = scope_of(user).employee_id
    if not employee_id:
        return []
    rows = (Alert.objects.filter(company_id=user.company_id, employee_id=employee_id)
            .values("version__name", "version__purposes", "as_of").order_by("-as_of"))
    return [{"name": r["version__name"], "purposes": r["version__purposes"], "as_of": r["as_of"]} for r in rows]


def active_rules(user: User) -> list[RuleVersion]:
    """The rules in force in my company (what every employee may know is evaluated)."""
    from .scan import latest_versions

    return latest_versions(user.company_id) if user.is_authenticated and user.company_id else []


def checks_for(user: User) -> QuerySet[Check]:
    if not user.is_authenticated or not user.is_hr:
        return Check.objects.none()
    qs = Check.objects.filter(company_id=user.company_id).select_related("employee")
    own = scope_of(user).employee_id
    return (qs.exclude(employee_id=own) if own else qs).order_by("-ran_at", "-pk")


def latest_scan(user: User) -> ScanRun | None:
    """The last scan started from the page in the user's company, for those who may start one (HR roles);
    nobody else learns who scanned or what it found."""
    if user.company_id is None or not user.has_perm("risk.run_scan"):
        return None
    return ScanRun.objects.filter(company_id=user.company_id).select_related("started_by").order_by("-pk").first()


def backup_exclusions() -> dict[str, list[str]]:
    """What a PostgreSQL backup leaves out (``pg_dump`` patterns): the signal values are derived data that the
    next scan recomputes. ``tables``: the per-company partitions, schema and rows (``pg_restore --clean``
    cannot drop a partition's inherited primary key, so a dump holding them does not restore); ``data``: the
    months marked materialised, so that the restored database marks no month whose values it lacks."""
    return {"tables": [f"{SignalValue._meta.db_table}_c*"], "data": [MaterialisedMonth._meta.db_table]}
