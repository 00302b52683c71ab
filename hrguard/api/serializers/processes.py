"""Serializers of the process API (templates, instances, tasks)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from hrguard.workflows.models import ProcessInstance, ProcessTemplate, Step, StepPause


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class TemplateOut(serializers.ModelSerializer):
    version = serializers.SerializerMethodField(help_text="Number of the current version")
    definition = serializers.SerializerMethodField(help_text="The current version's definition (docs/processes.md)")

    class Meta:
        model = ProcessTemplate
        fields = ("id", "key", "name", "is_active", "version", "definition", "created_at")
        read_only_fields = fields

    def _current(self, obj: ProcessTemplate) -> Any:
        cache = self.context.setdefault("_versions", {})
        if obj.pk not in cache:
            cache[obj.pk] = obj.versions.order_by("-number").first()
        return cache[obj.pk]

    def get_version(self, obj: ProcessTemplate) -> int | None:
        v = self._current(obj)
        return v.number if v else None

    def get_definition(self, obj: ProcessTemplate) -> dict[str, Any]:
        v = self._current(obj)
        return v.definition if v else {}


class TemplateSaved(serializers.Serializer):
    template = TemplateOut()
    version = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


class TemplateIn(serializers.Serializer):
    key = serializers.CharField(max_length=60, help_text="Dotted lower-case words, e.g. exit.review")
    name = serializers.CharField(max_length=100)
    definition = serializers.JSONField(help_text="Stages and steps; see docs/processes.md")


class VersionIn(serializers.Serializer):
    definition = serializers.JSONField()
    name = serializers.CharField(max_length=100, required=False)
    is_active = serializers.BooleanField(required=False)


class StepOut(serializers.ModelSerializer):
    assignee_name = serializers.SerializerMethodField()
    acted_by_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = ("id", "key", "name", "kind", "group", "order", "state", "restricted", "assignee_user",
                  "assignee_name", "assignee_role", "assignee_note", "due_at", "overdue", "opened_at", "closed_at",
                  "duration_seconds", "paused_seconds", "acted_by", "acted_by_name", "note", "escalation_level")
        read_only_fields = fields

    def get_assignee_name(self, obj: Step) -> str:
        return _name(obj.assignee_user) if obj.assignee_user_id else ""

    def get_acted_by_name(self, obj: Step) -> str:
        return _name(obj.acted_by) if obj.acted_by_id else ""

    def get_overdue(self, obj: Step) -> bool:
        from django.utils import timezone

        return obj.state in ("open", "paused") and obj.due_at is not None and obj.due_at < timezone.now()


class PauseOut(serializers.ModelSerializer):
    class Meta:
        model = StepPause
        fields = ("step", "reason", "paused_by", "paused_at", "resumed_by", "resumed_at", "resume_reason", "seconds")
        read_only_fields = fields


class InstanceOut(serializers.ModelSerializer):
    employee_name = serializers.SerializerMethodField()

    class Meta:
        model = ProcessInstance
        fields = ("id", "template_key", "title", "subject_type", "subject_id", "subject_employee", "employee_name",
                  "state", "outcome", "started_by", "started_at", "ended_at", "total_seconds", "paused_seconds")
        read_only_fields = fields

    def get_employee_name(self, obj: ProcessInstance) -> str:
        return obj.subject_employee.name if obj.subject_employee_id else ""


class InstanceDetailOut(serializers.Serializer):
    instance = InstanceOut()
    version = serializers.IntegerField()
    steps = StepOut(many=True)
    pauses = PauseOut(many=True)
    hidden_steps = serializers.IntegerField(help_text="Restricted steps not shown to a party of the process")
    can_cancel = serializers.BooleanField()
    actionable = serializers.ListField(child=serializers.IntegerField(), help_text="Step ids you may act on")


class StartIn(serializers.Serializer):
    template_key = serializers.CharField(max_length=60)
    employee = serializers.IntegerField(min_value=1, help_text="The employee the process is about (its subject)")
    context = serializers.DictField(required=False, help_text="Values for the steps (e.g. a date to wait for)")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ActIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "reject", "complete", "delegate"])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    data = serializers.DictField(required=False)
    delegate_to = serializers.IntegerField(min_value=1, required=False, help_text="User id (delegate only)")


class TaskOut(StepOut):
    process = serializers.IntegerField(source="instance_id")
    process_title = serializers.CharField(source="instance.title")
    template_key = serializers.CharField(source="instance.template_key")
    employee_name = serializers.SerializerMethodField()

    class Meta(StepOut.Meta):
        fields = (*StepOut.Meta.fields, "process", "process_title", "template_key", "employee_name")
        read_only_fields = fields

    def get_employee_name(self, obj: Step) -> str:
        employee = obj.instance.subject_employee
        return employee.name if employee is not None else ""


class Blocked(serializers.Serializer):
    error = serializers.CharField(help_text="'invalid' (messages by field) or 'blocked' (a gate)")
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
    reasons = serializers.ListField(child=serializers.DictField(), required=False,
                                    help_text="When blocked: [{text, url}], what blocks, in words, with a link")


class TaskList(serializers.Serializer):
    results = TaskOut(many=True)
