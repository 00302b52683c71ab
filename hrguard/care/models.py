"""Employee care (关怀): private talks (谈心), emergency aid loans, flexible hours, internal side jobs and
training courses. The anonymous EAP lives in ``eap_models.py`` (no link to any person by construction)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrguard.core.fields import EncryptedTextField

from .eap_models import EapMessage, EapProvider, EapRequest  # noqa: F401  (models of this app)

DEFAULT_AID_LIMIT = Decimal("50000.00")  # a company setting (not law): the default of CareSettings.aid_limit


class CareSettings(models.Model):
    company = models.OneToOneField("core.Company", on_delete=models.CASCADE, related_name="+")
    aid_limit = models.DecimalField(_("emergency aid limit"), max_digits=12, decimal_places=2,
                                    default=DEFAULT_AID_LIMIT)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


# What a talk can be started from (``Talk.link_type`` holds the code; the pages show the name).
LINK_LABELS = {"risk.alert": _("Alert"), "cases.case": _("Case")}


class Talk(models.Model):
    """谈心: a private talk HR held with an employee. Summary and follow-ups are encrypted at rest; only HR
    care roles read them (the line manager only when ``shared_with_manager``); every read is evidence.
    ``link_*``: the case or alert the talk was started from (generic: those apps pass type, id and URL)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    participants = models.CharField(_("participants"), max_length=300)
    summary = EncryptedTextField(_("summary"), context="care.talk.summary")
    follow_ups = EncryptedTextField(_("follow-ups"), context="care.talk.follow_ups")
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    shared_with_manager = models.BooleanField(_("shared with the line manager"), default=False)
    link_type = models.CharField(_("started from"), max_length=100, blank=True)
    link_id = models.CharField(max_length=64, blank=True)
    link_url = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care talk")
        indexes = [models.Index(fields=["company", "employee", "held_on"], name="care_talk_employee")]
        ordering = ["-held_on", "-id"]

    @property
    def link_type_label(self) -> str:
        """The Chinese name of what the talk was started from (the stored value is a code, "risk.alert")."""
        return str(LINK_LABELS.get(self.link_type, _("Linked record")))


class AidStatus(models.TextChoices):
    SUBMITTED = "submitted", _("In approval")
    APPROVED = "approved", _("Approved, awaiting payment")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    DISBURSED = "disbursed", _("Paid out")
    REPAID = "repaid", _("Repaid")


class AidLoan(models.Model):
    """应急借款: an interest-free loan up to the company's limit, approved on the engine (``care.aid_loan``),
    paid out and repaid as finance records; the balance is a clearance fact (``aid_outstanding``)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    principal = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = EncryptedTextField(_("reason"), context="care.aid.reason")
    status = models.CharField(_("status"), max_length=10, choices=AidStatus.choices, default=AidStatus.SUBMITTED)
    by_employee = models.BooleanField(default=False)
    repaid = models.DecimalField(_("repaid"), max_digits=12, decimal_places=2, default=0)
    disbursed_on = models.DateField(_("paid out on"), null=True, blank=True)
    disbursed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emergency aid loan")
        indexes = [models.Index(fields=["company", "employee", "status"], name="care_aid_employee")]
        constraints = [
            models.CheckConstraint(condition=models.Q(principal__gt=0), name="care_aid_principal_positive"),
            models.CheckConstraint(condition=models.Q(repaid__gte=0) & models.Q(repaid__lte=models.F("principal")),
                                   name="care_aid_repaid_range"),
        ]
        ordering = ["-id"]

    @property
    def balance(self) -> Decimal:
        return self.principal - self.repaid if self.status in (AidStatus.DISBURSED, AidStatus.REPAID) else Decimal(0)


class AidInstallment(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(AidLoan, on_delete=models.CASCADE, related_name="installments")
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="care_installment_positive")]


class AidRepayment(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(AidLoan, on_delete=models.PROTECT, related_name="repayments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="care_repayment_positive")]


class FlexArrangement(models.Model):
    """弹性工作安排."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    pattern = models.CharField(_("working pattern"), max_length=200)
    reason = models.CharField(_("reason"), max_length=500)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]


class SideJob(models.Model):
    """内部兼职: a posting employees may apply for."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=2000)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class SideJobApplication(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(SideJob, on_delete=models.PROTECT, related_name="applications")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "employee"], name="care_one_application")]
        ordering = ["-id"]


class Course(models.Model):
    """培训课程 (e.g. the quarterly financial-literacy course) with sessions, enrolment and attendance."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class CourseSession(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["held_on", "id"]


class Enrolment(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "employee"], name="care_one_enrolment")]
        ordering = ["id"]


class SessionAttendance(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="care_one_attendance")]
