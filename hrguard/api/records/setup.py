"""API of the remaining activity records: punch device profiles (column mappings per clock model) and
dismissal reviews opened by the escalation ladder."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.attendance import profiles
from hrguard.attendance import selectors as attendance
from hrguard.attendance.models import PunchDeviceProfile
from hrguard.discipline import selectors as discipline
from hrguard.discipline import violations
from hrguard.discipline.models import DisciplineReview

from .base import EMPLOYEE_PARAM, ScopedViewSet, int_param, writes


class ProfileOut(serializers.ModelSerializer):
    class Meta:
        model = PunchDeviceProfile
        fields = ("id", "name", *profiles.COLUMNS, "has_header", "datetime_format")
        read_only_fields = fields


class ProfileIn(serializers.Serializer):
    name = serializers.CharField(help_text="Device model, e.g. 中控 iFace702")
    employee_column = serializers.CharField(help_text="Header text (工号) or 1-based column number")
    datetime_column = serializers.CharField(required=False, allow_blank=True)
    date_column = serializers.CharField(required=False, allow_blank=True)
    time_column = serializers.CharField(required=False, allow_blank=True)
    direction_column = serializers.CharField(required=False, allow_blank=True)
    has_header = serializers.BooleanField(required=False, default=True)
    datetime_format = serializers.CharField(required=False, allow_blank=True, help_text="strftime pattern")


class ReviewCaseOut(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True, help_text="Open until its process ends with an outcome")
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True, default="")

    class Meta:
        model = DisciplineReview
        fields = ("id", "employee", "employee_no", "employee_name", "rule", "rule_name", "violation_ids",
                  "opened_at", "is_open", "outcome")
        read_only_fields = fields


class CloseReviewIn(serializers.Serializer):
    outcome = serializers.CharField()


def _body(serializer: Any, request: Request) -> dict[str, Any]:
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@extend_schema(tags=["attendance"])
class ProfileViewSet(ScopedViewSet):
    """Column mappings of clock exports, per device model (HR only)."""

    serializer_class = ProfileOut
    selector = staticmethod(attendance.profiles)

    def get_queryset(self) -> Any:
        if not getattr(self, "swagger_fake_view", False) and not self.request.user.has_perm(
            "attendance.manage_attendance"
        ):
            raise PermissionDenied("attendance.manage_attendance")
        return super().get_queryset()

    @writes(ProfileIn, ProfileOut, 201, description="Create or update (by name) a device model's column mapping.")
    def create(self, request: Request) -> Response:
        profile = profiles.save_profile(request.user, request.user.company, _body(ProfileIn, request))
        return self.reply(profile, 201)


@extend_schema(tags=["discipline"], parameters=[EMPLOYEE_PARAM, OpenApiParameter("open", bool)])
class DisciplineReviewViewSet(ScopedViewSet):
    """Dismissal reviews opened by the escalation ladder (HR, legal, compliance)."""

    serializer_class = ReviewCaseOut
    selector = staticmethod(discipline.reviews)

    def filters(self) -> dict[str, Any]:
        return {"employee_id": int_param(self.request, "employee"),
                "open_only": self.request.query_params.get("open", "") in ("1", "true")}

    @writes(CloseReviewIn, ReviewCaseOut, description="Close the review with its outcome.")
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        review = discipline.reviews(request.user, open_only=False).filter(pk=pk).first()
        if review is None:
            raise Http404
        return self.reply(violations.close_review(request.user, review, _body(CloseReviewIn, request)["outcome"]))


__all__ = ["DisciplineReviewViewSet", "ProfileViewSet"]
