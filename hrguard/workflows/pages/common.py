"""Shared bits of the process pages: labels of the template vocabulary, durations in words, the page a
process's subject record has, safe "back to" targets, errors as messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrguard.core.roles import Role

RULES = [
    ("role", gettext_lazy("A role")),
    ("manager", gettext_lazy("The subject's line manager")),
    ("department_head", gettext_lazy("The department head")),
    ("hrbp", gettext_lazy("The department's HR partner")),
    ("user", gettext_lazy("A named person")),
    ("subject", gettext_lazy("The subject themself")),
]
ESCALATIONS = [
    ("remind", gettext_lazy("Remind the assignee")),
    ("notify_superior", gettext_lazy("Notify the assignee's superior")),
    ("reassign", gettext_lazy("Reassign the step")),
]
UNITS = [("working", gettext_lazy("working days")), ("calendar", gettext_lazy("calendar days"))]

# The page of a process's subject record, by subject type (URL names only: the pages import no app).
SUBJECT_PAGES = {
    "discipline.violation": "activity:violation_detail",
    "discipline.clientcomplaint": "activity:complaint_detail",
    "offboarding.exit": "offboarding:detail",
}


def subject_url(instance: Any) -> str:
    name = SUBJECT_PAGES.get(instance.subject_type)
    if not name:
        return ""
    try:
        return reverse(name, args=[int(instance.subject_id)])
    except (NoReverseMatch, ValueError):
        return ""


def assignee_label(step: Any) -> str:
    if step.assignee_user_id and step.assignee_user is not None:
        return step.assignee_user.get_full_name() or step.assignee_user.username
    if step.assignee_role in Role.values:
        return str(Role(step.assignee_role).label)
    return ""


def duration(seconds: int | None) -> str:
    """“2天3小时”, “45分钟” (English: “2 d 3 h”, “45 min”)."""
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": rest // 60}
    return _("%(m)d min") % {"m": max(1, rest // 60) if seconds else 0}


def running_seconds(step: Any, now: dt.datetime) -> int | None:
    """A step's time so far (pauses excluded): closed → its duration; open → since it opened."""
    if step.duration_seconds is not None:
        return int(step.duration_seconds)
    if step.opened_at is None:
        return None
    end = step.paused_at or now
    return max(0, int((end - step.opened_at).total_seconds()) - int(step.paused_seconds or 0))


def back_to(request: HttpRequest, default: str) -> str:
    target = str(request.POST.get("next") or "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def report(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as messages (field errors prefixed by nothing: they are sentences)."""
    if hasattr(exc, "error_dict"):
        for msgs in exc.message_dict.values():
            for msg in msgs:
                messages.error(request, msg)
    else:
        for msg in exc.messages:
            messages.error(request, msg)
