"""Document templates (versioned), signing requests, per-person envelopes, one-time codes, files."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    SEPARATION_CERTIFICATE = "separation_certificate", _("Separation certificate")
    HANDBOOK_ACK = "handbook_ack", _("Employee handbook acknowledgement")
    BACKGROUND_CONSENT = "background_consent", _("Background / credit check consent")
    COMPLIANCE_COMMITMENT = "compliance_commitment", _("Compliance commitment")
    DEBT_CLEARANCE = "debt_clearance", _("Debt clearance statement")
    LAWYER_LETTER = "lawyer_letter", _("Lawyer letter to a collection agency")
    TERMINATION_NOTICE = "termination_notice", _("Termination notice")
    SUPPLEMENTARY_AGREEMENT = "supplementary_agreement", _("Supplementary agreement")
    HANDOVER_CONFIRMATION = "handover_confirmation", _("Handover confirmation")
    LABOR_CONTRACT = "labor_contract", _("Labor contract")
    OTHER = "other", _("Other")


class DocumentTemplate(models.Model):
    """A company's template. Its wording lives in versions; editing adds a version, never rewrites one."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="uniq_document_template_name")]
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def latest(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    """One immutable wording of a template. Signing requests pin a version."""

    template = models.ForeignKey(DocumentTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=100)
    addressee = models.CharField(_("addressee"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    signer_label = models.CharField(_("signature caption"), max_length=40, default="员工（签字）")
    show_full_id = models.BooleanField(_("show the full ID number"), default=False)
    seal_text = models.CharField(_("seal caption"), max_length=20, blank=True)
    body_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="uniq_template_version")]
        ordering = ["template", "-number"]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


class ReminderPolicy(models.Model):
    """When to chase an unsigned document. ``kind`` empty = the company default; a row per kind overrides."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("document kind"), max_length=32, choices=DocumentKind.choices, blank=True)
    unopened_hours = models.PositiveIntegerField(_("second notice if unopened after (hours)"), default=24)
    warn_hr_hours = models.PositiveIntegerField(_("warn HR if unsigned after (hours)"), default=72)
    fallback_hours = models.PositiveIntegerField(_("open the fallback path after (hours)"), default=168)

    class Meta:
        verbose_name = _("reminder policy")
        constraints = [models.UniqueConstraint(fields=["company", "kind"], name="uniq_reminder_policy")]

    def as_dict(self) -> dict[str, int]:
        return {
            "unopened_hours": self.unopened_hours,
            "warn_hr_hours": self.warn_hr_hours,
            "fallback_hours": self.fallback_hours,
        }


class SigningRequest(models.Model):
    """HR asks one employee or a batch to sign one template version, on chosen channels, by a deadline."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="requests")
    title = models.CharField(_("title"), max_length=200)
    channels = models.JSONField(_("channels"), default=list)
    extra = models.JSONField(_("document values"), default=dict, blank=True)
    policy = models.JSONField(default=dict, blank=True)  # reminder policy snapshot at sending
    deadline_at = models.DateTimeField(_("deadline"))
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("signing request")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "created_at"], name="signreq_company")]

    def __str__(self) -> str:
        return self.title


class EnvelopeStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", _("Opened")
    VERIFIED = "verified", _("Identity verified")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


OPEN_STATUSES = (EnvelopeStatus.SENT, EnvelopeStatus.DELIVERED, EnvelopeStatus.OPENED, EnvelopeStatus.VERIFIED)


class Envelope(models.Model):
    """One person's copy of a request: the link token (hashed), progress times and the resulting files."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(SigningRequest, on_delete=models.PROTECT, related_name="envelopes")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    document_id = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=EnvelopeStatus.choices, default=EnvelopeStatus.SENT)
    values = models.JSONField(default=dict)  # resolved template variables, frozen at sending
    # Labor contracts: the key clauses the signer acknowledges one by one, frozen at sending
    # ([{"id": contract clause id, "title", "body", "sha256"}], see ``contract_clauses``).
    key_clauses = models.JSONField(default=list, blank=True)
    content_sha256 = models.CharField(max_length=64)
    original_sha256 = models.CharField(max_length=64, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    signature_kind = models.CharField(max_length=10, blank=True)  # drawn / typed
    typed_name = models.CharField(max_length=100, blank=True)
    failed_codes = models.PositiveIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    hr_warned_at = models.DateTimeField(null=True, blank=True)
    fallback_opened_at = models.DateTimeField(null=True, blank=True)
    last_ip = models.CharField(max_length=64, blank=True)
    last_device = models.CharField(max_length=300, blank=True)
    last_channel = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("signing envelope")
        constraints = [
            models.UniqueConstraint(fields=["request", "employee"], name="uniq_envelope_person"),
        ]
        indexes = [
            models.Index(fields=["request", "status"], name="envelope_status"),
            models.Index(fields=["company", "employee"], name="envelope_employee"),
            models.Index(fields=["company", "status", "sent_at"], name="envelope_open_age"),  # 工作台: oldest open
            models.Index(fields=["company", "document_id"], name="envelope_document_no"),  # global search
        ]

    def __str__(self) -> str:
        return self.document_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CodeChallenge(models.Model):
    """A one-time code sent to the employee's registered phone or email. Only hashes are stored."""

    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="codes")
    channel = models.CharField(max_length=10)
    destination_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=120)  # "<salt>$<HMAC-SHA256>"
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["envelope", "created_at"], name="code_envelope")]


class FileKind(models.TextChoices):
    ORIGINAL = "original", _("Original PDF")
    SIGNED = "signed", _("Signed PDF")
    SIGNATURE = "signature", _("Drawn signature")
    EMS_PROOF = "ems_proof", _("Registered mail delivery proof")
    PUBLIC_NOTICE = "public_notice", _("Public notice scan")


class DocumentFile(models.Model):
    """Bytes of a PDF or a scan, kept in the database so they commit with the evidence event."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="application/pdf")
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["envelope", "kind"], name="docfile_envelope")]


class FallbackKind(models.TextChoices):
    EMS = "ems", _("Registered mail (EMS)")
    PUBLIC_NOTICE = "public_notice", _("Public notice")


class FallbackRecord(models.Model):
    """Notification by another route when the employee does not sign (seed 004)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="fallbacks")
    kind = models.CharField(max_length=16, choices=FallbackKind.choices)
    tracking_no = models.CharField(_("tracking number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    file = models.ForeignKey(DocumentFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField()


class IdentityPolicy(models.Model):
    """Which identity checks come before signing. ``kind`` empty = the company default; a row per kind
    overrides. The one-time code is always required; ``realname`` adds the real-name check (name + ID
    number + phone, 三要素核验) through the configured provider."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("document kind"), max_length=32, choices=DocumentKind.choices, blank=True)
    realname = models.BooleanField(_("real-name verification (name, ID number, phone)"), default=False)

    class Meta:
        verbose_name = _("identity check policy")
        constraints = [models.UniqueConstraint(fields=["company", "kind"], name="uniq_identity_policy")]


class EventCertificate(models.Model):
    """A certificate issued for one signing (the key was used once and never stored). Kept so the company
    CA can publish its revocation list."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="certificates")
    serial = models.CharField(max_length=64)  # hexadecimal
    subject_name = models.CharField(max_length=200)
    id_hash = models.CharField(max_length=64)
    issuer = models.CharField(max_length=300)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "serial"], name="uniq_event_cert_serial")]
        indexes = [models.Index(fields=["company", "revoked_at"], name="event_cert_revoked")]
