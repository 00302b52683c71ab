"""Background and credit checks (PIPL Art. 13/29, 征信业管理条例 Art. 18): a check runs only on the
person's **signed** 背景调查及征信授权书 naming the purpose — the service takes the signed envelope, so a
check without consent cannot be expressed. Providers are adapters behind one interface (``Provider``):
the credit report the person supplies (an upload), the court's list of dishonest judgment debtors and the
social-insurance record (HTTP services, addresses in ``settings.RISK_CHECK_URLS``). Results are encrypted
at rest; every read is evidence; an adverse result feeds the ``check_adverse`` signal for the consented
purpose only."""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrguard.core.models import User
from hrguard.core.validation import clean_plain_text
from hrguard.documents.models import DocumentKind, Envelope, EnvelopeStatus
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require

from .models import Check, CheckKind, Purpose
from .registry import SignalSpec, register_signal

MAX_UPLOAD = 5 * 1024 * 1024
TIMEOUT = 10


@dataclass
class Outcome:
    adverse: bool
    summary: str
    raw: dict[str, Any]


class Provider(Protocol):
    kind: str

    def run(self, *, employee: Employee, upload: bytes | None, declared: dict[str, Any]) -> Outcome: ...


class CheckFailed(ValidationError):
    pass


def _post(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    url = (getattr(settings, "RISK_CHECK_URLS", {}) or {}).get(kind, "")
    if not url:
        raise CheckFailed({"kind": [_("No provider address is configured for this check.")]})
    if not url.startswith(("http://", "https://")):
        raise CheckFailed({"kind": [_("The provider address must be http(s).")]})
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http(s) only)
            body = response.read(1024 * 1024)
        found = json.loads(body)
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise CheckFailed({"kind": [_("The provider did not answer usably: %(e)s") % {"e": str(exc)[:200]}]}) from exc
    if not isinstance(found, dict):
        raise CheckFailed({"kind": [_("The provider did not answer usably: %(e)s") % {"e": "not an object"}]})
    return found


class CreditReportUpload:
    """The person obtains their own credit report (征信报告) and hands it over; HR records what it shows."""

    kind = CheckKind.CREDIT_REPORT

    def run(self, *, employee: Employee, upload: bytes | None, declared: dict[str, Any]) -> Outcome:
        if not upload:
            raise ValidationError({"upload": [_("Upload the credit report the person supplied.")]})
        if len(upload) > MAX_UPLOAD:
            raise ValidationError({"upload": [_("The file is larger than 5 MB.")]})
        summary = clean_plain_text(declared.get("summary", ""), "summary", max_length=1000, required=True)
        return Outcome(bool(declared.get("adverse")), summary,
                       {"file": base64.b64encode(upload).decode(), "size": len(upload)})


class DishonestDebtorList:
    """最高人民法院失信被执行人名单 — queried by name and ID number."""

    kind = CheckKind.DISHONEST_DEBTOR

    def run(self, *, employee: Employee, upload: bytes | None, declared: dict[str, Any]) -> Outcome:
        found = _post(self.kind, {"name": employee.name, "id_number": employee.id_number})
        cases = found.get("cases") or []
        listed = bool(found.get("listed"))
        summary = (_("Listed as a dishonest judgment debtor (%(n)d cases).") % {"n": len(cases)} if listed
                   else _("Not on the list."))
        return Outcome(listed, summary, found)


class SocialInsuranceRecord:
    """社保缴纳记录 — an open contribution by another employer means concurrent employment."""

    kind = CheckKind.SOCIAL_INSURANCE

    def run(self, *, employee: Employee, upload: bytes | None, declared: dict[str, Any]) -> Outcome:
        found = _post(self.kind, {"id_number": employee.id_number})
        records = found.get("records") or []
        company = employee.company.name
        others = [r for r in records if isinstance(r, dict) and not r.get("to") and r.get("employer") != company]
        summary = (_("Contributions currently paid by another employer: %(names)s") % {
            "names": "、".join(str(r.get("employer", "")) for r in others)} if others
            else _("No contributions by another employer."))
        return Outcome(bool(others), summary, found)


PROVIDERS: dict[str, Provider] = {p.kind: p for p in (CreditReportUpload(), DishonestDebtorList(),
                                                      SocialInsuranceRecord())}


def purpose_label_zh(purpose: str) -> str:
    with translation.override("zh-hans"):
        return str(Purpose(purpose).label)


def consented_purposes(envelope: Envelope) -> list[str]:
    """The purposes the signed text names (the 事由 the person signed for)."""
    reason = str((envelope.values or {}).get("reason", ""))
    return [p for p in Purpose.values if purpose_label_zh(p) in reason or p in reason]


def _consent_errors(actor: User, envelope: Any, purpose: str) -> list[str]:
    if not isinstance(envelope, Envelope) or envelope.company_id != actor.company_id:
        return [_("A check needs the person's signed consent form.")]
    if envelope.request.version.template.kind != DocumentKind.BACKGROUND_CONSENT:
        return [_("The signed document is not a 背景调查及征信授权书.")]
    if envelope.status != EnvelopeStatus.SIGNED:
        return [_("The consent form has not been signed (status: %(s)s).") % {"s": envelope.get_status_display()}]
    if purpose not in consented_purposes(envelope):
        return [_("The person did not consent to this purpose (%(p)s).") % {"p": purpose_label_zh(purpose)}]
    return []


def run_check(*, actor: User, envelope: Envelope, kind: str, purpose: str, upload: bytes | None = None,
              summary: str = "", adverse: bool = False) -> Check:
    """Run one check on the person who signed ``envelope`` for ``purpose``; refused without that consent."""
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose a purpose.")]})
    if kind not in PROVIDERS:
        raise ValidationError({"kind": [_("Choose a check.")]})
    errors = _consent_errors(actor, envelope, purpose)
    if errors:
        raise ValidationError({"consent": errors})
    employee = envelope.employee
    require(actor, "risk.run_check", employee)
    outcome = PROVIDERS[kind].run(employee=employee, upload=upload, declared={"summary": summary, "adverse": adverse})
    with transaction.atomic():
        check = Check.objects.create(company_id=actor.company_id, employee=employee, envelope=envelope, kind=kind,
                                     purpose=purpose, adverse=outcome.adverse, summary=outcome.summary,
                                     result=json.dumps(outcome.raw, ensure_ascii=False), requested_by=actor)
        evidence.record(actor.company_id, actor, "risk.check_run", check, {
            "kind": kind, "purpose": purpose, "envelope": envelope.pk, "document_id": envelope.document_id,
            "adverse": outcome.adverse}, employee=employee)
    return check


@transaction.atomic
def read_check(*, actor: User, check_id: Any) -> Check:
    """One check with its decrypted result; the read is recorded."""
    try:
        pk = int(check_id)
    except (TypeError, ValueError):
        raise Http404(_("No such check.")) from None
    check = Check.objects.select_related("employee").filter(company_id=actor.company_id, pk=pk).first()
    if check is None or not actor.has_perm("risk.view_check", check):
        raise Http404(_("No such check."))
    evidence.record(actor.company_id, actor, "risk.check_viewed", check, {"kind": check.kind},
                    employee=check.employee)
    return check


def _adverse_monthly(company_id: int, first: dt.date, stop: dt.date) -> Iterable[tuple[int, dt.date, float, str]]:
    rows = (Check.objects.filter(company_id=company_id, adverse=True, ran_at__date__gte=first, ran_at__date__lt=stop)
            .annotate(m=TruncMonth("ran_at")).values("employee_id", "m", "purpose").annotate(n=Count("id"))
            .values_list("employee_id", "m", "n", "purpose").order_by())
    for emp, month, n, purpose in rows:
        yield emp, month.date() if isinstance(month, dt.datetime) else month, float(n), purpose


def register() -> None:
    register_signal(SignalSpec("check_adverse", gettext_lazy("Adverse external check results"),
                               gettext_lazy("results"), "risk", _adverse_monthly, per_purpose=True))
