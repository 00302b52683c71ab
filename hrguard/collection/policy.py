"""The policy on personal financial conduct (issue 12 §1), through the documents app's public API:

* ``ensure_policy_template(*, actor)`` — the handbook chapter 员工个人财务行为规范 as a documents template
  (kind: employee-handbook acknowledgement), created once per company; HR edits it on the documents
  template pages (``library.save_version`` — every save a new version);
* ``send_campaign(*, actor, employees=None, channels=("inapp",), days=7)`` — the acknowledgement campaign:
  every active employee, or a selection, as one documents signing request (batch); who signed and who has
  not is the documents tracker (the request's page), reminders run on the documents reminder ladder;
* new hires: no onboarding pack exists in people/documents, so a hook on hire (``on_employee_created``,
  connected in ``apps.ready``) sends the current version to each new employee after commit when the company
  has switched ``CollectionSettings.policy_for_new_hires`` on (off by default)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.documents import library, tracker
from hrguard.documents import services as documents
from hrguard.people.models import Employee, EmployeeStatus

POLICY_NAME = "员工个人财务行为规范"
POLICY_KIND = "handbook_ack"
POLICY_BODY = (
    "为维护公司正常经营秩序，保护员工个人信息，{{ company_name }}在员工手册中增设本章：\n\n"
    "一、员工个人借贷、信用卡及网络贷款等属于员工个人事务，与公司无关；公司不是任何员工个人债务的债务人"
    "或担保人。\n\n"
    "二、公司不向任何催收机构或第三人提供员工的个人信息；前台及其他同事接到催收电话时，统一答复“公司不提供"
    "任何员工信息”，并在系统中登记。\n\n"
    "三、公司接到与员工个人债务有关的来电、短信或上门后，会私下通知员工本人，员工应在二十四小时内告知人事部"
    "处理进展；公司有权就催收方的违法违规行为发送律师函、向金融监管部门投诉或报警。\n\n"
    "四、员工如遇财务困难，可向人事部申请谈心、紧急援助或匿名援助服务，公司对此严格保密。\n\n"
    "本人{{ employee_name }}已阅读并理解本章内容。"
)


def ensure_policy_template(*, actor: User) -> Any:
    """The company's current version of the policy (created from the default wording on first use)."""
    for template in library.templates_for(actor):
        if template.name == POLICY_NAME:
            return template.latest
    return library.create_template(actor.company, actor=actor, kind=POLICY_KIND, name=POLICY_NAME,
                                   title="员工个人财务行为规范确认书", body=POLICY_BODY,
                                   signer_label="员工（签字确认）").latest


def _active(company_id: int) -> list[Employee]:
    return list(Employee.objects.filter(company_id=company_id).exclude(
        status__in=[EmployeeStatus.LEFT, EmployeeStatus.PENDING]))


def employees_by_numbers(*, actor: User, text: str) -> list[Employee]:
    """The actor's company's employees named by number in ``text`` (commas, spaces or lines); refuses,
    naming them, numbers that match nobody."""
    numbers = [n for n in re.split(r"[\s,，、;；]+", text or "") if n]
    if not numbers:
        raise ValidationError({"employee_nos": _("Enter at least one employee number.")})
    found = {e.employee_no: e for e in Employee.objects.filter(company_id=actor.company_id, employee_no__in=numbers)}
    unknown = [n for n in dict.fromkeys(numbers) if n not in found]
    if unknown:
        raise ValidationError({"employee_nos": _("No employee with number: %(nos)s") % {"nos": "、".join(unknown)}})
    return [found[n] for n in dict.fromkeys(numbers)]


def campaigns(*, actor: User) -> list[tuple[Any, Any]]:
    """Every acknowledgement campaign of the policy, newest first, with its signed / not signed counts
    (who exactly: the documents tracker page of each)."""
    rows = tracker.requests_for(actor).filter(version__template__name=POLICY_NAME).order_by("-created_at", "-pk")
    return [(r, tracker.summary(r)) for r in rows[:50]]


def send_campaign(*, actor: User, employees: Iterable[Employee] | None = None,
                  channels: Sequence[str] = ("inapp",), days: int = 7) -> documents.SendResult:
    if not actor.has_perm("collection.manage"):
        raise PermissionDenied(_("You may not run the policy campaign."))
    people = list(employees) if employees is not None else _active(actor.company_id)
    if not people:
        raise ValidationError({"employees": _("Choose at least one employee.")})
    if any(p.company_id != actor.company_id for p in people):
        raise ValidationError({"employees": _("The employee belongs to another company.")})
    version = ensure_policy_template(actor=actor)
    return documents.send_request(actor.company, actor=actor, version=version, employees=people,
                                  channels=list(channels), deadline_at=timezone.now() + dt.timedelta(days=days),
                                  title=POLICY_NAME, skip_unreachable=True)


def _send_to_new_hire(employee_id: int) -> None:
    from .services import settings_for

    employee = Employee.objects.filter(pk=employee_id).select_related("company").first()
    if employee is None or not settings_for(employee.company_id).policy_for_new_hires:
        return
    version = next((t.latest for t in library.templates_for(employee) if t.name == POLICY_NAME), None)
    if version is None:
        return
    for channels in (["email"], ["inapp"]):  # the first channel the company has set up and reaches them
        try:
            with transaction.atomic():
                documents.send_request(employee.company, actor=None, version=version, employees=[employee],
                                       channels=channels, deadline_at=timezone.now() + dt.timedelta(days=7),
                                       title=POLICY_NAME, skip_unreachable=True)
        except ValidationError:
            continue  # not set up / not reachable there: HR's next campaign includes them
        return


def on_employee_created(sender: Any, instance: Employee, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        transaction.on_commit(lambda: _send_to_new_hire(instance.pk))
