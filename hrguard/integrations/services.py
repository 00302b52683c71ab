"""Webhook endpoints (the company administrator's) and the outbox of deliveries.

Every state change: keyword-only, one transaction, ``integrations.manage_webhooks``, an evidence event.
``emit`` is called by the signal receivers inside the transaction of the exit change that causes it, so
the deliveries commit (or roll back) with it; they are sent after commit (``delivery``, Huey)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence
from hrguard.platform.errors import require

from . import addresses, payloads, signing, tasks
from .models import DeliveryState, EventType, WebhookDelivery, WebhookEndpoint

MAX_DESCRIPTION = 200
EDITABLE = ("url", "events", "description", "active", "include_id_number")


@dataclass(frozen=True)
class IssuedSecret:
    """An endpoint with its signing secret in clear — shown once, never again."""

    endpoint: WebhookEndpoint
    secret: str


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


def _clean(url: Any, events: Any, description: Any) -> tuple[str, list[str], str]:
    errors: dict[str, list[str]] = {}
    url = (url or "").strip() if isinstance(url, str) else ""
    if not url:
        errors["url"] = [_("Enter the URL that receives the events.")]
    else:
        try:
            addresses.check_url(url)
        except addresses.AddressRefused as exc:
            errors["url"] = [str(exc)]
    chosen: list[str] = []
    if isinstance(events, str):
        events = [events]
    if not isinstance(events, Iterable) or isinstance(events, dict):
        events = []
    for value in events:
        if value not in EventType.values:
            errors.setdefault("events", []).append(_("Unknown event type: %(v)s") % {"v": str(value)[:40]})
        elif value not in chosen:
            chosen.append(value)
    if not chosen and "events" not in errors:
        errors["events"] = [_("Choose at least one event.")]
    description = description.strip() if isinstance(description, str) else ""
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("At most %(n)d characters.") % {"n": MAX_DESCRIPTION}]
    if errors:
        raise ValidationError(errors)
    return url, [e for e in EventType.values if e in chosen], description


def _snapshot(ep: WebhookEndpoint) -> dict[str, Any]:
    return {"url": ep.url, "events": ep.events, "description": ep.description, "active": ep.active,
            "include_id_number": ep.include_id_number}


def endpoint_for(actor: Any, endpoint_id: Any, *, lock: bool = False) -> WebhookEndpoint:
    """The actor's company's endpoint (404 for another company's or a bad id)."""
    require(actor, "integrations.manage_webhooks")
    try:
        pk = int(endpoint_id)
    except (TypeError, ValueError):
        raise Http404(_("No such webhook endpoint.")) from None
    qs = WebhookEndpoint.objects.select_for_update() if lock else WebhookEndpoint.objects
    ep = qs.filter(company_id=actor.company_id, pk=pk).first()
    if ep is None:
        raise Http404(_("No such webhook endpoint."))
    require(actor, "integrations.manage_webhooks", ep)
    return ep


@transaction.atomic
def create_endpoint(*, actor: Any, url: Any, events: Any, description: Any = "", active: Any = True,
                    include_id_number: Any = False) -> IssuedSecret:
    require(actor, "integrations.manage_webhooks")
    url, chosen, description = _clean(url, events, description)
    secret = signing.new_secret()
    ep = WebhookEndpoint.objects.create(company_id=actor.company_id, url=url, events=chosen, description=description,
                                        active=_flag(active), include_id_number=_flag(include_id_number),
                                        secret=secret, created_by=actor)
    evidence.record(actor.company_id, actor, "integrations.endpoint_created", ep, _snapshot(ep))
    return IssuedSecret(ep, secret)


@transaction.atomic
def update_endpoint(*, actor: Any, endpoint_id: Any, url: Any, events: Any, description: Any = "",
                    active: Any = True, include_id_number: Any = False) -> WebhookEndpoint:
    ep = endpoint_for(actor, endpoint_id, lock=True)
    before = _snapshot(ep)
    ep.url, ep.events, ep.description = _clean(url, events, description)
    ep.active, ep.include_id_number = _flag(active), _flag(include_id_number)
    ep.save()
    after = _snapshot(ep)
    changes = {k: {"from": before[k], "to": after[k]} for k in EDITABLE if before[k] != after[k]}
    evidence.record(actor.company_id, actor, "integrations.endpoint_updated", ep, {"changes": changes})
    return ep


@transaction.atomic
def set_active(*, actor: Any, endpoint_id: Any, active: bool) -> WebhookEndpoint:
    ep = endpoint_for(actor, endpoint_id, lock=True)
    if ep.active != bool(active):
        ep.active = bool(active)
        ep.save(update_fields=["active", "updated_at"])
        evidence.record(actor.company_id, actor, "integrations.endpoint_updated", ep,
                        {"changes": {"active": {"from": not ep.active, "to": ep.active}}})
    return ep


@transaction.atomic
def rotate_secret(*, actor: Any, endpoint_id: Any) -> IssuedSecret:
    ep = endpoint_for(actor, endpoint_id, lock=True)
    secret = signing.new_secret()
    ep.secret = secret
    ep.save(update_fields=["secret", "updated_at"])
    evidence.record(actor.company_id, actor, "integrations.secret_rotated", ep, {"url": ep.url})
    return IssuedSecret(ep, secret)


@transaction.atomic
def resend(*, actor: Any, delivery_id: Any) -> WebhookDelivery:
    """Queue a failed (or cancelled) delivery again: same delivery id, same body, attempts from zero."""
    require(actor, "integrations.manage_webhooks")
    try:
        pk = int(delivery_id)
    except (TypeError, ValueError):
        raise Http404(_("No such delivery.")) from None
    d = WebhookDelivery.objects.select_for_update().filter(company_id=actor.company_id, pk=pk).first()
    if d is None:
        raise Http404(_("No such delivery."))
    if d.state not in (DeliveryState.FAILED, DeliveryState.CANCELLED):
        raise ValidationError({"delivery": [_("Only a failed delivery can be sent again.")]})
    if not d.endpoint.active:
        raise ValidationError({"delivery": [_("The endpoint is disabled: enable it first.")]})
    d.state, d.attempts, d.next_attempt_at, d.last_error = DeliveryState.QUEUED, 0, None, ""
    d.save(update_fields=["state", "attempts", "next_attempt_at", "last_error"])
    evidence.record(actor.company_id, actor, "integrations.delivery_resent", d,
                    {"delivery_id": d.delivery_id, "event": d.event_type, "endpoint": d.endpoint.url},
                    employee=d.employee_id)
    _hand_off([d.pk])
    return d


def _hand_off(ids: list[int]) -> None:
    transaction.on_commit(lambda: tasks.deliver_webhooks(ids))


def emit(*, company_id: int, event_type: str, exit_: Any, actor: Any = None) -> list[WebhookDelivery]:
    """Write one delivery per active endpoint subscribed to ``event_type`` (inside the caller's transaction)."""
    endpoints = [ep for ep in WebhookEndpoint.objects.filter(company_id=company_id, active=True).order_by("id")
                 if event_type in (ep.events or [])]
    if not endpoints:
        return []
    payload = payloads.envelope(event_type=event_type, company_id=company_id,
                                data=payloads.data_for(event_type, exit_))
    plain = payloads.without_id_number(payload)
    rows = []
    for ep in endpoints:
        doc = payload if ep.include_id_number else plain
        rows.append(WebhookDelivery.objects.create(
            company_id=company_id, endpoint=ep, event_id=payload["id"], event_type=event_type,
            about_type="offboarding.exit", about_id=str(exit_.pk), employee_id=exit_.employee_id,
            body=payloads.encode(doc), id_number_included=payloads.has_id_number(doc)))
    evidence.record_many(company_id, actor, [
        evidence.PendingEvent("integrations.delivery_queued", evidence.Subject.of(d), {
            "delivery_id": d.delivery_id, "event_id": d.event_id, "event": event_type, "endpoint": d.endpoint.url,
            "about": f"{d.about_type}:{d.about_id}", "id_number_included": d.id_number_included}, d.employee_id)
        for d in rows])
    _hand_off([d.pk for d in rows])
    return rows
