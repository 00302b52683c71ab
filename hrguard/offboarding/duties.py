"""The Art. 50 clocks of an exit: the separation certificate and the transfer of the archive and social
insurance, each due 15 days after the end of the employment (the numbers and articles are
``hrguard.law.termination.art50_clocks``'s). Created with the exit; durable deadlines warn HR a few days
before and when overdue; stopped when done (certificate signed or delivered by fallback — see
``exit_documents`` —, transfer recorded by HR with its date and a note). Each step writes evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrguard.core.models import User
from hrguard.core.roles import HR_ROLES
from hrguard.core.validation import clean_plain_text
from hrguard.deadlines import services as deadlines
from hrguard.deadlines import watch
from hrguard.deadlines.services import handler
from hrguard.evidence import services as evidence
from hrguard.law import termination as law
from hrguard.notify import services as notify
from hrguard.platform.errors import require

from .models import DutyKind, Exit, ExitDuty, ExitState

WARN_DAYS_BEFORE = 3  # practice of HR teams, not law: the warning comes this many days before the due date
WATCH_DAYS = 15  # 工作台 lists a clock from this many days before its due date (the whole window) until done
WARN_ACTION = "offboarding.art50_warn"
OVERDUE_ACTION = "offboarding.art50_overdue"
VIA_SIGNED, VIA_FALLBACK, VIA_RECORDED = "signed", "fallback", "recorded"


def _key(duty: ExitDuty) -> str:
    return f"offboarding.art50:{duty.exit_id}:{duty.kind}:"


def citation_of(kind: str) -> Any:
    return law.SIL_ART_50 if kind == DutyKind.CERTIFICATE else law.ART_50


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())


def create_for(exit_: Exit) -> list[ExitDuty]:
    """Inside the exit's transaction: both clocks and their warning and overdue deadlines."""
    out = []
    for clock in law.art50_clocks(exit_.last_day):
        duty, _created = ExitDuty.objects.get_or_create(company_id=exit_.company_id, exit=exit_, kind=clock.code,
                                                        defaults={"due_on": clock.due})
        key = _key(duty)
        warn_on = clock.due - dt.timedelta(days=WARN_DAYS_BEFORE)
        deadlines.schedule(exit_.company_id, key + "warn", WARN_ACTION, duty, _at(warn_on), {"duty": duty.pk})
        deadlines.schedule(exit_.company_id, key + "overdue", OVERDUE_ACTION, duty,
                           _at(clock.due + dt.timedelta(days=1)).replace(hour=0), {"duty": duty.pk})
        out.append(duty)
    return out


def cancel_for(exit_: Exit) -> None:
    """The exit was withdrawn: the clocks stop (no duty arises without an end of employment)."""
    ExitDuty.objects.filter(company_id=exit_.company_id, exit=exit_, done_on__isnull=True).update(cancelled=True)
    deadlines.cancel(f"offboarding.art50:{exit_.pk}:")


def _locked(company_id: int, exit_id: int, kind: str) -> ExitDuty | None:
    return (ExitDuty.objects.select_for_update(of=("self",)).select_related("exit", "exit__employee")
            .filter(company_id=company_id, exit_id=exit_id, kind=kind).first())


def complete(*, company_id: int, exit_id: int, kind: str, on: dt.date, via: str, actor: Any = None,
             note: str = "") -> ExitDuty | None:
    """Mark a clock done (inside the caller's transaction); a second completion changes nothing."""
    duty = _locked(company_id, exit_id, kind)
    if duty is None or duty.done_on is not None or duty.cancelled:
        return duty
    duty.done_on, duty.done_via, duty.note, duty.done_by = on, via, note, actor
    duty.save(update_fields=["done_on", "done_via", "note", "done_by"])
    deadlines.cancel(_key(duty))
    evidence.record(company_id, actor, "offboarding.duty_done", duty.exit, employee=duty.exit.employee, data={
        "duty": kind, "due_on": duty.due_on, "done_on": on, "via": via, "note": note,
        "late_days": max((on - duty.due_on).days, 0), "citation": citation_of(kind).zh})
    return duty


@transaction.atomic
def record_transfer(*, actor: User, exit_id: Any, done_on: Any, note: str) -> ExitDuty:
    """HR records that the archive and social insurance were transferred (date and note, e.g. the bureau's
    receipt number). The date may not be in the future nor before the notice date."""
    from .services import locked_exit

    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.manage_exit", exit_)
    errors: dict[str, list[str]] = {}
    day: dt.date | None = None
    try:
        day = done_on if isinstance(done_on, dt.date) else dt.date.fromisoformat(str(done_on or ""))
    except ValueError:
        errors["done_on"] = [_("Transfer date: enter a date as YYYY-MM-DD.")]
    today = timezone.localdate()
    if day is not None and day > today:
        errors["done_on"] = [_("Transfer date: %(d)s is in the future; record the transfer once it is done.")
                             % {"d": day.isoformat()}]
    elif day is not None and day < exit_.notice_date:
        errors["done_on"] = [_("Transfer date: %(d)s is before the notice date of this exit.") % {"d": day.isoformat()}]
    try:
        text = clean_plain_text(note, "note", max_length=500, required=True)
    except ValidationError as exc:
        errors["note"] = [_("Note: describe the transfer (e.g. the receipt number).")] if not str(note or "").strip() \
            else list(exc.messages)
        text = ""
    if exit_.state == ExitState.CANCELLED:
        errors["__all__"] = [_("This exit was withdrawn; there is nothing to transfer.")]
    if errors:
        raise ValidationError(errors)
    assert day is not None
    duty = complete(company_id=exit_.company_id, exit_id=exit_.pk, kind=DutyKind.SI_TRANSFER, on=day,
                    via=VIA_RECORDED, actor=actor, note=text)
    if duty is None:
        raise ValidationError(_("This exit has no transfer to record."))
    return duty


def _hr_recipients(exit_: Exit) -> list[User]:
    starter = exit_.created_by
    if starter is not None and starter.role in HR_ROLES and starter.is_active:
        return [starter]
    return list(User.objects.filter(company_id=exit_.company_id, role__in=HR_ROLES, is_active=True)
                .order_by("id")[:5])


def _certificate_done(duty: ExitDuty) -> tuple[dt.date, str] | None:
    from .exit_documents import certificate_delivery

    return certificate_delivery(duty.exit) if duty.kind == DutyKind.CERTIFICATE else None


def _alert(deadline: Any, overdue: bool) -> None:
    duty = ExitDuty.objects.select_related("exit", "exit__employee", "exit__created_by").filter(
        pk=int(deadline.payload.get("duty") or deadline.subject_id)).first()
    if duty is None or duty.done_on is not None or duty.cancelled or duty.exit.state == ExitState.CANCELLED:
        return
    done = _certificate_done(duty)
    if done is not None:  # signed or delivered by fallback before the signal reached us
        complete(company_id=duty.company_id, exit_id=duty.exit_id, kind=duty.kind, on=done[0], via=done[1])
        return
    exit_, what = duty.exit, str(duty.get_kind_display())
    values = {"what": what, "name": exit_.employee.name, "due": duty.due_on.isoformat(),
              "law": citation_of(duty.kind).zh}
    if overdue:
        subject = _("Overdue: %(what)s for %(name)s was due on %(due)s") % values
    else:
        subject = _("Due on %(due)s: %(what)s for %(name)s") % values
    body = subject + " (" + values["law"] + ")"
    for user in _hr_recipients(exit_):
        notify.enqueue(exit_.company_id, recipient=user, channels=["inapp"], subject=subject, body=body,
                       idempotency_key=f"{deadline.key}:{user.pk}", about=exit_, employee=exit_.employee,
                       purpose="offboarding.art50", if_unreachable="record")
    evidence.record(exit_.company_id, None, "offboarding.duty_overdue" if overdue else "offboarding.duty_warned",
                    exit_, employee=exit_.employee,
                    data={"duty": duty.kind, "due_on": duty.due_on, "citation": values["law"]})


@handler(WARN_ACTION)
def warn(deadline: Any) -> None:
    _alert(deadline, overdue=False)


@handler(OVERDUE_ACTION)
def overdue(deadline: Any) -> None:
    _alert(deadline, overdue=True)


def open_duties(company_id: int, exit_ids: list[int]) -> dict[int, list[ExitDuty]]:
    out: dict[int, list[ExitDuty]] = {}
    for d in ExitDuty.objects.filter(company_id=company_id, exit_id__in=exit_ids).order_by("due_on", "kind"):
        out.setdefault(d.exit_id, []).append(d)
    return out


@watch.register("art50", gettext_lazy("Separation certificates and social-insurance transfers (LCL Art. 50)"))
def watched(user: Any, today: dt.date) -> list[watch.Watch]:
    """Open Art. 50 clocks due within 15 days or overdue, for HR (one query, 20 rows)."""
    if not (user.is_authenticated and user.role in HR_ROLES):
        return []
    rows = (ExitDuty.objects.filter(company_id=user.company_id, done_on__isnull=True, cancelled=False,
                                    due_on__lte=today + dt.timedelta(days=WATCH_DAYS))
            .exclude(exit__state=ExitState.CANCELLED).exclude(exit__employee__user_id=user.pk)
            .select_related("exit__employee").order_by("due_on", "id")[:20])
    return [watch.Watch(
        _("%(what)s due on %(due)s") % {"what": d.get_kind_display(), "due": d.due_on.isoformat()},
        reverse("offboarding:detail", args=[d.exit_id]) + "#duties", d.due_on, who=d.exit.employee.name,
        law=(citation_of(d.kind),)) for d in rows]
