"""离职面谈: the exit interview, structured reasons kept apart from the exit's decision records. Only HR
reads it (``offboarding.view_interview``); the evidence log keeps that it was held and a digest of its
content, never the content itself (legal and compliance read the log)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrguard.core.models import User
from hrguard.core.validation import clean_plain_text
from hrguard.evidence import services as evidence
from hrguard.platform.errors import require

from .models import ExitInterview

REASONS = {
    "pay": gettext_lazy("Pay and benefits"),  # 薪酬福利
    "career": gettext_lazy("Career development"),  # 职业发展
    "manager": gettext_lazy("Relationship with the manager"),  # 上级关系
    "workload": gettext_lazy("Workload and hours"),  # 工作强度
    "culture": gettext_lazy("Company culture"),  # 企业文化
    "family": gettext_lazy("Family reasons"),  # 家庭原因
    "location": gettext_lazy("Location and commute"),  # 工作地点
    "study": gettext_lazy("Further study"),  # 深造
    "health": gettext_lazy("Health"),  # 健康原因
    "dismissed": gettext_lazy("Left at the company's initiative"),  # 公司原因
    "other": gettext_lazy("Other"),  # 其他
}


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@transaction.atomic
def record_interview(*, actor: User, exit_id: Any, reasons: list[str], main_reason: str = "", notes: str = "",
                     would_return: bool | None = None, held_on: dt.date | None = None) -> ExitInterview:
    """Record (or replace) the interview of an exit."""
    from .services import locked_exit

    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.record_interview", exit_)
    errors: dict[str, list[str]] = {}
    chosen = list(dict.fromkeys(str(r) for r in (reasons or []) if r not in (None, "")))
    if not chosen:
        errors["reasons"] = [_("Choose at least one reason.")]
    elif any(r not in REASONS for r in chosen):
        errors["reasons"] = [_("Unknown reason: %(v)s") % {"v": "、".join(r for r in chosen if r not in REASONS)}]
    if main_reason and main_reason not in chosen:
        errors["main_reason"] = [_("The main reason is one of the reasons chosen.")]
    if would_return not in (None, True, False):
        errors["would_return"] = [_("Choose yes, no or unknown.")]
    if held_on is not None and not isinstance(held_on, dt.date):
        errors["held_on"] = [_("Enter a date as YYYY-MM-DD.")]
    try:
        notes = clean_plain_text(notes, "notes", max_length=4000)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    held = held_on or dt.date.today()
    interview, _created = ExitInterview.objects.update_or_create(
        company_id=exit_.company_id, exit=exit_,
        defaults={"reasons": chosen, "main_reason": main_reason or chosen[0], "notes": notes,
                  "would_return": would_return, "held_on": held, "interviewer": actor})
    content = {"reasons": chosen, "main_reason": interview.main_reason, "notes": notes, "would_return": would_return,
               "held_on": held}
    evidence.record(exit_.company_id, actor, "offboarding.interview_recorded", interview, employee=exit_.employee_id,
                    data={"exit": exit_.pk, "held_on": held, "content_sha256": _digest(content)})
    return interview


def interview_of(user: User, exit_: Any) -> ExitInterview | None:
    if not user.has_perm("offboarding.view_interview", exit_):
        return None
    return ExitInterview.objects.filter(company_id=exit_.company_id, exit=exit_).first()
