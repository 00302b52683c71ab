"""Tenant-scoped reads for the webhook pages and API (the company administrator's)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from hrguard.platform.errors import require

from .models import DeliveryState, WebhookDelivery, WebhookEndpoint

PROBLEM_STATES = (DeliveryState.FAILED, DeliveryState.CANCELLED)


def endpoints(user: Any) -> QuerySet[WebhookEndpoint]:
    require(user, "integrations.manage_webhooks")
    return (WebhookEndpoint.objects.filter(company_id=user.company_id)
            .annotate(failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
                      pending=Count("deliveries", filter=Q(deliveries__state__in=[DeliveryState.QUEUED,
                                                                                 DeliveryState.SENDING])))
            .order_by("id"))


def deliveries(user: Any, *, state: str = "", endpoint_id: int | None = None) -> QuerySet[WebhookDelivery]:
    """Newest first; ``state="problems"``: failed or not sent."""
    require(user, "integrations.manage_webhooks")
    qs = WebhookDelivery.objects.filter(company_id=user.company_id).select_related("endpoint", "employee")
    if state == "problems":
        qs = qs.filter(state__in=PROBLEM_STATES)
    elif state in DeliveryState.values:
        qs = qs.filter(state=state)
    if endpoint_id:
        qs = qs.filter(endpoint_id=endpoint_id)
    return qs.defer("body").order_by("-id")
