"""Read side for HR: requests, per-person progress, delivery receipts folded in from the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from hrguard.evidence import services as evidence

from .models import OPEN_STATUSES, Envelope, EnvelopeStatus, FallbackRecord, SigningRequest


def can_track(user: Any) -> bool:
    return bool(user is not None and user.has_perm("documents.track_requests"))


def requests_for(user: Any) -> QuerySet[SigningRequest]:
    if not can_track(user):
        return SigningRequest.objects.none()
    return SigningRequest.objects.filter(company_id=user.company_id).select_related("version__template", "created_by")


def request_for(user: Any, pk: int) -> SigningRequest | None:
    return requests_for(user).filter(pk=pk).first()


def envelope_for(user: Any, pk: int) -> Envelope | None:
    if not can_track(user):
        return None
    return (Envelope.objects.filter(company_id=user.company_id, pk=pk)
            .select_related("request__version__template", "employee", "company").first())


def my_envelopes(user: Any) -> QuerySet[Envelope]:
    """The logged-in employee's own documents (self-service)."""
    employee = getattr(user, "employee", None) if user.is_authenticated else None
    if employee is None:
        return Envelope.objects.none()
    return (Envelope.objects.filter(company_id=user.company_id, employee=employee)
            .select_related("request__version__template").order_by("-sent_at"))


def sync_delivery(request: SigningRequest) -> int:
    """Mark envelopes delivered when the outbox has a provider/in-app delivery for their invitation."""
    from hrguard.notify.models import OutboxMessage

    pending = dict(Envelope.objects.filter(request=request, delivered_at__isnull=True)
                   .values_list("pk", "employee_id"))
    if not pending:
        return 0
    rows = (OutboxMessage.objects.filter(company_id=request.company_id, about_type="documents.envelope",
                                         about_id__in=[str(pk) for pk in pending], purpose="signing_invite",
                                         delivered_at__isnull=False)
            .order_by("delivered_at").values_list("about_id", "channel", "delivered_at"))
    first: dict[int, tuple[str, Any]] = {}
    for about_id, channel, at in rows:
        first.setdefault(int(about_id), (channel, at))
    if not first:
        return 0
    with transaction.atomic():
        done = []
        for pk, (channel, at) in first.items():
            updated = Envelope.objects.filter(pk=pk, delivered_at__isnull=True).update(delivered_at=at)
            if updated:
                Envelope.objects.filter(pk=pk, status=EnvelopeStatus.SENT).update(status=EnvelopeStatus.DELIVERED)
                done.append((pk, channel, at))
        evidence.record_many(request.company_id, None, [
            evidence.PendingEvent("documents.delivered", evidence.Subject("documents.envelope", str(pk)),
                                  {"request": request.pk, "channel": channel, "delivered_at": at}, pending[pk])
            for pk, channel, at in done
        ])
    return len(done)


@dataclass(frozen=True)
class Summary:
    total: int
    counts: dict[str, int]

    @property
    def signed(self) -> int:
        return self.counts.get(EnvelopeStatus.SIGNED, 0)


def summary(request: SigningRequest) -> Summary:
    counts = dict(Envelope.objects.filter(request=request).order_by().values("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))
    return Summary(total=request.size, counts=counts)


def rows(request: SigningRequest, status: str = "", limit: int = 200) -> list[Envelope]:
    qs = (Envelope.objects.filter(request=request).select_related("employee__department")
          .order_by("employee__employee_no"))
    if status:
        qs = qs.filter(status=status)
    return list(qs[:limit])


def fallbacks(envelope: Envelope) -> list[FallbackRecord]:
    return list(FallbackRecord.objects.filter(envelope=envelope).select_related("file", "recorded_by")
                .order_by("recorded_at"))


def person_envelopes(user: Any, employee_id: int) -> list[Envelope]:
    """Every document sent to one employee (HR's per-person view), newest first."""
    if not can_track(user):
        return []
    return list(Envelope.objects.filter(company_id=user.company_id, employee_id=employee_id)
                .select_related("request", "employee").order_by("-sent_at"))


def unsigned_by_age(user: Any, *, limit: int = 20) -> list[Envelope]:
    """Documents still waiting for their signer (sent, delivered, opened or verified), oldest first, for HR
    who track requests (one query; 工作台)."""
    if not can_track(user):
        return []
    return list(Envelope.objects.filter(company_id=user.company_id, status__in=OPEN_STATUSES)
                .select_related("request", "employee").order_by("sent_at", "pk")[:limit])


def waiting_for_me(user: Any, *, employee_id: int | None, limit: int = 20) -> list[Envelope]:
    """The signed-in employee's documents still to sign, oldest first (one query; 工作台)."""
    if not user.is_authenticated or employee_id is None:
        return []
    return list(Envelope.objects.filter(company_id=user.company_id, employee_id=employee_id,
                                        status__in=OPEN_STATUSES)
                .select_related("request").order_by("sent_at", "pk")[:limit])


def find_by_number(user: Any, number: str, *, employee_id: int | None, limit: int = 5) -> list[Envelope]:
    """Envelopes whose document number is ``number`` (exact) or a signing request numbered ``number``:
    HR who track requests find any of the company's, an employee only their own (global search)."""
    q = Q(document_id=number)
    if number.isdigit():
        q |= Q(request_id=int(number))
    qs = Envelope.objects.filter(q, company_id=user.company_id)
    if not can_track(user):
        if employee_id is None:
            return []
        qs = qs.filter(employee_id=employee_id)
    return list(qs.select_related("request", "employee").order_by("-sent_at", "pk")[:limit])


def open_envelopes_of(employee: Any, *, since: Any = None, limit: int = 20) -> tuple[int, list[Envelope]]:
    """Documents sent to the employee (since ``since``) still waiting for their signature, oldest first, and
    how many there are: the "unsigned exit documents" gate of offboarding (not scoped to a viewer: the gate
    decides who sees it; two queries at most)."""
    qs = Envelope.objects.filter(company_id=employee.company_id, employee_id=employee.pk, status__in=OPEN_STATUSES)
    if since is not None:
        qs = qs.filter(sent_at__gte=since)
    rows = list(qs.select_related("request").order_by("sent_at", "pk")[:limit])
    return (len(rows) if len(rows) < limit else qs.count()), rows


def open_envelopes_by_employee(company_id: int, employee_ids: list[int], *, limit: int = 500) -> list[Envelope]:
    """Unsigned documents of several employees at once (the exits dashboard: one query)."""
    return list(Envelope.objects.filter(company_id=company_id, employee_id__in=employee_ids,
                                        status__in=OPEN_STATUSES)
                .select_related("request").order_by("sent_at", "pk")[:limit])


def envelopes_by_id(company_id: int, envelope_ids: list[int]) -> dict[int, Envelope]:
    """Envelopes with their request and fallback records (offboarding's exit documents: two queries for any
    number of them). Not scoped to a viewer: the caller has checked who may see the exit."""
    rows = (Envelope.objects.filter(company_id=company_id, pk__in=envelope_ids)
            .select_related("request", "request__version__template")
            .prefetch_related("fallbacks"))
    return {e.pk: e for e in rows}
