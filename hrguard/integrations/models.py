"""Outbound webhooks: a company's endpoints and the outbox of deliveries (one row per event × endpoint)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrguard.core.fields import EncryptedTextField


class EventType(models.TextChoices):
    EXIT_STARTED = "exit.started", _("Exit started")
    EMPLOYMENT_ENDED = "employment.ended", _("Employment ended")
    EXIT_COMPLETED = "exit.completed", _("Exit completed")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent (endpoint disabled)")


class ErrorCode(models.TextChoices):
    """Why the last attempt did not succeed (``WebhookDelivery.last_error``); the details are in evidence."""

    HTTP = "http", _("The endpoint answered with an error status")
    TIMEOUT = "timeout", _("No answer in time")
    CONNECTION = "connection", _("Could not connect")
    REFUSED = "refused", _("Address not allowed")
    DISABLED = "disabled", _("Endpoint disabled")
    WORKER_STOPPED = "worker", _("The worker stopped while sending; queued again")


class WebhookEndpoint(models.Model):
    """Where a company's events go. The signing secret is stored encrypted and shown once."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    url = models.CharField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = EncryptedTextField(context="integrations.webhookendpoint.secret")
    events = models.JSONField(_("events"), default=list)  # EventType values
    active = models.BooleanField(_("active"), default=True)
    include_id_number = models.BooleanField(_("send ID numbers"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        indexes = [models.Index(fields=["company", "active"], name="webhook_endpoint_active")]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


def _delivery_id() -> str:
    return f"dlv_{uuid.uuid4().hex}"


class WebhookDelivery(models.Model):
    """One event for one endpoint. ``delivery_id`` is the idempotency id (header ``X-HRGuard-Delivery``),
    the same on every retry and resend; ``body`` is the exact signed JSON, encrypted at rest (it names
    people and their pay)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.CharField(max_length=40, unique=True, default=_delivery_id)
    event_id = models.CharField(max_length=40, db_index=True)
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    about_type = models.CharField(max_length=60, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    body = EncryptedTextField(context="integrations.webhookdelivery.body")
    id_number_included = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)  # HTTP status of the last answer
    last_response = models.TextField(blank=True)  # truncated body of the last answer
    last_error = models.CharField(max_length=12, blank=True, choices=ErrorCode.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_one_per_event")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due"),
                   models.Index(fields=["company", "state", "id"], name="webhook_company_state")]
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.delivery_id
