"""The warnings Chinese HR teams work from: probation ends, fixed-term contracts to renew or end, documents
still unsigned, notifications that did not arrive. Each source one query, each row linking to its record.

The windows (15 and 30 days) are the practice of HR teams, not law; what is at stake on each warning is the law
module's (``hrguard.law.renewal``, ``hrguard.law.contracts``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrguard.deadlines import watch
from hrguard.documents import tracker
from hrguard.law import contracts as contract_law
from hrguard.law import renewal
from hrguard.notify import services as notify
from hrguard.people import selectors as people
from hrguard.people.pages import may_open

from .items import Item


def alert_titles() -> dict[str, Any]:
    """The titles of the sections the apps register with ``hrguard.deadlines.watch``, by key."""
    return {key: label for key, (label, _fn) in watch.sources().items()}


PROBATION_WINDOW_DAYS = 15  # 待转正: probation ending within this many days
RENEWAL_WINDOW_DAYS = 30  # 合同到期提醒: fixed-term contracts ending within this many days
LIMIT = 20


def _profile(employee_id: int, anchor: str = "") -> str:
    return reverse("people:employee_detail", args=[employee_id]) + anchor


def probation_ending(user: Any, today: dt.date) -> list[Item]:
    out = []
    for c in people.probation_ending(user, today=today, within_days=PROBATION_WINDOW_DAYS, limit=LIMIT):
        days = (c.probation_end_date - today).days
        out.append(Item(
            "probation", _("Probation ends on %(date)s") % {"date": f"{c.probation_end_date:%Y-%m-%d}"},
            _profile(c.employee_id, "#contracts"),
            _("Confirm the employee after probation, or end employment for not meeting the hiring conditions "
              "before this date."),
            due=c.probation_end_date, who=c.employee.name,
            badge=ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days},
            tone="danger" if days <= 3 else "warning", law=(contract_law.ART_19,),
        ))
    return out


def _renewal_text(contract: Any, risk: renewal.ExpiryRisk) -> tuple[str, str, str]:
    """(title, badge, tone) of one expiring contract."""
    no, end = contract.contract_no, f"{risk.end_date:%Y-%m-%d}"
    if risk.stage == renewal.ExpiryStage.UPCOMING:
        title = _("Fixed-term contract %(no)s ends on %(date)s: renew in writing or let it end") % {
            "no": no, "date": end}
        badge = ngettext("%(n)s day left", "%(n)s days left", risk.days_left) % {"n": risk.days_left}
        return title, badge, "warning" if risk.days_left > 7 else "danger"
    since = f"{risk.double_wage_from:%Y-%m-%d}"
    if risk.stage == renewal.ExpiryStage.WORKING_PAST:
        title = _("Contract %(no)s ended on %(date)s and no new contract is signed: sign one before %(since)s") % {
            "no": no, "date": end, "since": since}
        return title, _("Working past expiry"), "danger"
    title = _("Contract %(no)s ended on %(date)s without a renewed written contract: double wage risk since "
              "%(since)s") % {"no": no, "date": end, "since": since}
    return title, _("Double wage risk"), "danger"


def renewals_due(user: Any, today: dt.date) -> list[Item]:
    out = []
    for c in people.fixed_terms_expiring(user, today=today, within_days=RENEWAL_WINDOW_DAYS, limit=LIMIT):
        years = (today - c.employee.hire_date).days / 365.25
        risk = renewal.expiry_risk(c.end_date, today, fixed_terms_concluded=c.fixed_terms or 1,
                                   years_of_service=years)
        title, badge, tone = _renewal_text(c, risk)
        detail = _("The renewal must be open-ended if the employee asks (two fixed terms or ten years).") \
            if risk.open_ended_due else ""
        out.append(Item("renewal", title, _profile(c.employee_id, "#contracts"), detail, due=c.end_date,
                        overdue=risk.days_left < 0, who=c.employee.name, badge=badge, tone=tone, law=risk.citations))
    return out


def unsigned_documents(user: Any, today: dt.date) -> list[Item]:
    out = []
    for e in tracker.unsigned_by_age(user, limit=LIMIT):
        age = (today - timezone.localdate(e.sent_at)).days
        out.append(Item(
            "unsigned", e.request.title, reverse("documents:envelope_detail", args=[e.pk]),
            ngettext("sent %(n)s day ago", "sent %(n)s days ago", age) % {"n": age},
            due=timezone.localdate(e.sent_at), overdue=timezone.localdate(e.request.deadline_at) < today,
            who=e.employee.name, badge=e.get_status_display(), tone="danger" if age >= 7 else "warning",
        ))
    return out


def undelivered(user: Any) -> list[Item]:
    if not may_open(user, "notify:problems"):
        return []
    url = reverse("notify:problems")
    return [
        Item("undelivered", m.subject or m.purpose, url, m.get_channel_display(),
             due=timezone.localdate(m.created_at), who=m.employee.name if m.employee else "",
             badge=m.get_state_display(), tone="danger")
        for m in notify.problems(user.company_id, limit=LIMIT)
    ]


def _item(key: str, w: watch.Watch, today: dt.date) -> Item:
    days = w.days_left(today)
    overdue = w.overdue if w.overdue is not None else days is not None and days < 0
    badge = w.badge
    if not badge and days is not None:
        badge = (ngettext("%(n)s day overdue", "%(n)s days overdue", -days) % {"n": -days} if days < 0
                 else ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days})
    tone = w.tone or ("danger" if days is not None and days <= 3 else "warning")
    return Item(w.kind or key, w.title, w.url, w.detail, due=w.due, overdue=overdue, who=w.who, badge=badge,
                tone=tone, law=w.law)


def watched_clocks(user: Any, today: dt.date) -> dict[str, list[Item]]:
    """The sections the apps above register with ``hrguard.deadlines.watch`` (offboarding: Art. 50;
    noncompete: follow-up)."""
    return {key: [_item(key, w, today) for w in source(user, today)]
            for key, (_label, source) in watch.sources().items()}


def hr_alerts(user: Any, *, today: dt.date) -> dict[str, list[Item]]:
    """The HR warning sections, by key (empty sections for users who may not see their records)."""
    return {
        "probation": probation_ending(user, today),
        "renewal": renewals_due(user, today),
        "unsigned": unsigned_documents(user, today),
        "undelivered": undelivered(user),
        **watched_clocks(user, today),
    }
