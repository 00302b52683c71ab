"""Collection contacts (issue 12 §2–§5): the fields table of the ``collection`` case type and its rows.

One ``CollectionFile`` per collection case (one open case per employee); each call, message or visit
is a ``Contact``; the employee's answers are ``Response`` rows; HR's lawyer letters and police reports
hang off the file. What was said and the employee's answer are encrypted at rest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrguard.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    SMS = "sms", _("SMS")
    VISIT = "visit", _("Visit")
    CLIENT_MESSAGE = "client_message", _("Message to a client")
    COLLEAGUE_MESSAGE = "colleague_message", _("Message to a colleague")


class FileStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REVIEW = "review", _("HR review")
    LETTER_SENT = "letter_sent", _("Lawyer letter sent")
    CLOSED = "closed", _("Closed")


class CollectionSettings(models.Model):
    """Per-company parameters (defaults from seed 000 and the industry rules in ``law.collection``)."""

    company = models.OneToOneField("core.Company", on_delete=models.CASCADE, related_name="collection_settings")
    response_hours = models.PositiveSmallIntegerField(default=24)
    repeat_count = models.PositiveSmallIntegerField(default=3)
    repeat_days = models.PositiveSmallIntegerField(default=7)
    duplicate_minutes = models.PositiveSmallIntegerField(default=10)
    law_firm = models.CharField(max_length=200, blank=True, default="")
    reply_days = models.PositiveSmallIntegerField(default=7)
    policy_for_new_hires = models.BooleanField(default=False)  # send the financial-conduct policy on hire


class CollectionAccess(models.Model):
    """Staff outside HR who may log contacts (front desk) or read the log (granted by HR)."""

    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    can_log = models.BooleanField(default=True)
    can_view = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="collection_access_once")]


class CollectionFile(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="collection_file")
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=FileStatus.choices, default=FileStatus.OPEN)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["company", "employee", "status"], name="collection_file_emp")]


class Contact(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(CollectionFile, on_delete=models.CASCADE, related_name="contacts")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    agency = models.CharField(max_length=200)
    caller_name = models.CharField(max_length=100, blank=True, default="")
    caller_number = models.CharField(max_length=40, blank=True, default="")
    said = EncryptedTextField(context="collection.contact.said")
    employee_named = models.BooleanField(default=False)
    amount_mentioned = models.BooleanField(default=False)
    asked_to_collect = models.BooleanField(default=False)
    threats = models.BooleanField(default=False)
    night = models.BooleanField(default=False)
    received_by = models.CharField(max_length=100, blank=True, default="")
    former_employee = models.BooleanField(default=False)
    repeats = models.PositiveIntegerField(default=0)  # the same call logged again and merged on confirmation
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["company", "occurred_at"], name="collection_contact_time"),
                   models.Index(fields=["company", "caller_number", "occurred_at"], name="collection_contact_dup")]


class Response(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(CollectionFile, on_delete=models.CASCADE, related_name="responses")
    text = EncryptedTextField(context="collection.response.text")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class DeliveryMethod(models.TextChoices):
    EMS = "ems", _("Registered mail (EMS)")
    EMAIL = "email", _("Email")


class LawyerLetter(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(CollectionFile, on_delete=models.CASCADE, related_name="letters")
    agency = models.CharField(max_length=200)
    body = models.TextField()
    sha256 = models.CharField(max_length=64)
    template_version = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    delivery_method = models.CharField(max_length=8, choices=DeliveryMethod.choices, blank=True, default="")
    delivery_ref = models.CharField(max_length=200, blank=True, default="")  # tracking no. or address
    delivered_at = models.DateTimeField(null=True, blank=True)


class PoliceReport(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(CollectionFile, on_delete=models.CASCADE, related_name="police_reports")
    reported_on = models.DateField()
    station = models.CharField(max_length=200)
    receipt_no = models.CharField(max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
