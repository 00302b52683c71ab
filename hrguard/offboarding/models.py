"""Exits and what belongs to them: handover/asset/access items with the receiver's confirmation, the
exit interview (kept apart from the decision records), the conversation with the employee and the
tokenised links that reach it without an account. Every row carries ``company`` (company first in
constraints and indexes, Citus-ready)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExitKind(models.TextChoices):
    RESIGNATION = "resignation", _("Resignation (LCL Art. 37/38)")  # 辞职
    MUTUAL = "mutual", _("Mutual agreement (LCL Art. 36)")  # 协商解除
    FOR_CAUSE = "for_cause", _("Dismissal for cause (LCL Art. 39)")  # 过失性辞退
    NO_FAULT = "no_fault", _("Dismissal with notice or pay in lieu (LCL Art. 40)")  # 无过失性辞退
    LAYOFF = "layoff", _("Economic layoff (LCL Art. 41)")  # 经济性裁员
    EXPIRY = "expiry", _("Contract expiry and other ends (LCL Art. 44)")  # 合同终止


class ExitState(models.TextChoices):
    OPEN = "open", _("In progress")  # 办理中
    COMPLETED = "completed", _("Completed")  # 已离职
    CANCELLED = "cancelled", _("Withdrawn")  # 已撤销


class Exit(models.Model):
    """One exit of one employment (the employee row and the hire date it started on: a rehired former
    employee has a new employment, so a new exit; the old one stays)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("people.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    employment_start = models.DateField(_("employment start"))  # the employee's hire date of this employment
    kind = models.CharField(_("kind"), max_length=12, choices=ExitKind.choices)
    ground = models.CharField(_("legal ground"), max_length=20)  # hrguard.law.termination.Ground value
    persuasion = models.BooleanField(_("persuasion (劝退)"), default=False)  # employer-led; ground = what was used
    pay_in_lieu = models.BooleanField(_("pay in lieu of notice"), default=False)  # Art. 40 only
    in_probation = models.BooleanField(default=False)  # at the notice date
    notice_date = models.DateField(_("notice date"))
    earliest_last_day = models.DateField(_("statutory last day"))  # from law: the earliest lawful end
    last_day = models.DateField(_("last working day"))
    reason = models.TextField(_("reason"), blank=True)
    protections = models.JSONField(default=list, blank=True)  # Art. 42 situations declared or found
    union_notified_on = models.DateField(_("union notified on"), null=True, blank=True)  # Art. 43
    union_note = models.CharField(_("union notification"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ExitState.choices, default=ExitState.OPEN)
    template_key = models.CharField(max_length=60, default="offboarding.exit")
    process = models.ForeignKey("workflows.ProcessInstance", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    submitted_by_employee = models.BooleanField(default=False)  # self-service resignation
    previous_status = models.CharField(max_length=12, blank=True)  # the employee's status before the exit
    employment_ended = models.BooleanField(default=False)  # the last day has passed: 已离职
    cleared_at = models.DateTimeField(null=True, blank=True)  # the exit process completed (every gate open)
    rehire_eligible = models.BooleanField(_("eligible for rehire"), null=True, blank=True)
    rehire_reason = models.CharField(_("rehire reason"), max_length=300, blank=True)
    retention_until = models.DateField(_("keep records until"), null=True, blank=True)  # law.retention
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        constraints = [
            # One live exit per employment; a withdrawn one does not count.
            models.UniqueConstraint(fields=["company", "employee", "employment_start"],
                                    condition=~Q(state="cancelled"), name="exit_one_per_employment"),
            models.CheckConstraint(condition=Q(last_day__gte=models.F("notice_date")), name="exit_last_after_notice"),
        ]
        indexes = [
            models.Index(fields=["company", "state", "last_day"], name="exit_state_day"),
            models.Index(fields=["company", "employee"], name="exit_employee"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"exit {self.pk} of employee {self.employee_id}"


class ItemKind(models.TextChoices):
    HANDOVER = "handover", _("Work handover")  # 工作交接
    CLIENT = "client", _("Client handover")  # 客户交接
    DOCUMENT = "document", _("Documents")  # 文档资料
    ASSET = "asset", _("Asset return")  # 资产归还
    ACCESS = "access", _("System access")  # 账号权限


class ItemState(models.TextChoices):
    PENDING = "pending", _("Not confirmed")
    CONFIRMED = "confirmed", _("Confirmed")  # received / returned / revoked
    WAIVED = "waived", _("Not applicable")


class ExitItem(models.Model):
    """A thing to hand over, return or revoke, confirmed by the person receiving it (or, for system
    access, the person responsible for that system)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    name = models.CharField(_("item"), max_length=200)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    source = models.CharField(max_length=60, blank=True)  # where it came from: "preset:3", "complaint:7", "manual"
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("receiver"))
    receiver_role = models.CharField(max_length=20, blank=True)  # when no one in particular: a role confirms
    state = models.CharField(_("state"), max_length=10, choices=ItemState.choices, default=ItemState.PENDING)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("exit item")
        indexes = [models.Index(fields=["company", "exit", "state"], name="exit_item_state"),
                   models.Index(fields=["company", "receiver", "state"], name="exit_item_receiver")]
        ordering = ["exit_id", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class HandoverPreset(models.Model):
    """What every exit of the company lists (assets, systems, documents); edited by HR as data."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    name = models.CharField(_("item"), max_length=200)
    responsible_role = models.CharField(_("responsible role"), max_length=20, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "kind", "name"], name="exit_preset_unique")]
        ordering = ["kind", "id"]


class ExitInterview(models.Model):
    """离职面谈: structured reasons, kept apart from the exit's decision records (own permission)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    exit = models.OneToOneField(Exit, on_delete=models.CASCADE, related_name="interview")
    reasons = models.JSONField(default=list)  # codes of interviews.REASONS
    main_reason = models.CharField(max_length=30, blank=True)
    notes = models.TextField(blank=True)
    would_return = models.BooleanField(null=True, blank=True)
    held_on = models.DateField()
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class ExitMessage(models.Model):
    """One message of the conversation between HR and the employee about the exit."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="messages")
    from_employee = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")  # None for the employee writing through their link
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)  # read by the other side
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    read_via = models.CharField(max_length=10, blank=True)  # "app" | "link"

    class Meta:
        indexes = [models.Index(fields=["company", "exit", "created_at"], name="exit_message_exit")]
        ordering = ["created_at", "id"]


class ExitLink(models.Model):
    """A link that lets the employee read and answer the conversation from their phone without an
    account: 192-bit token, only its SHA-256 stored (as the signing links of ``hrguard.documents``)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)


class ExitDocument(models.Model):
    """A signing request sent for this exit (dismissal / persuasion notice, separation certificate, debt
    clearance, compliance commitment, handover confirmation): the link between the exit and the envelope
    of ``hrguard.documents``. Its state is read from the envelope (signed, declined, opened…) and its
    fallback records (registered mail / public notice), never copied."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document kind"), max_length=32)  # documents.DocumentKind value
    envelope = models.ForeignKey("documents.Envelope", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "envelope"], name="exit_document_envelope")]
        indexes = [models.Index(fields=["company", "exit", "kind"], name="exit_document_exit")]
        ordering = ["exit_id", "id"]


class DutyKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Separation certificate")  # 离职证明
    SI_TRANSFER = "si_transfer", _("Archive and social-insurance transfer")  # 档案和社会保险关系转移


class ExitDuty(models.Model):
    """An Art. 50 duty with its 15-day clock (durable deadlines warn before and when overdue); done when
    the certificate is signed or delivered by fallback, or when HR records the transfer with its date."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(_("duty"), max_length=12, choices=DutyKind.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_via = models.CharField(max_length=12, blank=True)  # signed | fallback | recorded
    note = models.CharField(_("note"), max_length=500, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    cancelled = models.BooleanField(default=False)  # the exit was withdrawn

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "exit", "kind"], name="exit_duty_unique")]
        indexes = [models.Index(fields=["company", "done_on", "due_on"], name="exit_duty_open")]
        ordering = ["due_on", "id"]


class SILayout(models.Model):
    """A company's 社保减员 / 退工登记 export layout (column order, headers, value mapping), picked or edited
    by the company admin; the shipped city layouts are in ``si_layouts.BUILTIN``."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    list_kind = models.CharField(max_length=12, default="reduction")  # reduction | filing
    columns = models.JSONField(default=list)  # [{"field": …, "header": …, "map": {value: shown}}]
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "key"], name="si_layout_key")]
        ordering = ["key"]
