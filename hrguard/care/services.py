"""Care's state changes (keyword-only, one transaction, permission, evidence): talks, the company's aid
limit and EAP provider. Aid loans: ``aid.py``; flexible hours, side jobs, courses: ``programmes.py``.
The EAP's own changes (``eap/services.py``) write no evidence by design."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records.inputs import Errors

from .eap import crypto
from .eap_models import EapProvider
from .models import DEFAULT_AID_LIMIT, CareSettings, Talk


def aid_limit(company_id: int) -> Decimal:
    row = CareSettings.objects.filter(company_id=company_id).first()
    return row.aid_limit if row is not None else DEFAULT_AID_LIMIT


@transaction.atomic
def set_aid_limit(*, actor: User, company: Company, limit: Any) -> CareSettings:
    require(actor, "care.manage_programmes")
    errors = Errors()
    amount = errors.amount(limit, "aid_limit")
    errors.raise_if_any()
    row, _created = CareSettings.objects.select_for_update().get_or_create(company=company)
    old = row.aid_limit
    row.aid_limit, row.updated_by = amount, actor
    row.save()
    evidence.record(company, actor, "care.aid_limit_set", row, data={"from": old, "to": amount})
    return row


@transaction.atomic
def record_talk(*, actor: User, employee: Employee, held_on: Any, participants: Any, summary: Any,
                follow_ups: Any = "", follow_up_on: Any = None, shared_with_manager: bool = False,
                link_type: Any = "", link_id: Any = "", link_url: Any = "") -> Talk:
    """谈心 recorded by HR; ``link_*``: the case or alert it was started from (optional)."""
    require(actor, "care.record_talk", employee)
    errors = Errors()
    day = errors.date(held_on, "held_on")
    who = errors.text(participants, "participants", max_length=300, required=True)
    text = errors.text(summary, "summary", max_length=8000, required=True)
    follow = errors.text(follow_ups, "follow_ups", max_length=4000)
    follow_day = errors.date(follow_up_on, "follow_up_on", required=False)
    ltype = errors.text(link_type, "link_type", max_length=100)
    lid = errors.text(link_id, "link_id", max_length=64)
    lurl = errors.text(link_url, "link_url", max_length=300)
    if lurl and not lurl.startswith("/"):
        errors.add("link_url", _("Only a link inside HRGuard (starting with /)."))
    errors.raise_if_any()
    talk = Talk.objects.create(
        company_id=employee.company_id, employee=employee, held_on=day, participants=who, summary=text,
        follow_ups=follow, follow_up_on=follow_day, shared_with_manager=bool(shared_with_manager),
        link_type=ltype, link_id=lid, link_url=lurl, created_by=actor)
    # The event says a talk took place, never what was said.
    evidence.record(employee.company_id, actor, "care.talk_recorded", talk, employee=employee,
                    data={"held_on": day, "shared_with_manager": talk.shared_with_manager,
                          "link": f"{ltype}:{lid}" if ltype else ""})
    return talk


@transaction.atomic
def set_provider(*, actor: User, company: Company, name: Any, public_key: Any) -> EapProvider:
    require(actor, "care.manage_programmes")
    errors = Errors()
    label = errors.text(name, "name", max_length=200, required=True)
    key = errors.text(public_key, "public_key", max_length=64, required=True)
    if key:
        try:
            crypto.check_public(key)
        except crypto.CryptoError:
            errors.add("public_key", _("Not an X25519 public key (44 characters of base64, from hrguard "
                                       "eap_keygen)."))
    errors.raise_if_any()
    provider, _created = EapProvider.objects.update_or_create(company=company,
                                                              defaults={"name": label, "public_key": key})
    evidence.record(company, actor, "care.eap_provider_set", None, data={"name": label, "public_key": key})
    return provider
