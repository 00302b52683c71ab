"""The process engine's API: templates (list, create, new version), instances (list, detail, start,
cancel), the caller's open tasks and acting on them (act, pause, resume). Tenant-scoped: another
company's templates, processes and tasks are 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.people import selectors as people
from hrguard.platform.api import ERRORS, READ_ERRORS
from hrguard.workflows import editing, selectors, services
from hrguard.workflows.gates import GateBlocked
from hrguard.workflows.models import ProcessInstance, ProcessTemplate, Step

from ..serializers.processes import (
    ActIn,
    Blocked,
    InstanceDetailOut,
    InstanceOut,
    ReasonIn,
    StartIn,
    StepOut,
    TaskList,
    TaskOut,
    TemplateIn,
    TemplateOut,
    TemplateSaved,
    VersionIn,
)
from .base import ApiViewSet

BLOCKED = {**ERRORS, 400: OpenApiResponse(Blocked, description="Invalid input (messages by field), or blocked by a "
                                          "gate: `error` is 'blocked' and `reasons` say why, with links.")}


def blocked(exc: GateBlocked) -> Response:
    return Response({"error": "blocked", "detail": exc.messages[0] if exc.messages else "",
                     "fields": {"non_field_errors": exc.messages},
                     "reasons": [{"text": r.text, "url": r.url} for r in exc.reasons]}, status=400)


def _saved(version: Any, warnings: list[str], status: int) -> Response:
    data = {"template": TemplateOut(version.template).data, "version": version.number, "warnings": warnings}
    return Response(data, status=status)


@extend_schema(tags=["processes"])
class TemplateViewSet(ApiViewSet):
    serializer_class = TemplateOut
    model = ProcessTemplate

    def scoped_queryset(self) -> Any:
        return selectors.templates_for(user=self.request.user)

    @extend_schema(responses={200: TemplateOut(many=True), **READ_ERRORS},
                   description="The company's process templates with their current version.")
    def list(self, request: Request) -> Response:
        rows = list(self.paginate_queryset(self.get_queryset().order_by("id")))
        return self.get_paginated_response(TemplateOut(rows, many=True).data)

    @extend_schema(responses={200: TemplateOut, **READ_ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(TemplateOut(selectors.template_detail(user=request.user, template_id=pk)).data)

    @extend_schema(request=TemplateIn, responses={201: TemplateSaved, **ERRORS},
                   description="A new template (administrators and HR). Validated: cycles, empty parallel groups, "
                   "unknown roles or facts, gates that do not compile and steps no one can act on are refused; "
                   "warnings (e.g. employees without a manager) are returned.")
    def create(self, request: Request) -> Response:
        data = self.parse(TemplateIn)
        version, warnings = editing.create_template(actor=request.user, company=request.user.company,
                                                    key=data["key"], name=data["name"], definition=data["definition"])
        return _saved(version, warnings, 201)

    @extend_schema(request=VersionIn, responses={201: TemplateSaved, **ERRORS},
                   description="Save an edited definition as the next version; running processes keep theirs.")
    @action(detail=True, methods=["post"])
    def versions(self, request: Request, pk: Any = None) -> Response:
        data = self.parse(VersionIn)
        version, warnings = editing.new_version(actor=request.user, template_id=int(pk), **data)
        return _saved(version, warnings, 201)


@extend_schema(tags=["processes"])
class InstanceViewSet(ApiViewSet):
    serializer_class = InstanceOut
    model = ProcessInstance

    def scoped_queryset(self) -> Any:
        return selectors.instances_for(user=self.request.user)

    @extend_schema(responses={200: InstanceOut(many=True), **READ_ERRORS},
                   parameters=[OpenApiParameter("state", str, description="running | completed | rejected | "
                                                "cancelled")],
                   description="Processes of the company (HR), or those you started.")
    def list(self, request: Request) -> Response:
        qs = self.get_queryset()
        state = request.query_params.get("state", "")
        if state:
            qs = qs.filter(state=state)
        rows = list(self.paginate_queryset(qs))
        return self.get_paginated_response(InstanceOut(rows, many=True).data)

    @extend_schema(responses={200: InstanceDetailOut, **READ_ERRORS},
                   description="One process with its steps (durations, pauses); restricted steps are hidden from "
                   "its parties.")
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        d = selectors.instance_detail(user=request.user, instance_id=pk)
        return Response({
            "instance": InstanceOut(d.instance).data, "version": d.instance.template_version.number,
            "steps": StepOut(d.steps, many=True).data,
            "pauses": [p for rows in d.pauses.values() for p in _pauses(rows)],
            "hidden_steps": d.hidden_steps, "can_cancel": d.can_cancel, "actionable": sorted(d.actionable),
        })

    @extend_schema(request=StartIn, responses={201: InstanceDetailOut, **BLOCKED},
                   description="Start a process about an employee (HR, the employee, their manager or HR partner).")
    def create(self, request: Request) -> Response:
        data = self.parse(StartIn)
        employee = people.employee_detail(request.user, data["employee"])
        if employee is None:
            raise Http404
        try:
            instance = services.start(actor=request.user, company=request.user.company,
                                      template_key=data["template_key"], subject=employee, subject_employee=employee,
                                      context=data.get("context") or {}, title=data.get("title", ""))
        except GateBlocked as exc:
            return blocked(exc)
        self.kwargs["pk"] = instance.pk
        response = self.retrieve(request, pk=instance.pk)
        response.status_code = 201
        return response

    @extend_schema(request=ReasonIn, responses={200: InstanceOut, **ERRORS},
                   description="Cancel a running process (its starter or HR), with a reason.")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        data = self.parse(ReasonIn)
        return Response(InstanceOut(services.cancel(actor=request.user, instance_id=int(pk),
                                                    reason=data["reason"])).data)


def _pauses(rows: list[Any]) -> list[dict[str, Any]]:
    from ..serializers.processes import PauseOut

    return list(PauseOut(rows, many=True).data)


@extend_schema(tags=["processes"])
class TaskViewSet(ApiViewSet):
    serializer_class = TaskOut
    model = Step
    pagination_class = None  # a bounded list (``limit``), due first

    def scoped_queryset(self) -> Any:
        return Step.objects.none()  # tasks come from selectors.open_tasks_for (a bounded list)

    @extend_schema(responses={200: TaskList, **READ_ERRORS},
                   parameters=[OpenApiParameter("limit", int, description="At most 200 (default 50)")],
                   description="Your open tasks: steps assigned to you or your role, due first, overdue marked.")
    def list(self, request: Request) -> Response:
        try:
            limit = max(1, min(200, int(request.query_params.get("limit", 50))))
        except ValueError:
            limit = 50
        tasks = selectors.open_tasks_for(user=request.user, limit=limit)
        return Response({"results": TaskOut([t.step for t in tasks], many=True).data})

    def _reply(self, step: Step) -> Response:
        step = Step.objects.select_related("instance__subject_employee", "assignee_user", "acted_by").get(pk=step.pk)
        return Response(TaskOut(step).data)

    @extend_schema(request=ActIn, responses={200: TaskOut, **BLOCKED},
                   description="Approve, reject (a note is required), complete or delegate one of your tasks. "
                   "Acting twice, or on someone else's task, is refused and changes nothing.")
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: Any = None) -> Response:
        data = self.parse(ActIn)
        try:
            step = services.act(actor=request.user, step_id=int(pk), action=data["action"],
                                note=data.get("note", ""), data=data.get("data"),
                                delegate_to=data.get("delegate_to"))
        except GateBlocked as exc:
            return blocked(exc)
        return self._reply(step)

    @extend_schema(request=ReasonIn, responses={200: TaskOut, **ERRORS},
                   description="Pause the step's SLA clock, with a reason (e.g. waiting for the employee).")
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: Any = None) -> Response:
        data = self.parse(ReasonIn)
        return self._reply(services.pause(actor=request.user, step_id=int(pk), reason=data["reason"]))

    @extend_schema(request=ReasonIn, responses={200: TaskOut, **ERRORS},
                   description="Resume the clock; the due date moves by the time paused.")
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: Any = None) -> Response:
        data = self.parse(ReasonIn)
        return self._reply(services.resume(actor=request.user, step_id=int(pk), reason=data["reason"]))
