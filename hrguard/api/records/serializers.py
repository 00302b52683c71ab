"""Output serializers (read-only) and input serializers (parsing only — services validate)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from hrguard.attendance.models import AttendanceDay, PunchImport, Shift, WorkCalendarDay
from hrguard.core.models import ImportJob
from hrguard.discipline.models import ClientComplaint, EscalationRule, HandbookClause, Violation, ViolationStatus
from hrguard.expenses.models import Advance, ExpenseClaim, Trip
from hrguard.leave.models import LeaveRequest
from hrguard.performance.models import ImprovementPlan, KpiItem, Review, ReviewCycle, WeightChange

from .base import MAX_ID

EMP = ("employee", "employee_no", "employee_name")


class _EmployeeFields(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)


class _ApprovalFields(serializers.Serializer):
    """Where the record's approval process stands (hrguard.records.processes): computed for a whole page
    at once (one batch of queries), not per row."""

    decided_by = serializers.SerializerMethodField(help_text="Who decided last (name), empty while nobody has")
    decided_at = serializers.SerializerMethodField(help_text="When the last decision was taken")
    decision_note = serializers.SerializerMethodField(help_text="The note of the last decision")
    waiting_for = serializers.SerializerMethodField(help_text="Who the approval waits for now (names or roles)")
    process = serializers.SerializerMethodField(help_text="The approval process id (/api/v1/processes/instances/)")

    def _progress(self, obj: Any) -> Any:
        from hrguard.records import processes

        cache = self.context.setdefault("_progress", {})
        if obj.pk not in cache:
            parent = getattr(self, "parent", None)
            rows = list(parent.instance) if parent is not None and isinstance(parent.instance, list | tuple) else [obj]
            if obj not in rows:
                rows = [obj]
            found = processes.status(subject_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
                                     company_id=obj.company_id, ids=[r.pk for r in rows])
            cache.update({r.pk: found.get(r.pk) for r in rows})
        return cache.get(obj.pk)

    def get_decided_by(self, obj: Any) -> str:
        p = self._progress(obj)
        return p.decided_by if p else ""

    def get_decided_at(self, obj: Any) -> str | None:
        p = self._progress(obj)
        return p.decided_at.isoformat() if p and p.decided_at else None

    def get_decision_note(self, obj: Any) -> str:
        p = self._progress(obj)
        return p.note if p else ""

    def get_waiting_for(self, obj: Any) -> list[str]:
        p = self._progress(obj)
        return [str(w) for w in p.waiting_for] if p else []

    def get_process(self, obj: Any) -> int | None:
        p = self._progress(obj)
        return p.instance_id if p else None


APPROVAL = ("decided_by", "decided_at", "decision_note", "waiting_for", "process")


class ShiftOut(serializers.ModelSerializer):
    class Meta:
        model = Shift
        fields = ("id", "name", "start_time", "end_time", "break_minutes", "grace_minutes",
                  "overtime_threshold_minutes", "is_default")
        read_only_fields = fields


class ShiftIn(serializers.Serializer):
    name = serializers.CharField()
    start_time = serializers.CharField(help_text="HH:MM")
    end_time = serializers.CharField(help_text="HH:MM; not after the start = crosses midnight")
    break_minutes = serializers.CharField(required=False)
    grace_minutes = serializers.CharField(required=False)
    overtime_threshold_minutes = serializers.CharField(required=False)
    is_default = serializers.BooleanField(required=False)


class CalendarDayOut(serializers.ModelSerializer):
    class Meta:
        model = WorkCalendarDay
        fields = ("date", "kind", "name", "source")
        read_only_fields = fields


class CalendarDayIn(serializers.Serializer):
    date = serializers.CharField()
    kind = serializers.CharField(help_text="workday | restday | holiday")
    name = serializers.CharField(required=False, allow_blank=True)


class PunchItem(serializers.Serializer):
    employee_no = serializers.CharField(allow_blank=True)
    time = serializers.CharField(allow_blank=True, help_text="Local time, e.g. 2025-03-03 08:57")
    direction = serializers.CharField(required=False, allow_blank=True, help_text="in | out | empty")


class PunchBatchIn(serializers.Serializer):
    punches = PunchItem(many=True)


class PunchFileIn(serializers.Serializer):
    file = serializers.FileField()
    profile = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Device profile id (default: 工号 | 时间 | 类型)"
    )


class PunchImportOut(serializers.ModelSerializer):
    class Meta:
        model = PunchImport
        fields = ("id", "source", "filename", "sha256", "rows", "inserted", "duplicates", "out_of_order",
                  "first_date", "last_date", "created_at")
        read_only_fields = fields


class PunchImportJobOut(serializers.ModelSerializer):
    """A punch file import run by the background worker: poll ``GET …/punch-import-jobs/{id}/`` until
    ``status`` is ``done`` (``report`` holds the counts) or ``failed`` (``report.failure`` and
    ``report.errors`` say why; nothing was saved)."""

    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = ("id", "status", "phase", "done", "total", "percent", "filename", "sha256", "report",
                  "created_at", "finished_at")
        read_only_fields = fields


class AttendanceDayOut(_EmployeeFields):
    first_punch = serializers.CharField(source="first_clock", read_only=True)
    last_punch = serializers.CharField(source="last_clock", read_only=True)

    class Meta:
        model = AttendanceDay
        fields = ("id", *EMP, "date", "day_kind", "shift", "punches", "first_punch", "last_punch", "status",
                  "late_minutes", "early_minutes", "overtime_minutes")
        read_only_fields = fields


class MonthlyRowOut(serializers.Serializer):
    employee_id = serializers.IntegerField()
    employee__employee_no = serializers.CharField()
    employee__name = serializers.CharField()
    employee__department__name = serializers.CharField()
    workdays = serializers.IntegerField()
    normal_days = serializers.IntegerField()
    late_days = serializers.IntegerField()
    late_minutes = serializers.IntegerField()
    early_days = serializers.IntegerField()
    early_minutes = serializers.IntegerField()
    absent_days = serializers.IntegerField()
    missing_days = serializers.IntegerField()
    leave_days = serializers.IntegerField()
    overtime_minutes = serializers.IntegerField()
    workday_overtime = serializers.IntegerField()
    restday_overtime = serializers.IntegerField()
    holiday_overtime = serializers.IntegerField()
    long_days = serializers.IntegerField(help_text="Workdays with overtime above the statutory daily limit")
    over_monthly_limit = serializers.BooleanField(help_text="Overtime above the statutory monthly limit")


class LeaveOut(_ApprovalFields, _EmployeeFields):
    class Meta:
        model = LeaveRequest
        fields = ("id", *EMP, "leave_type", "start_date", "end_date", "days", "reason", "status", "created_at",
                  *APPROVAL)
        read_only_fields = fields


class LeaveIn(serializers.Serializer):
    employee = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Default: the signed-in employee"
    )
    leave_type = serializers.CharField()
    start_date = serializers.CharField()
    end_date = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True)


class NoteIn(serializers.Serializer):
    decision_note = serializers.CharField(required=False, allow_blank=True)


class BalanceOut(serializers.Serializer):
    leave_type = serializers.CharField()
    label = serializers.CharField()
    year = serializers.IntegerField()
    entitled = serializers.DecimalField(max_digits=5, decimal_places=1)
    adjustment = serializers.DecimalField(max_digits=5, decimal_places=1)
    approved = serializers.DecimalField(max_digits=5, decimal_places=1)
    pending = serializers.DecimalField(max_digits=5, decimal_places=1)
    available = serializers.DecimalField(max_digits=6, decimal_places=1)
    basis = serializers.CharField()


class TripOut(_ApprovalFields, _EmployeeFields):
    class Meta:
        model = Trip
        fields = ("id", *EMP, "start_date", "end_date", "destination", "purpose", "advance_requested", "status",
                  "created_at", *APPROVAL)
        read_only_fields = fields


class TripIn(serializers.Serializer):
    start_date = serializers.CharField()
    end_date = serializers.CharField()
    destination = serializers.CharField()
    purpose = serializers.CharField()
    advance_requested = serializers.CharField(required=False, allow_blank=True)


class ClaimOut(_ApprovalFields, _EmployeeFields):
    receipts = serializers.SerializerMethodField()

    class Meta:
        model = ExpenseClaim
        fields = ("id", *EMP, "trip", "category", "spent_on", "amount", "description", "status", "created_at",
                  *APPROVAL, "receipts")
        read_only_fields = fields

    def get_receipts(self, obj: ExpenseClaim) -> list[dict[str, str]]:
        from hrguard.records import files

        return [{"name": f.name, "sha256": f.sha256} for f in files.of("expense", obj)]


class ClaimIn(serializers.Serializer):
    category = serializers.CharField()
    spent_on = serializers.CharField()
    amount = serializers.CharField(help_text="Yuan, e.g. 1234.50")
    description = serializers.CharField()
    trip = serializers.CharField(required=False, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), help_text="Receipts (at least one)")


class AdvanceOut(_EmployeeFields):
    outstanding = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Advance
        fields = ("id", *EMP, "kind", "trip", "amount", "repaid", "outstanding", "issued_on", "due_on", "purpose")
        read_only_fields = fields


class AdvanceIn(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.CharField(help_text="advance | loan")
    amount = serializers.CharField()
    issued_on = serializers.CharField()
    due_on = serializers.CharField(required=False, allow_blank=True)
    purpose = serializers.CharField()


class RepayIn(serializers.Serializer):
    amount = serializers.CharField()
    paid_on = serializers.CharField()
    claim = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class OutstandingOut(serializers.Serializer):
    employee_id = serializers.IntegerField()
    employee__employee_no = serializers.CharField()
    employee__name = serializers.CharField()
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    advances = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    loans = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class CycleOut(serializers.ModelSerializer):
    class Meta:
        model = ReviewCycle
        fields = ("id", "name", "start_date", "end_date", "is_open", "rating_bands")
        read_only_fields = fields


class CycleIn(serializers.Serializer):
    name = serializers.CharField()
    start_date = serializers.CharField()
    end_date = serializers.CharField()


class KpiOut(serializers.ModelSerializer):
    class Meta:
        model = KpiItem
        fields = ("id", "name", "target", "weight", "score")
        read_only_fields = fields


class WeightChangeOut(serializers.ModelSerializer):
    class Meta:
        model = WeightChange
        fields = ("before", "after", "reason", "changed_by", "changed_at")
        read_only_fields = fields


class ReviewOut(_EmployeeFields):
    kpis = KpiOut(many=True, read_only=True)
    weight_changes = WeightChangeOut(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ("id", *EMP, "cycle", "status", "total_score", "rating", "comment", "kpis", "weight_changes")
        read_only_fields = fields


class KpiIn(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    weight = serializers.CharField(help_text="Percent; all weights add up to 100")
    target = serializers.CharField(required=False, allow_blank=True)


class SetKpisIn(serializers.Serializer):
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kpis = KpiIn(many=True)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Required when re-setting")


class ScoreIn(serializers.Serializer):
    scores = serializers.DictField(child=serializers.CharField(), help_text="KPI id (or name) → score 0–100")
    comment = serializers.CharField(required=False, allow_blank=True)


class PlanOut(_EmployeeFields):
    class Meta:
        model = ImprovementPlan
        fields = ("id", *EMP, "review", "goals", "start_date", "deadline", "status", "outcome")
        read_only_fields = fields


class PlanIn(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    goals = serializers.CharField()
    start_date = serializers.CharField()
    deadline = serializers.CharField()
    review = serializers.CharField(required=False, allow_blank=True)


class ClosePlanIn(serializers.Serializer):
    status = serializers.CharField(help_text="passed | failed | cancelled")
    outcome = serializers.CharField()


class ClauseOut(serializers.ModelSerializer):
    class Meta:
        model = HandbookClause
        fields = ("id", "code", "title", "body", "active")
        read_only_fields = fields


class ClauseIn(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField(required=False, allow_blank=True)


class RuleOut(serializers.ModelSerializer):
    class Meta:
        model = EscalationRule
        fields = ("id", "name", "threshold", "window_days", "count_decisions", "active")
        read_only_fields = fields


class RuleIn(serializers.Serializer):
    name = serializers.CharField()
    threshold = serializers.CharField()
    window_days = serializers.CharField(required=False, allow_blank=True)
    count_decisions = serializers.ListField(child=serializers.CharField(), required=False)


class ViolationOut(_EmployeeFields):
    clause_code = serializers.CharField(source="clause.code", read_only=True)
    status = serializers.ChoiceField(choices=ViolationStatus.choices, read_only=True,
                                     help_text="Read from the outcome; the flow runs on the process engine")
    ack = serializers.CharField(source="ack_state", read_only=True,
                                help_text="'' | pending | acknowledged | refused")
    files = serializers.SerializerMethodField()

    class Meta:
        model = Violation
        fields = ("id", *EMP, "clause", "clause_code", "occurred_on", "facts", "reporter", "reported_at", "status",
                  "investigation", "decision", "decision_note", "deduction_amount", "suspension_days",
                  "decided_at", "ack", "ack_at", "ack_note", "files")
        read_only_fields = fields

    def get_files(self, obj: Violation) -> list[dict[str, str]]:
        from hrguard.records import files

        return [{"name": f.name, "sha256": f.sha256} for f in files.of("violation", obj)]

    def to_representation(self, instance: Violation) -> dict[str, Any]:
        from hrguard.records.access import sees_investigation

        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_investigation(request.user, instance.employee):
            data["reporter"], data["investigation"] = None, ""  # the employee concerned does not see them
        return data


class ViolationIn(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    clause = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    occurred_on = serializers.CharField()
    facts = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False)


class InvestigateIn(serializers.Serializer):
    investigation = serializers.CharField()


class DecideIn(serializers.Serializer):
    decision = serializers.CharField(help_text="warning | serious_warning | suspension | bonus_deduction | "
                                               "dismissal | not_substantiated")
    decision_note = serializers.CharField()
    deduction_amount = serializers.CharField(required=False, allow_blank=True)
    suspension_days = serializers.CharField(required=False, allow_blank=True)


class AckIn(serializers.Serializer):
    accept = serializers.BooleanField()
    ack_note = serializers.CharField(required=False, allow_blank=True)


class RefusalIn(serializers.Serializer):
    ack_note = serializers.CharField(help_text="Circumstances and witnesses")


class FilesIn(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField())


class ComplaintOut(_EmployeeFields):
    class Meta:
        model = ClientComplaint
        fields = ("id", *EMP, "client", "received_on", "claimed_loss", "facts", "status", "resolution",
                  "settled_amount", "resolved_at", "violations", "created_at")
        read_only_fields = fields


class ComplaintIn(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    client = serializers.CharField()
    received_on = serializers.CharField()
    claimed_loss = serializers.CharField(required=False, allow_blank=True)
    facts = serializers.CharField()
    violations = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False)


class ResolveIn(serializers.Serializer):
    status = serializers.CharField(help_text="resolved | settled | rejected")
    resolution = serializers.CharField()
    settled_amount = serializers.CharField(required=False, allow_blank=True)


class LinkIn(serializers.Serializer):
    violations = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID))
