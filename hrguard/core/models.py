"""Tenant, organisation tree, positions and users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import HR_ROLES, ROSTER_READERS, Role


class Company(models.Model):
    """The tenant. Every tenant-owned row carries a foreign key to it."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """Department tree stored with a materialised path ("/1/5/9/") so a subtree is one indexed
    prefix match, whatever the depth."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    manager = models.ForeignKey(
        "people.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_departments",
        verbose_name=_("manager"),
    )
    hrbp = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="partnered_departments",
        verbose_name=_("HR business partner"),
    )
    cost_center = models.CharField(_("cost center"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["company", "parent", "name"], name="uniq_department_name"),
        ]
        indexes = [models.Index(fields=["company", "path"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Save, then keep ``path`` (and every descendant's path, on a move) consistent."""
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id and self.parent else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path == self.path:
            return
        old_path, self.path = self.path, new_path
        Department.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            Department.objects.filter(company_id=self.company_id, path__startswith=old_path).exclude(
                pk=self.pk
            ).update(path=Concat(Value(new_path), Substr("path", len(old_path) + 1)))
            # Employees carry a copy of their department's path (for subtree scoping without joins).
            from django.apps import apps

            employee_model = apps.get_model("people", "Employee")
            employee_model.objects.filter(company_id=self.company_id, department_path__startswith=old_path).update(
                department_path=Concat(Value(new_path), Substr("department_path", len(old_path) + 1))
            )

    def subtree_q(self, field: str = "path") -> models.Q:
        return models.Q(**{f"{field}__startswith": self.path})


class Position(models.Model):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="positions")
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=50, blank=True)
    level = models.CharField(_("grade"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )
    is_core = models.BooleanField(_("core position"), default=False)
    headcount = models.PositiveIntegerField(_("headcount"), default=1)
    confidentiality_duty = models.BooleanField(
        _("confidentiality duty"), default=False,
        help_text=_("Holders know trade secrets; a non-compete may be agreed."),
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="uniq_position_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_hr(self) -> bool:
        return self.role in HR_ROLES

    @property
    def reads_roster(self) -> bool:
        return self.role in ROSTER_READERS

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import job", "Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One file import done by the background worker (see ``core.jobs``): the durable state of the
    work, its progress and its report. The uploaded file is staged encrypted under ``token``."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30)  # roster | punches (handlers registered by apps)
    step = models.CharField(_("step"), max_length=10, default="check")  # check | import
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    filename = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    token = models.CharField(max_length=32, blank=True)
    params = models.JSONField(default=dict, blank=True)
    phase = models.CharField(max_length=20, blank=True)  # checking | saving | computing (progress label)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)  # 0 = not known yet
    report = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # the worker's heartbeat
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["company", "kind", "-created_at"], name="importjob_recent"),
                   models.Index(fields=["status", "updated_at"], name="importjob_stale")]

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def percent(self) -> int:
        """Progress of the current step (the handlers count ``done`` of ``total`` work units)."""
        if self.finished:
            return 100
        if not self.total:
            return 0
        return min(99, int(self.done * 100 / self.total))


class SignInAttempts(models.Model):
    """Sign-in attempts counted against one username or one client address in the current window
    (``hrguard.core.brake``). A row is claimed before a password is checked, by a conditional UPDATE, so
    simultaneous attempts can never get more checks than the limit."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(db_index=True)
    lock_recorded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("sign-in attempts")
        verbose_name_plural = _("sign-in attempts")


class WageKind(models.TextChoices):
    AVERAGE_MONTHLY = "average", _("Average monthly wage")
    MINIMUM_MONTHLY = "minimum", _("Minimum monthly wage")
    MINIMUM_HOURLY = "minimum_hourly", _("Minimum hourly wage")


class LocalWage(models.Model):
    """A published local wage figure (上年度职工月平均工资, 最低工资标准) of a city, in force from a
    year and month until a later row of the same city and kind. Read through ``core.wages``; the law
    calculators take the figure as an argument (e.g. the LCL Art. 47 cap of 3× the average)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    city = models.CharField(_("city"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=WageKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("from month"), default=1)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("local wage")
        verbose_name_plural = _("local wages")
        constraints = [
            models.UniqueConstraint(fields=["company", "city", "kind", "year", "month"], name="uniq_local_wage"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="local_wage_month"),
        ]
        indexes = [models.Index(fields=["company", "city", "kind", "year", "month"], name="local_wage_lookup")]
        ordering = ["city", "kind", "-year", "-month"]

    def __str__(self) -> str:
        return f"{self.city} {self.year}-{self.month:02d} {self.kind} {self.amount}"
