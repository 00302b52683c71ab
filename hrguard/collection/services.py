"""State changes of collection contacts (issue 12 §2–§4). Keyword-only, one transaction each, rules
permissions, an evidence event (``collection.*``) in the same transaction, messages through the outbox.

* ``log_contact(*, actor, employee, occurred_at, channel, agency, …, attachments=(), merge_into=None,
  not_duplicate=False)`` — refuses a missing agency or time naming the field; the same number within the
  company's ``duplicate_minutes`` is refused as ``DuplicateContact`` until the caller confirms a merge
  (``merge_into``) or says it is another call (``not_duplicate``); a former employee is allowed and
  marked; night-time is computed from the time (``law.collection.is_night``). Opens (or reuses) the
  employee's collection case, notifies the employee privately and starts the engine process;
* ``respond(*, actor, file_id, text)`` — the employee's answer (self-service; completes the ``answer``
  step);
* ``escalate(*, actor, file_id, reason)`` — HR review; also run by ``log_contact`` when the contacts
  reach ``repeat_count`` within ``repeat_days``;
* ``save_settings``, ``grant_access``; letters and police reports: ``letters.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.cases import services as cases
from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.law import collection as law
from hrguard.notify import services as notify
from hrguard.people.models import Employee, EmployeeStatus
from hrguard.records import files
from hrguard.records.inputs import Errors
from hrguard.workflows import selectors as workflow_selectors
from hrguard.workflows import services as workflows
from hrguard.workflows.types import InstanceState

from .case_type import CASE_TYPE, TEMPLATE_KEY
from .models import (
    Channel,
    CollectionAccess,
    CollectionFile,
    CollectionSettings,
    Contact,
    FileStatus,
    Response,
)

ATTACHMENT_OWNER = "collection.contact"
NOTICE_CHANNELS = ("inapp", "sms", "email", "wecom", "dingtalk", "feishu")


class DuplicateContact(ValidationError):
    """The same number called within the duplicate window: ``existing`` is the earlier contact."""

    def __init__(self, existing: Contact) -> None:
        self.existing = existing
        super().__init__({"caller_number": _("The same number was logged %(when)s (contact #%(id)d): confirm "
                                             "a merge or that it is another call.") % {
            "when": timezone.localtime(existing.occurred_at).strftime("%Y-%m-%d %H:%M"), "id": existing.pk}},
            code="duplicate")


def settings_for(company_id: int) -> CollectionSettings:
    found = CollectionSettings.objects.filter(company_id=company_id).first()
    return found or CollectionSettings(company_id=company_id)


def _text(value: Any, field: str, errors: Errors, *, required: bool = False, max_length: int = 200) -> str:
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        errors.add(field, _("The text contains a forbidden character."))
    elif len(text) > max_length:
        errors.add(field, _("At most %(n)d characters.") % {"n": max_length})
    elif required and not text:
        errors.add(field, _("This field is required."))
    return text


def _record(actor: Any, obj: Any, action: str, employee: Any, data: dict[str, Any]) -> None:
    evidence.record(obj.company_id, actor, action, obj, data, employee=employee)


def is_former(employee: Employee, today: dt.date) -> bool:
    return employee.status == EmployeeStatus.LEFT or (
        employee.termination_date is not None and employee.termination_date < today)


# Contacts are logged as they happen; a year before this is a typing error (and would overflow the
# repeat window's date arithmetic).
EARLIEST_YEAR = 2000


def _validated(actor: User, employee: Any, occurred_at: Any, channel: str, agency: Any, text_fields: dict[str, Any],
               attachments: Sequence[Any]) -> dict[str, Any]:
    errors = Errors()
    if not isinstance(employee, Employee) or employee.company_id != actor.company_id:
        errors.add("employee", _("Choose the employee the contact was about."))
    if not isinstance(occurred_at, dt.datetime):
        errors.add("occurred_at", _("Enter the time of the contact."))
    elif occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors.add("occurred_at", _("The time of the contact cannot be in the future."))
    elif occurred_at.year < EARLIEST_YEAR:
        errors.add("occurred_at", _("The time of the contact is implausibly early (before %(y)d).")
                   % {"y": EARLIEST_YEAR})
    if channel not in Channel.values:
        errors.add("channel", _("Choose the channel: call, SMS, visit, or a message to a client or colleague."))
    out = {"agency": _text(agency, "agency", errors, required=True)}
    limits = {"caller_name": 100, "caller_number": 40, "received_by": 100, "said": 5000}
    for name, limit in limits.items():
        out[name] = _text(text_fields.get(name), name, errors, max_length=limit)
    number = out["caller_number"]
    if number and not all(c.isdigit() or c in "+-() " for c in number):
        errors.add("caller_number", _("A phone number has digits only (and + - ( ))."))
    out["caller_number"] = "".join(c for c in number if c.isdigit() or c == "+")
    files.check_uploads(errors, list(attachments), "attachments")
    errors.raise_if_any()
    return out


def _duplicate(company_id: int, number: str, occurred_at: dt.datetime, minutes: int) -> Contact | None:
    if not number:
        return None
    window = dt.timedelta(minutes=minutes)
    return (Contact.objects.filter(company_id=company_id, caller_number=number,
                                   occurred_at__gte=occurred_at - window, occurred_at__lte=occurred_at + window)
            .order_by("occurred_at").first())


def _file_for(actor: User, employee: Employee) -> CollectionFile:
    found = (CollectionFile.objects.select_for_update().filter(company_id=employee.company_id, employee=employee)
             .exclude(status=FileStatus.CLOSED).select_related("case").first())
    if found is not None:
        return found
    case = cases.open_case(actor=actor, case_type=CASE_TYPE, title=_("Collection contacts"),
                           category="", confidentiality="restricted", subject_employee=employee)
    return CollectionFile.objects.create(case=case, company_id=employee.company_id, employee=employee)


def _merge(actor: User, existing: Contact, attachments: Sequence[Any]) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=existing.pk)
    contact.repeats += 1
    contact.save(update_fields=["repeats"])
    saved = files.store(actor, ATTACHMENT_OWNER, contact, contact.employee, list(attachments))
    _record(actor, contact, "collection.contact_merged", contact.employee_id,
            {"repeats": contact.repeats, "attachments": files.described(saved)})
    return contact


@transaction.atomic
def log_contact(
    *,
    actor: User,
    employee: Employee | None,
    occurred_at: dt.datetime | None,
    channel: str,
    agency: str,
    caller_name: str = "",
    caller_number: str = "",
    said: str = "",
    employee_named: bool = False,
    amount_mentioned: bool = False,
    asked_to_collect: bool = False,
    threats: bool = False,
    received_by: str = "",
    attachments: Sequence[Any] = (),
    merge_into: int | None = None,
    not_duplicate: bool = False,
) -> Contact:
    if not actor.has_perm("collection.log_contact"):
        raise PermissionDenied(_("You may not log collection contacts."))
    clean = _validated(actor, employee, occurred_at, channel, agency,
                       {"caller_name": caller_name, "caller_number": caller_number, "received_by": received_by,
                        "said": said}, attachments)
    assert isinstance(employee, Employee) and isinstance(occurred_at, dt.datetime)
    conf = settings_for(actor.company_id)
    earlier = _duplicate(actor.company_id, clean["caller_number"], occurred_at, conf.duplicate_minutes)
    if earlier is not None and merge_into is not None:
        if merge_into != earlier.pk:
            raise ValidationError({"merge_into": _("Merge only into the contact the duplicate check found.")})
        return _merge(actor, earlier, attachments)
    if earlier is not None and not not_duplicate:
        raise DuplicateContact(earlier)
    file = _file_for(actor, employee)
    night = law.is_night(timezone.localtime(occurred_at).time())
    contact = Contact.objects.create(
        company_id=actor.company_id, file=file, employee=employee, occurred_at=occurred_at, channel=channel,
        employee_named=bool(employee_named), amount_mentioned=bool(amount_mentioned),
        asked_to_collect=bool(asked_to_collect), threats=bool(threats), night=night,
        former_employee=is_former(employee, timezone.localdate()), logged_by=actor, **clean,
    )
    saved = files.store(actor, ATTACHMENT_OWNER, contact, employee, list(attachments))
    _record(actor, contact, "collection.contact_logged", employee.pk, {
        "case": file.case.number, "occurred_at": occurred_at.isoformat(), "channel": channel,
        "agency": contact.agency, "caller_number": contact.caller_number, "night": night,
        "employee_named": contact.employee_named, "amount_mentioned": contact.amount_mentioned,
        "asked_to_collect": contact.asked_to_collect, "threats": contact.threats,
        "former_employee": contact.former_employee, "attachments": files.described(saved)})
    _notify(actor, file, contact, conf)
    _check_repeats(actor, file, conf, occurred_at)
    return contact


def _notify(actor: User, file: CollectionFile, contact: Contact, conf: CollectionSettings) -> None:
    """The employee, privately: no agency, no amount, nothing a colleague reading a phone would learn."""
    employee = contact.employee
    now = timezone.now()
    contact.notified_at = now
    contact.response_due_at = now + dt.timedelta(hours=conf.response_hours)
    contact.save(update_fields=["notified_at", "response_due_at"])
    problems = notify.check_channels(employee, NOTICE_CHANNELS)
    channels = [c for c in NOTICE_CHANNELS if c not in problems]
    link = reverse("collection:respond", args=[file.case_id])
    sent = notify.enqueue(
        contact.company_id, recipient=employee, channels=channels or ["inapp"],
        subject=_("HR needs a word with you"),
        body=_("A matter concerning you personally was recorded by the company. Please open HRGuard and tell "
               "HR within %(hours)d hours what you are doing about it. Only HR can see it.") % {
            "hours": conf.response_hours},
        idempotency_key=f"collection.notice:{contact.pk}", link=link, about=file.case, employee=employee,
        purpose="collection.notice", actor=actor, if_unreachable="record")
    _record(actor, contact, "collection.employee_notified", employee.pk, {
        "channels": sorted({m.channel for m in sent}), "due_at": contact.response_due_at.isoformat()})
    if not contact.former_employee and _running(file) is None and employee.user_id is not None:
        instance = workflows.start(actor=None, company=employee.company, template_key=TEMPLATE_KEY, subject=file.case,
                                   subject_employee=employee, title=f"{file.case.number} {_('Collection contacts')}")
        if file.case.process_id is None:
            file.case.process = instance
            file.case.save(update_fields=["process"])


def _running(file: CollectionFile) -> Any:
    instance = workflow_selectors.instance_for(subject=file.case)
    return instance if instance is not None and instance.state == InstanceState.RUNNING else None


def _check_repeats(actor: User, file: CollectionFile, conf: CollectionSettings, at: dt.datetime) -> None:
    if file.status != FileStatus.OPEN:
        return
    since = at - dt.timedelta(days=conf.repeat_days)
    count = Contact.objects.filter(file=file, occurred_at__gte=since, occurred_at__lte=at).count()
    if count >= conf.repeat_count:
        _escalate(actor, file, _("%(n)d contacts within %(d)d days") % {"n": count, "d": conf.repeat_days})


def _escalate(actor: Any, file: CollectionFile, reason: str) -> None:
    file.status = FileStatus.REVIEW
    file.escalated_at = timezone.now()
    file.escalation_reason = reason[:200]
    file.save(update_fields=["status", "escalated_at", "escalation_reason"])
    _record(actor, file, "collection.escalated", file.employee_id, {"case": file.case.number, "reason": reason})
    for hr in User.objects.filter(company_id=file.company_id, role__in=["admin", "hr"], is_active=True):
        notify.enqueue(file.company_id, recipient=hr, channels=["inapp"],
                       subject=_("Collection contacts need HR review"), body=reason,
                       idempotency_key=f"collection.escalated:{file.pk}:{hr.pk}:{int(file.escalated_at.timestamp())}",
                       about=file.case, purpose="collection.escalated", actor=actor, if_unreachable="record")


def locked_file(actor: User, file_id: Any, perm: str = "collection.manage") -> CollectionFile:
    try:
        pk = int(file_id)
    except (TypeError, ValueError):
        raise ValidationError({"file": _("No such collection case.")}) from None
    file = (CollectionFile.objects.select_for_update(of=("self",)).select_related("case", "employee")
            .filter(company_id=actor.company_id, case_id=pk).first())
    if file is None or not actor.has_perm(perm, file.case):
        raise PermissionDenied(_("You may not act on these collection contacts."))
    return file


@transaction.atomic
def escalate(*, actor: User, file_id: int, reason: str) -> CollectionFile:
    file = locked_file(actor, file_id)
    errors = Errors()
    reason = _text(reason, "reason", errors, required=True)
    errors.raise_if_any()
    _escalate(actor, file, reason)
    return file


@transaction.atomic
def respond(*, actor: User, file_id: int, text: str) -> Response:
    """The employee's own answer: only the employee the contacts are about."""
    file = (CollectionFile.objects.select_for_update(of=("self",)).select_related("case", "employee")
            .filter(company_id=actor.company_id, case_id=file_id).first())
    if file is None or file.employee.user_id != actor.pk:
        raise PermissionDenied(_("You may answer only about yourself."))
    errors = Errors()
    text = _text(text, "text", errors, required=True, max_length=2000)
    errors.raise_if_any()
    response = Response.objects.create(company_id=file.company_id, file=file, text=text, by=actor)
    now = timezone.now()
    answered = Contact.objects.filter(file=file, responded_at__isnull=True).update(responded_at=now)
    _record(actor, response, "collection.responded", file.employee_id, {"case": file.case.number,
                                                                         "contacts_answered": answered})
    instance = _running(file)
    if instance is not None:
        _complete_answer(actor, instance, text)
    return response


def _complete_answer(actor: User, instance: Any, text: str) -> None:
    steps = workflow_selectors.open_steps_by_instance(company_id=instance.company_id, instance_ids=[instance.pk])
    for step in steps.get(instance.pk, []):
        if step.key == "answer" and step.assignee_user_id == actor.pk:
            workflows.act(actor=actor, step_id=step.pk, action="complete", note=text[:500])


@transaction.atomic
def save_settings(*, actor: User, **values: Any) -> CollectionSettings:
    if not actor.has_perm("collection.manage"):
        raise PermissionDenied(_("You may not change the collection settings."))
    errors = Errors()
    conf = settings_for(actor.company_id)
    bounds = {"response_hours": (1, 168), "repeat_count": (1, 100), "repeat_days": (1, 90),
              "duplicate_minutes": (0, 1440), "reply_days": (1, 60)}
    for name, (low, high) in bounds.items():
        if name in values:
            try:
                number = int(values[name])
            except (TypeError, ValueError):
                number = -1
            if not low <= number <= high:
                errors.add(name, _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high})
            else:
                setattr(conf, name, number)
    if "policy_for_new_hires" in values:
        conf.policy_for_new_hires = bool(values["policy_for_new_hires"])
    if "law_firm" in values:
        conf.law_firm = _text(values["law_firm"], "law_firm", errors)
    errors.raise_if_any()
    conf.save()
    evidence.record(actor.company_id, actor, "collection.settings_saved", conf,
                    {k: getattr(conf, k) for k in (*bounds, "law_firm", "policy_for_new_hires")})
    return conf


@transaction.atomic
def grant_access(*, actor: User, user: User, can_log: bool = True, can_view: bool = False) -> CollectionAccess:
    if not actor.has_perm("collection.manage") or user.company_id != actor.company_id:
        raise PermissionDenied(_("You may not grant access to collection contacts."))
    access, _created = CollectionAccess.objects.update_or_create(
        company_id=actor.company_id, user=user, defaults={"can_log": can_log, "can_view": can_view})
    evidence.record(actor.company_id, actor, "collection.access_granted", access,
                    {"user": user.username, "can_log": can_log, "can_view": can_view})
    return access


def employees_to_choose(actor: User, ids: Iterable[int] | None = None) -> list[Employee]:
    """Names the front desk picks from (name and number only: nothing else is disclosed)."""
    if not actor.has_perm("collection.log_contact"):
        raise PermissionDenied(_("You may not log collection contacts."))
    qs = Employee.objects.filter(company_id=actor.company_id).only("id", "name", "employee_no", "status")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return list(qs.order_by("name"))
