"""Anonymous EAP requests. By construction nothing here can point to a person: random UUID keys (no
autoincrement), no user/employee/IP columns, no exact time (only the Monday of the week), content
encrypted to the provider's X25519 public key, the receipt stored only as a slow hash. See README."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class EapCategory(models.TextChoices):
    PSYCHOLOGICAL = "psychological", _("Psychological")
    FINANCIAL = "financial", _("Financial")
    LEGAL = "legal", _("Legal")


class EapProvider(models.Model):
    """The company's EAP provider and its public key (the private key never reaches HRGuard)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.OneToOneField("core.Company", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("provider"), max_length=200)
    public_key = models.CharField(_("public key"), max_length=64)


class EapRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(EapProvider, on_delete=models.PROTECT, related_name="requests")
    category = models.CharField(_("category"), max_length=16, choices=EapCategory.choices)
    week = models.DateField()  # the Monday of the week it was sent: never the exact time
    receipt_hash = models.CharField(max_length=64, unique=True)  # scrypt of the receipt phrase, peppered
    reply_key = models.CharField(max_length=64)  # X25519 public key derived from the phrase: answers go to it
    answered = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["provider", "week", "category"], name="eap_counts")]


class EapMessage(models.Model):
    """One message of a request: the person's (sealed to the provider, and a copy to the phrase's key so
    they can read it back) or the provider's (sealed to both as well)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(EapRequest, on_delete=models.CASCADE, related_name="messages")
    from_provider = models.BooleanField(default=False)
    week = models.DateField()
    sealed_for_provider = models.TextField(blank=True)
    sealed_for_person = models.TextField()
    position = models.PositiveSmallIntegerField()  # order within the request only

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="eap_message_position")]
