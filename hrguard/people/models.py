"""Employees, labor contracts (with a clause library and key clauses), lifecycle events."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrguard.core.fields import EncryptedTextField


class IdType(models.TextChoices):
    """Identity document types HR rosters accept (证件类型)."""

    RESIDENT = "resident", _("Resident identity card")  # 居民身份证
    HK_MACAU_RESIDENCE = "hk_macau_residence", _("Residence permit for HK/Macao residents")
    TAIWAN_RESIDENCE = "taiwan_residence", _("Residence permit for Taiwan residents")
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreigner's permanent residence ID card")
    FOREIGN_WORK_PERMIT = "foreign_work_permit", _("Foreigner's work permit")
    PASSPORT = "passport", _("Passport")


class EmployeeStatus(models.TextChoices):
    PENDING = "pending", _("To be onboarded")  # 待入职
    PROBATION = "probation", _("On probation")  # 试用期
    ACTIVE = "active", _("Active")  # 在职
    LEAVING = "leaving", _("Leaving")  # 待离职
    LEFT = "left", _("Left")  # 已离职


class EmploymentForm(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    INTERN = "intern", _("Intern")
    PART_TIME = "part_time", _("Part-time")
    DISPATCHED = "dispatched", _("Dispatched")
    OUTSOURCED = "outsourced", _("Outsourced")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNSPECIFIED = "", _("Unspecified")


class Employee(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="employees")
    employee_no = models.CharField(_("employee number"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True, default="")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT)
    # Sensitive fields: encrypted at rest; equality search through the blind indexes.
    id_number = EncryptedTextField(_("ID number"), context="people.employee.id_number",
                                   index_field="id_number_index")
    id_number_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("mobile phone"), context="people.employee.phone", index_field="phone_index")
    phone_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    bank_account = EncryptedTextField(_("bank account"), context="people.employee.bank_account")
    email = models.EmailField(_("email"), blank=True)
    address = EncryptedTextField(_("address"), context="people.employee.address")  # home address (PIPL)
    emergency_contact = models.CharField(_("emergency contact"), max_length=100, blank=True)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="employees", verbose_name=_("department")
    )
    department_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    position = models.ForeignKey(
        "core.Position", on_delete=models.PROTECT, null=True, blank=True, related_name="employees",
        verbose_name=_("position"),
    )
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports",
        verbose_name=_("line manager"),
    )
    status = models.CharField(_("status"), max_length=12, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE)
    employment_form = models.CharField(
        _("employment form"), max_length=12, choices=EmploymentForm.choices, default=EmploymentForm.FULL_TIME
    )
    hire_date = models.DateField(_("hire date"))
    work_start_date = models.DateField(_("first employment date"), null=True, blank=True)
    termination_date = models.DateField(_("termination date"), null=True, blank=True)
    work_location = models.CharField(_("work location"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="employee"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.UniqueConstraint(fields=["company", "employee_no"], name="uniq_employee_no"),
        ]
        indexes = [
            models.Index(fields=["company", "name"], name="employee_name"),
            models.Index(fields=["company", "status", "employee_no"], name="employee_status"),
            models.Index(fields=["company", "department_path", "employee_no"], name="employee_dept"),
            models.Index(fields=["company", "id_number_index"], name="employee_idx_id"),
        ]
        ordering = ["employee_no"]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"


class EmployeeNameGram(models.Model):
    """SQLite: each two-character piece of an employee's name (张伟明: 张伟, 伟明), for name search: a search
    of two or more characters finds the employees having all its pieces through the index instead of
    testing every name of the roster. Written only by database triggers (migration 0006) on every
    insert, rename and delete of an employee — bulk inserts and raw SQL included — never by Python code.
    Empty on PostgreSQL, which has its own indexes (pg_trgm, bigram GIN)."""

    company = models.ForeignKey(
        "core.Company", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    employee = models.ForeignKey(Employee, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    gram = models.CharField(max_length=2)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["company", "gram", "employee"], name="employee_name_gram")]


class ClauseCategory(models.TextChoices):
    FINANCE_DISCLOSURE = "finance_disclosure", _("Personal finance disclosure")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    NON_COMPETE = "non_compete", _("Non-compete")
    NO_PRIVATE_TRADING = "no_private_trading", _("No private client trading")
    TRAINING_SERVICE = "training_service", _("Service period after training")
    OTHER = "other", _("Other")


class ClauseTemplate(models.Model):
    """The company's clause library."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="clause_templates")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=24, choices=ClauseCategory.choices, default="other")
    key_by_default = models.BooleanField(_("key clause by default"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clause library")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_clause_code")]

    def __str__(self) -> str:
        return self.title


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("Fixed-term")
    OPEN_ENDED = "open_ended", _("Open-ended")
    TASK_BASED = "task_based", _("Task-based")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Contract(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="contracts")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="contracts")
    contract_no = models.CharField(_("contract number"), max_length=40)
    contract_type = models.CharField(_("contract type"), max_length=12, choices=ContractType.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    task_description = models.CharField(_("task"), max_length=300, blank=True)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"), default=0)
    probation_end_date = models.DateField(_("probation end"), null=True, blank=True)
    wage = models.DecimalField(_("monthly wage"), max_digits=12, decimal_places=2)
    probation_wage = models.DecimalField(_("probation wage"), max_digits=12, decimal_places=2, null=True, blank=True)
    work_location = models.CharField(_("work location"), max_length=100)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    signed_date = models.DateField(_("signed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("labor contract")
        verbose_name_plural = _("labor contracts")
        constraints = [
            models.UniqueConstraint(fields=["company", "contract_no"], name="uniq_contract_no"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="contract_dates_ordered",
            ),
            models.CheckConstraint(condition=models.Q(wage__gte=0), name="contract_wage_nonnegative"),
        ]
        indexes = [
            models.Index(fields=["company", "employee", "start_date"], name="contract_employee"),
            # 工作台: renewal decisions and probation ends, soonest first, without reading every contract.
            models.Index(fields=["company", "status", "end_date"], name="contract_end"),
            models.Index(fields=["company", "status", "probation_end_date"], name="contract_probation_end"),
        ]
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.contract_no


class ContractClause(models.Model):
    """A clause as agreed in one contract (text snapshot: later library edits do not change it)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clauses")
    template = models.ForeignKey(ClauseTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=24, choices=ClauseCategory.choices, default="other")
    is_key = models.BooleanField(_("key clause"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class SupplementaryAgreement(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="supplements")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    effective_date = models.DateField(_("effective date"))
    signed_date = models.DateField(_("signed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supplementary agreement")
        ordering = ["effective_date", "id"]

    def __str__(self) -> str:
        return self.title


class LifecycleKind(models.TextChoices):
    HIRE = "hire", _("Hire")
    PROBATION_PASSED = "probation_passed", _("Probation passed")
    TRANSFER = "transfer", _("Transfer")
    PROMOTION = "promotion", _("Promotion")
    STATUS_CHANGE = "status_change", _("Status change")
    TERMINATION = "termination", _("Termination")


class LifecycleEvent(models.Model):
    """入转调离: one row per personnel change, with what changed."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="lifecycle_events")
    kind = models.CharField(_("kind"), max_length=20, choices=LifecycleKind.choices)
    effective_date = models.DateField(_("effective date"))
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lifecycle event")
        ordering = ["-effective_date", "-id"]
        indexes = [
            models.Index(fields=["company", "employee", "effective_date"], name="lifecycle_employee"),
            models.Index(fields=["company", "effective_date"], name="lifecycle_date"),  # 工作台 movements chart
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.effective_date}"
