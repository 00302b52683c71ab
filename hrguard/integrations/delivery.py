"""Sending the outbox of webhook deliveries — at least once, never silently lost, never to a disabled
endpoint.

1. Claim: one conditional UPDATE turns a due QUEUED row into SENDING (attempts+1): only one worker wins.
2. POST the stored body, signed (``signing``), outside any transaction, with a timeout, no redirects.
3. Finish: SUCCEEDED on 2xx; otherwise QUEUED again after the next step of ``SCHEDULE`` or FAILED after
   the last — each outcome with its HTTP status, a truncated answer and an evidence event, in one
   transaction.

A worker that dies while sending leaves the row SENDING: ``reap_stuck`` queues it again (the receiver
deduplicates on ``X-HRGuard-Delivery``, which stays the same)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from hrguard.evidence import services as evidence

from . import addresses, signing
from .models import DeliveryState, ErrorCode, WebhookDelivery

log = logging.getLogger(__name__)

# After the n-th failed attempt the next one waits SCHEDULE[n-1]; after the last, the delivery has failed.
SCHEDULE = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2),
            dt.timedelta(hours=12))
MAX_ATTEMPTS = len(SCHEDULE) + 1
STUCK_AFTER = dt.timedelta(minutes=15)
RESPONSE_LIMIT = 2000
USER_AGENT = "HRGuard-Webhooks/1"


def timeouts() -> tuple[float, float]:
    """(connect, read) seconds."""
    return (float(getattr(settings, "HRGUARD_WEBHOOKS_CONNECT_TIMEOUT", 5)),
            float(getattr(settings, "HRGUARD_WEBHOOKS_TIMEOUT", 10)))


def _claim(pk: int, now: dt.datetime) -> WebhookDelivery | None:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    with transaction.atomic():
        won = WebhookDelivery.objects.filter(due, pk=pk, state=DeliveryState.QUEUED).update(
            state=DeliveryState.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not won:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=pk)


def _finish(d: WebhookDelivery, state: str, action: str, data: dict[str, Any], **fields: Any) -> None:
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=d.pk, state=DeliveryState.SENDING).update(state=state, claimed_at=None,
                                                                                    **fields)
        evidence.record(d.company_id, None, action, d, {
            "delivery_id": d.delivery_id, "event_id": d.event_id, "event": d.event_type, "endpoint": d.endpoint.url,
            "attempt": d.attempts, **data}, employee=d.employee_id)


def headers_for(d: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            "X-HRGuard-Event": d.event_type, "X-HRGuard-Delivery": d.delivery_id,
            "X-HRGuard-Signature": signing.signature(d.endpoint.secret, timestamp, body)}


def _post(d: WebhookDelivery) -> tuple[int | None, str, str, str]:
    """(status, truncated answer, error code, detail). Never raises for network trouble."""
    body = d.body.encode()
    try:
        addresses.check_url(d.endpoint.url)
    except addresses.AddressRefused as exc:
        return None, "", ErrorCode.REFUSED, str(exc)
    try:
        with requests.post(d.endpoint.url, data=body, headers=headers_for(d, body, int(time.time())),
                           timeout=timeouts(), allow_redirects=False, stream=True) as resp:
            raw = resp.raw.read(RESPONSE_LIMIT, decode_content=True) or b""
            ok = 200 <= resp.status_code < 300
            return resp.status_code, raw.decode("utf-8", "replace"), "" if ok else ErrorCode.HTTP, ""
    except requests.Timeout:
        return None, "", ErrorCode.TIMEOUT, ""
    except requests.RequestException as exc:
        return None, "", ErrorCode.CONNECTION, f"{type(exc).__name__}: {exc}"[:300]


def deliver(pk: int, now: dt.datetime | None = None) -> str | None:
    """One attempt at one delivery; its new state (None if it was not due or another worker has it)."""
    now = now or timezone.now()
    d = _claim(pk, now)
    if d is None:
        return None
    if not d.endpoint.active:
        _finish(d, DeliveryState.CANCELLED, "integrations.delivery_cancelled", {}, last_error=ErrorCode.DISABLED)
        return DeliveryState.CANCELLED
    status, answer, code, detail = _post(d)
    seen = {"status": status, "response": answer[:300], "error": code, "detail": detail}
    if not code:
        _finish(d, DeliveryState.SUCCEEDED, "integrations.delivery_succeeded", seen, last_status=status,
                last_response=answer, last_error="", delivered_at=timezone.now())
        return DeliveryState.SUCCEEDED
    if d.attempts >= MAX_ATTEMPTS or code == ErrorCode.REFUSED:
        _finish(d, DeliveryState.FAILED, "integrations.delivery_failed", seen, last_status=status,
                last_response=answer, last_error=code)
        return DeliveryState.FAILED
    wait = SCHEDULE[d.attempts - 1]
    _finish(d, DeliveryState.QUEUED, "integrations.delivery_retry", {**seen, "next_in_seconds": int(
        wait.total_seconds())}, last_status=status, last_response=answer, last_error=code, next_attempt_at=now + wait)
    return DeliveryState.QUEUED


def due_ids(now: dt.datetime | None = None, limit: int = 200) -> list[int]:
    now = now or timezone.now()
    return list(WebhookDelivery.objects.filter(state=DeliveryState.QUEUED).exclude(next_attempt_at__gt=now)
                .order_by("id").values_list("id", flat=True)[:limit])


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Every due delivery once; counts by outcome."""
    counts: dict[str, int] = {}
    for pk in due_ids(now, limit):
        state = deliver(pk, now) or "skipped"
        counts[state] = counts.get(state, 0) + 1
    return counts


def reap_stuck(now: dt.datetime | None = None) -> int:
    """Rows left SENDING by a dead worker go back to the queue (receivers deduplicate on the delivery id)."""
    now = now or timezone.now()
    stuck = list(WebhookDelivery.objects.select_related("endpoint").filter(
        state=DeliveryState.SENDING, claimed_at__lt=now - STUCK_AFTER))
    for d in stuck:
        _finish(d, DeliveryState.QUEUED, "integrations.delivery_retry", {"error": ErrorCode.WORKER_STOPPED},
                last_error=ErrorCode.WORKER_STOPPED, next_attempt_at=now)
    return len(stuck)
