"""Leave API: requests (create, approve, reject, cancel) and balances."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.leave import selectors, services

from .base import EMPLOYEE_PARAM, READ_ERRORS, ScopedViewSet, employee_for, int_param, writes
from .serializers import BalanceOut, LeaveIn, LeaveOut, NoteIn


@extend_schema(tags=["leave"], parameters=[EMPLOYEE_PARAM, OpenApiParameter("status", str)])
class LeaveRequestViewSet(ScopedViewSet):
    serializer_class = LeaveOut
    selector = staticmethod(selectors.requests)

    def filters(self) -> dict[str, Any]:
        return {"employee_id": int_param(self.request, "employee"),
                "status": self.request.query_params.get("status", "")}

    @writes(LeaveIn, LeaveOut, 201, description="Request leave (for yourself, or HR for an employee). Refused "
            "with field messages when dates overlap other leave or exceed the balance.")
    def create(self, request: Request) -> Response:
        body = LeaveIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        employee = employee_for(request, data.pop("employee", None))
        return self.reply(services.request_leave(request.user, employee, data), 201)

    def _pending(self, pk: Any) -> Any:
        leave = selectors.request_for(self.request.user, pk)
        if leave is None:
            raise Http404
        return leave  # the service checks who may decide

    @writes(NoteIn, LeaveOut)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        body = NoteIn(data=request.data)
        body.is_valid(raise_exception=True)
        leave = services.decide_leave(request.user, self._pending(pk), True, body.validated_data.get("decision_note"))
        return self.reply(leave)

    @writes(NoteIn, LeaveOut)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        body = NoteIn(data=request.data)
        body.is_valid(raise_exception=True)
        leave = services.decide_leave(request.user, self._pending(pk), False, body.validated_data.get("decision_note"))
        return self.reply(leave)

    @writes(NoteIn, LeaveOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        body = NoteIn(data=request.data)
        body.is_valid(raise_exception=True)
        leave = selectors.request_for(request.user, pk)
        if leave is None:
            raise Http404
        return self.reply(services.cancel_leave(request.user, leave, body.validated_data.get("decision_note")))


@extend_schema(tags=["leave"])
class LeaveBalanceViewSet(viewsets.ViewSet):
    @extend_schema(parameters=[EMPLOYEE_PARAM, OpenApiParameter("year", int)],
                   responses={200: BalanceOut(many=True), **READ_ERRORS})
    def list(self, request: Request) -> Response:
        employee = employee_for(request, request.query_params.get("employee"))
        if not request.user.has_perm("leave.view_leave", employee):
            raise Http404
        year = int_param(request, "year") or timezone.localdate().year
        rows = selectors.balances(employee, max(2000, min(year, 2100)))
        return Response(BalanceOut([r.__dict__ | {"available": r.available} for r in rows], many=True).data)
