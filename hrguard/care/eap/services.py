"""The EAP's state changes. Deliberately **no evidence event, no notification, no log line**: an event
would name an actor or carry a time, which is exactly the link the EAP must not have (see README).
Every function takes only what the anonymous page or the provider sends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.validation import clean_plain_text

from ..eap_models import EapCategory, EapMessage, EapProvider, EapRequest
from . import crypto

MAX_TEXT = 4000
MIN_CELL = 5  # counts below this are shown as "<5"


def this_week() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def _text(value: object, field: str) -> str:
    return clean_plain_text(value, field, max_length=MAX_TEXT, required=True)


@dataclass(frozen=True)
class Submitted:
    request: EapRequest
    phrase: str  # shown once, never stored


@transaction.atomic
def submit(*, provider: EapProvider, category: str, text: object) -> Submitted:
    errors: dict[str, list[str]] = {}
    if category not in EapCategory.values:
        errors["category"] = [_("Choose a category: psychological, financial or legal.")]
    try:
        body = _text(text, "text")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        body = ""
    if errors:
        raise ValidationError(errors)
    for _attempt in range(3):
        phrase = crypto.new_phrase()
        receipt = crypto.receipt(phrase)
        try:
            with transaction.atomic():
                request = EapRequest.objects.create(provider=provider, category=category, week=this_week(),
                                                    receipt_hash=receipt.lookup, reply_key=receipt.reply_key)
        except IntegrityError:  # pragma: no cover - a 75-bit collision
            continue
        _add(request, body, from_provider=False)
        return Submitted(request, phrase)
    raise ValidationError(_("Please try again."))  # pragma: no cover


def _add(request: EapRequest, body: str, *, from_provider: bool) -> EapMessage:
    position = (request.messages.aggregate(m=Max("position"))["m"] or 0) + 1
    return EapMessage.objects.create(
        request=request, from_provider=from_provider, week=this_week(), position=position,
        sealed_for_provider=crypto.seal(request.provider.public_key, body),
        sealed_for_person=crypto.seal(request.reply_key, body))


def find(phrase: object) -> tuple[EapRequest, crypto.Receipt] | None:
    receipt = crypto.receipt(str(phrase or ""))
    request = EapRequest.objects.select_related("provider").filter(receipt_hash=receipt.lookup).first()
    return None if request is None else (request, receipt)


@dataclass(frozen=True)
class Line:
    from_provider: bool
    week: dt.date
    text: str


def thread_for_person(request: EapRequest, receipt: crypto.Receipt) -> list[Line]:
    return [Line(m.from_provider, m.week, crypto.open_sealed(receipt.private, m.sealed_for_person))
            for m in request.messages.all()]


@transaction.atomic
def follow_up(*, phrase: object, text: object) -> EapRequest:
    found = find(phrase)
    if found is None:
        raise ValidationError({"phrase": [_("No request has this receipt phrase.")]})
    request = EapRequest.objects.select_for_update().select_related("provider").get(pk=found[0].pk)
    _add(request, _text(text, "text"), from_provider=False)
    request.answered = False
    request.save(update_fields=["answered"])
    return request


# ---- the provider (offline commands with the private key) ---------------------------------------------

def provider_inbox(provider: EapProvider, private_key: str) -> list[tuple[EapRequest, list[Line]]]:
    private = crypto.load_private(private_key)
    if crypto.public_of(private) != provider.public_key:
        raise crypto.CryptoError(_("This private key does not belong to the provider's public key."))
    out = []
    for request in provider.requests.prefetch_related("messages").order_by("week", "id"):
        lines = [Line(m.from_provider, m.week, crypto.open_sealed(private, m.sealed_for_provider))
                 for m in request.messages.all()]
        out.append((request, lines))
    return out


@transaction.atomic
def provider_answer(*, provider: EapProvider, private_key: str, request_id: str, text: object) -> EapMessage:
    private = crypto.load_private(private_key)
    if crypto.public_of(private) != provider.public_key:
        raise crypto.CryptoError(_("This private key does not belong to the provider's public key."))
    request = EapRequest.objects.select_for_update().select_related("provider").get(provider=provider,
                                                                                   pk=request_id)
    message = _add(request, _text(text, "text"), from_provider=True)
    request.answered = True
    request.save(update_fields=["answered"])
    return message


# ---- what HR sees: counts by category and month, small cells suppressed -------------------------------

@dataclass(frozen=True)
class Cell:
    count: int | None  # None: fewer than MIN_CELL

    def __str__(self) -> str:
        return f"<{MIN_CELL}" if self.count is None else str(self.count)


def monthly_counts(company_id: int) -> list[tuple[dt.date, dict[str, Cell]]]:
    rows = (EapRequest.objects.filter(provider__company_id=company_id).values("week", "category")
            .annotate(n=Count("id")))
    months: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        month = row["week"].replace(day=1)
        months.setdefault(month, dict.fromkeys(EapCategory.values, 0))[row["category"]] += row["n"]
    return [(month, {c: Cell(n if n >= MIN_CELL else None) for c, n in counts.items()})
            for month, counts in sorted(months.items(), reverse=True)]
