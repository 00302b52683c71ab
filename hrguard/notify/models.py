"""Notification outbox: written in the business transaction, delivered by the worker."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrguard.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    INAPP = "inapp", _("In-app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeChat Work")
    DINGTALK = "dingtalk", _("DingTalk")
    FEISHU = "feishu", _("Feishu")


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Outcome unknown — check with the provider")


class OutboxMessage(models.Model):
    """One message on one channel. (idempotency_key, channel) is unique: enqueuing again is a no-op and
    a retried delivery reuses the same key with the provider (Message-ID / out-trade-no), so a retry
    never sends a second message."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # email / phone / provider user id at enqueue time; encrypted at rest like the employee's own fields
    address = EncryptedTextField(context="notify.outboxmessage.address")
    subject = models.CharField(max_length=200)  # never a secret: it is shown in lists and evidence events
    # The body and the link may carry secrets (one-time codes, signing-link tokens): encrypted at rest, so a
    # copy of the database file alone reveals neither. Filters on these columns are meaningless.
    body = EncryptedTextField(context="notify.outboxmessage.body")
    link = EncryptedTextField(context="notify.outboxmessage.link")
    purpose = models.CharField(max_length=60, blank=True)
    about_type = models.CharField(max_length=60, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=10, choices=MessageState.choices, default=MessageState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the current SENDING attempt began
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # in-app: when the recipient opened it
    redacted_at = models.DateTimeField(null=True, blank=True)  # when an expired secret body was wiped

    class Meta:
        verbose_name = _("outbox message")
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key", "channel"], name="uniq_outbox_key_channel"),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["channel", "provider_id"], name="outbox_provider_id"),
            models.Index(fields=["company", "about_type", "about_id"], name="outbox_about"),
            models.Index(fields=["company", "user", "channel", "created_at"], name="outbox_inbox"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel}:{self.idempotency_key}"

    @property
    def safe_link(self) -> str:
        """The link, only if it is a site path or an http(s) URL (never ``javascript:`` and the like)."""
        link = self.link.strip()
        return link if link.startswith(("/", "https://", "http://")) and not link.startswith("//") else ""


class ChannelConfig(models.Model):
    """A company's provider settings per channel. Secrets are encrypted at rest."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)
    settings = models.JSONField(default=dict, blank=True)  # non-secret: hosts, template codes, agent ids
    secret = EncryptedTextField(context="notify.channelconfig.secret")  # JSON of secrets

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "channel"], name="uniq_channel_config")]

    def __str__(self) -> str:
        return f"{self.company_id}:{self.channel}"


class ChannelIdentity(models.Model):
    """An employee's user id on a chat platform (WeChat Work userid, DingTalk userid, Feishu open_id…).
    Without a row, a company may declare in ChannelConfig.settings ``user_id_field`` that the platform
    id equals the employee number (``employee_no``) or the work email (``email``)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    external_id = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "channel"], name="uniq_channel_identity")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"
