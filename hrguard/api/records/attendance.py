"""Attendance API: shifts, calendar, punch import (JSON batch or file), daily rows, monthly summary."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.attendance import calendar, importer, selectors, shifts
from hrguard.attendance import jobs as punch_jobs
from hrguard.attendance.models import Shift
from hrguard.core import jobs as core_jobs
from hrguard.core.models import ImportJob
from hrguard.core.validation import parse_month
from hrguard.platform import uploads
from hrguard.platform.api_limits import LimitedFormParser, LimitedJSONParser

from .base import EMPLOYEE_PARAM, ERRORS, READ_ERRORS, ScopedViewSet, int_param, writes
from .serializers import (
    AttendanceDayOut,
    CalendarDayIn,
    CalendarDayOut,
    MonthlyRowOut,
    PunchBatchIn,
    PunchFileIn,
    PunchImportJobOut,
    PunchImportOut,
    ShiftIn,
    ShiftOut,
)


def _need(request: Request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(perm)


def _date(request: Request, name: str, default: dt.date | None = None) -> dt.date:
    raw = request.query_params.get(name)
    if not raw:
        if default is None:
            raise DRFValidationError({name: ["This parameter is required (YYYY-MM-DD)."]})
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise DRFValidationError({name: ["Not a date (YYYY-MM-DD)."]}) from None


@extend_schema(tags=["attendance"])
class ShiftViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ShiftOut
    pagination_class = None
    queryset = Shift.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.shifts(self.request.user)

    @extend_schema(responses={200: ShiftOut(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _need(request, "attendance.manage_attendance")
        return super().list(request, *args, **kwargs)

    @writes(ShiftIn, ShiftOut, 201)
    def create(self, request: Request) -> Response:
        body = ShiftIn(data=request.data)
        body.is_valid(raise_exception=True)
        shift = shifts.save_shift(request.user, request.user.company, dict(body.validated_data))
        return Response(ShiftOut(shift).data, status=201)


@extend_schema(tags=["attendance"])
class CalendarViewSet(viewsets.ViewSet):
    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={200: CalendarDayOut(many=True), **READ_ERRORS},
        description="The company's calendar of one year (seeded on first read; weekends-only fallback "
                    "rows have source=fallback).",
    )
    def list(self, request: Request) -> Response:
        _need(request, "attendance.manage_attendance")
        year = int_param(request, "year") or dt.date.today().year
        if not 2000 <= year <= 2100:
            raise DRFValidationError({"year": ["Between 2000 and 2100."]})
        calendar.ensure_calendar(request.user.company_id, dt.date(year, 1, 1), dt.date(year, 12, 31))
        return Response(CalendarDayOut(selectors.calendar_days(request.user, year), many=True).data)

    @writes(CalendarDayIn, CalendarDayOut, 201)
    def create(self, request: Request) -> Response:
        body = CalendarDayIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        row = calendar.set_day(request.user, request.user.company, data["date"], data["kind"], data.get("name", ""))
        return Response(CalendarDayOut(row).data, status=201)


@extend_schema(tags=["attendance"])
class PunchImportViewSet(ScopedViewSet):
    serializer_class = PunchImportOut
    selector = staticmethod(lambda user: selectors.imports(user))
    parser_classes = [LimitedJSONParser, MultiPartParser, LimitedFormParser]

    def get_queryset(self) -> Any:
        if not getattr(self, "swagger_fake_view", False):
            _need(self.request, "attendance.manage_attendance")
        return super().get_queryset()

    @writes(PunchBatchIn, PunchImportOut, 201, description=(
        "Import punches sent as JSON (e.g. by a clock gateway). All or nothing: any bad row refuses the "
        "batch with every problem listed; duplicates are skipped and counted."))
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request: Request) -> Response:
        body = PunchBatchIn(data=request.data)
        body.is_valid(raise_exception=True)
        rows = importer.api_rows(body.validated_data["punches"])
        result = importer.import_punches(request.user, request.user.company, rows, source="api")
        return Response(PunchImportOut(result).data, status=201)

    @extend_schema(request={"multipart/form-data": PunchFileIn}, responses={202: PunchImportJobOut, **ERRORS},
                   description="Import a clock's export file (CSV or Excel) with a device profile's mapping. The "
                               "file is checked (size, content type) and handed to the background worker; poll "
                               "the returned job at /api/v1/activity/punch-import-jobs/{id}/.")
    def create(self, request: Request) -> Response:
        body = PunchFileIn(data=request.data)
        body.is_valid(raise_exception=True)
        user = request.user
        _need(request, "attendance.manage_attendance")
        if body.validated_data.get("profile"):
            profile = selectors.profiles(user).filter(pk=body.validated_data["profile"]).first()
            if profile is None:
                raise DRFValidationError({"profile": ["Unknown device profile."]})
        else:
            profile = importer.get_default_profile(user.company)
        upload = body.validated_data["file"]
        content = uploads.read(upload)
        try:
            uploads.check(upload.name, content, uploads.SPREADSHEETS)
        except uploads.UploadError as exc:
            raise DRFValidationError({"file": [str(exc)]}) from exc
        job = core_jobs.create(user, punch_jobs.KIND, content, upload.name, hashlib.sha256(content).hexdigest(),
                               params={"profile": profile.pk}, step="import")
        job.refresh_from_db()  # the immediate worker (tests, one-box setups) may have finished it already
        return Response(PunchImportJobOut(job).data, status=202)


@extend_schema(tags=["attendance"])
class PunchImportJobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own punch file imports (status, progress, report)."""

    serializer_class = PunchImportJobOut
    lookup_value_regex = "[0-9]{1,18}"

    @extend_schema(responses={200: PunchImportJobOut, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        _need(self.request, "attendance.manage_attendance")
        return core_jobs.visible(self.request.user).filter(kind=punch_jobs.KIND)


@extend_schema(tags=["attendance"])
@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("start", dt.date, required=True), OpenApiParameter("end", dt.date), EMPLOYEE_PARAM,
    OpenApiParameter("status", str),
]))
class AttendanceDayViewSet(ScopedViewSet):
    serializer_class = AttendanceDayOut
    selector = staticmethod(selectors.days)

    def filters(self) -> dict[str, Any]:
        start = _date(self.request, "start")
        end = _date(self.request, "end", start)
        if end < start or (end - start).days > 62:
            raise DRFValidationError({"end": ["At most 62 days from the start."]})
        return {"start": start, "end": end, "employee_id": int_param(self.request, "employee"),
                "status": self.request.query_params.get("status", "")}

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        if self.action == "retrieve":  # one day by id: the period filters are for the list only
            return selectors.visible_days(self.request.user)
        return selectors.days(self.request.user, **self.filters())


@extend_schema(tags=["attendance"])
class MonthlySummaryViewSet(viewsets.ViewSet):
    @extend_schema(
        parameters=[OpenApiParameter("month", str, required=True, description="YYYY-MM"), EMPLOYEE_PARAM],
        responses={200: MonthlyRowOut(many=True), **READ_ERRORS},
        description="Per employee: late/early/absent/missing/leave days and overtime, with flags against the "
                    "statutory overtime limits (Labor Law Art. 41).",
    )
    def list(self, request: Request) -> Response:
        year, month = parse_month(request.query_params.get("month", ""))
        rows = selectors.monthly_summary(request.user, year, month, employee_id=int_param(request, "employee"))
        return Response(MonthlyRowOut(rows[:5000], many=True).data)
