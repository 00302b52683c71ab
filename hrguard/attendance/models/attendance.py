"""Shifts, punches (打卡记录) and the computed daily attendance (每日考勤).

Punches carry their *work date* and the minute of that work date (which may exceed 1440 for a punch
after midnight that belongs to the previous day's shift), computed once at import. Daily status and
monthly summaries are then plain integer aggregates in SQL, identical on SQLite and PostgreSQL."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import DayKind

MINUTES_PER_DAY = 24 * 60


class Shift(models.Model):
    """班次. A shift whose end is not after its start crosses midnight (e.g. 22:00–06:00)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    break_minutes = models.PositiveIntegerField(_("unpaid break (minutes)"), default=60)
    grace_minutes = models.PositiveIntegerField(_("late grace (minutes)"), default=0)
    overtime_threshold_minutes = models.PositiveIntegerField(
        _("minimum overtime counted (minutes)"), default=30,
    )
    is_default = models.BooleanField(_("default shift"), default=False)
    # Derived, for set-based SQL: minutes from the work date's midnight.
    start_minute = models.PositiveIntegerField(editable=False, default=0)
    end_minute = models.PositiveIntegerField(editable=False, default=0)  # > start; +1440 across midnight
    # Middle of the off-duty period after the shift, in minutes of the work date: a punch belongs to the
    # work date W whose window [boundary - 1440, boundary) contains its minute (see attribute_punch).
    boundary_minute = models.IntegerField(editable=False, default=MINUTES_PER_DAY)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="uniq_shift_name"),
            models.UniqueConstraint(
                fields=["company"], condition=models.Q(is_default=True), name="one_default_shift"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.end_minute > MINUTES_PER_DAY

    def derive_minutes(self) -> None:
        """Start/end as minutes of the work date and the boundary in the middle of the off-duty period."""
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        if end <= start:
            end += MINUTES_PER_DAY
        self.start_minute, self.end_minute = start, end
        self.boundary_minute = end + (MINUTES_PER_DAY - (end - start)) // 2

    @property
    def scheduled_minutes(self) -> int:
        return self.end_minute - self.start_minute - self.break_minutes


class ShiftAssignment(models.Model):
    """The shift an employee works; employees without one work the company's default shift."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="shift_assignment")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")


class PunchDeviceProfile(models.Model):
    """Column mapping of one clock model's export (saved per device model).

    Columns are given by header text (e.g. "工号") or by 1-based position ("1")."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("device model"), max_length=80)
    employee_column = models.CharField(_("employee number column"), max_length=60)
    datetime_column = models.CharField(_("date-time column"), max_length=60, blank=True)
    date_column = models.CharField(_("date column"), max_length=60, blank=True)
    time_column = models.CharField(_("time column"), max_length=60, blank=True)
    direction_column = models.CharField(_("in/out column"), max_length=60, blank=True)
    has_header = models.BooleanField(_("first row is a header"), default=True)
    datetime_format = models.CharField(
        _("date-time format"), max_length=40, blank=True,
        help_text=_("strftime pattern, e.g. %Y/%m/%d %H:%M; empty = detect common formats"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("punch device profile")
        verbose_name_plural = _("punch device profiles")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="uniq_device_profile")]

    def __str__(self) -> str:
        return self.name


class PunchImport(models.Model):
    """One import batch (file or API call) with its report."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    profile = models.ForeignKey(PunchDeviceProfile, on_delete=models.SET_NULL, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, default="file")  # file | api
    filename = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    inserted = models.PositiveIntegerField(_("new punches"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    out_of_order = models.PositiveIntegerField(_("out of order"), default=0)
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("punch import")
        verbose_name_plural = _("punch imports")
        ordering = ["-created_at"]


class Punch(models.Model):
    """Millions of rows: only the employee FK is enforced by the database (PostgreSQL checks every FK
    row by row at commit); company and batch are set by the importer from the same lookups."""

    company = models.ForeignKey(
        "core.Company", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+", db_index=False)
    punched_at = models.DateTimeField(_("punch time"))
    work_date = models.DateField(_("work date"))
    minute = models.IntegerField(_("minute of work date"))  # may be <0 or ≥1440 around midnight
    direction = models.CharField(_("in/out"), max_length=3, blank=True)  # in | out | ""
    batch = models.ForeignKey(
        PunchImport, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        verbose_name = _("punch")
        verbose_name_plural = _("punches")
        constraints = [models.UniqueConstraint(fields=["employee", "punched_at"], name="uniq_punch")]
        indexes = [models.Index(fields=["company", "work_date", "employee"], name="punch_day")]


class DayStatus(models.TextChoices):
    NORMAL = "normal", _("On time")  # 正常
    LATE = "late", _("Late")  # 迟到
    EARLY = "early", _("Left early")  # 早退
    LATE_EARLY = "late_early", _("Late and left early")
    MISSING = "missing", _("Missing punch")  # 缺卡
    ABSENT = "absent", _("Absent")  # 旷工
    LEAVE = "leave", _("On leave")  # 请假
    REST_WORK = "rest_work", _("Worked on a rest day")  # 休息日加班


class AttendanceDay(models.Model):
    """每日考勤: computed set-based from punches, shifts, the calendar and approved leave (derived data,
    rebuilt by ``recompute_days``; only the employee FK is enforced by the database)."""

    company = models.ForeignKey(
        "core.Company", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    # No separate index on employee: the unique (employee, date) constraint serves those lookups.
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("date"))
    day_kind = models.CharField(_("day type"), max_length=8, choices=DayKind.choices)
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False, db_constraint=False
    )
    punches = models.PositiveIntegerField(_("punches"), default=0)
    first_minute = models.IntegerField(null=True)
    last_minute = models.IntegerField(null=True)
    status = models.CharField(_("status"), max_length=10, choices=DayStatus.choices)
    late_minutes = models.PositiveIntegerField(_("late (minutes)"), default=0)
    early_minutes = models.PositiveIntegerField(_("left early (minutes)"), default=0)
    overtime_minutes = models.PositiveIntegerField(_("overtime (minutes)"), default=0)

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="uniq_attendance_day")]
        indexes = [models.Index(fields=["company", "date"], name="attendance_company_date")]

    @staticmethod
    def clock(minute: int | None) -> str:
        """"08:57"; "+1 00:30" / "-1 23:50" for a punch on the next / previous calendar day."""
        if minute is None:
            return ""
        days, rest = divmod(minute, MINUTES_PER_DAY)
        text = f"{rest // 60:02d}:{rest % 60:02d}"
        return f"{days:+d} {text}" if days else text

    @property
    def first_clock(self) -> str:
        return self.clock(self.first_minute)

    @property
    def last_clock(self) -> str:
        return self.clock(self.last_minute)
