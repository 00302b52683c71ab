"""REST API of cases (/api/v1/cases/): list and retrieve what the user may see (parties and lower
confidentiality never), open a case (HR), close with a root cause, reopen, link a record, add a party.
Thin: serializers parse, services act, selectors scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.people import selectors as people_selectors
from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS

from . import selectors, services
from .models import Case, Confidentiality, PartyKind, RootCause


class CaseSerializer(serializers.ModelSerializer):
    handling_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "case_type", "title", "category", "confidentiality", "subject_employee", "state",
                  "process", "opened_at", "closed_at", "handling_seconds", "root_cause", "review_notes",
                  "reopen_count"]

    def get_handling_seconds(self, obj: Case) -> int:
        return selectors.handling_seconds(obj)


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="step.pk")
    key = serializers.CharField(source="step.key")
    name = serializers.CharField(source="step.name")
    state = serializers.CharField(source="step.state")
    assignee_role = serializers.CharField(source="step.assignee_role", allow_blank=True)
    assignee_user = serializers.IntegerField(source="step.assignee_user_id", allow_null=True)
    due_at = serializers.DateTimeField(source="step.due_at", allow_null=True)
    closed_at = serializers.DateTimeField(source="step.closed_at", allow_null=True)
    overdue = serializers.BooleanField()
    paused = serializers.BooleanField()


class PartySerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="employee_id")
    name = serializers.CharField(source="employee.name")
    kind = serializers.CharField()


class LinkSerializer(serializers.Serializer):
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    label = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)


class CaseDetailSerializer(CaseSerializer):
    steps = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "description", "steps", "parties", "links"]

    def _detail(self, obj: Case) -> selectors.CaseDetail:
        cache = self.context.setdefault("_details", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.case_detail(self.context["request"].user, obj.pk)
        return cache[obj.pk]

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, obj: Case) -> Any:
        return StepSerializer(self._detail(obj).steps, many=True).data

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, obj: Case) -> Any:
        return PartySerializer(self._detail(obj).parties, many=True).data

    @extend_schema_field(LinkSerializer(many=True))
    def get_links(self, obj: Case) -> Any:
        return LinkSerializer(self._detail(obj).links, many=True).data


class LinkInput(serializers.Serializer):
    target_type = serializers.CharField(max_length=60)
    target_id = serializers.CharField(max_length=64)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    url = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CreateCaseSerializer(serializers.Serializer):
    case_type = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(choices=Confidentiality.values, required=False,
                                              default=Confidentiality.NORMAL)
    subject_employee = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    complainants = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                         required=False, max_length=20, default=list)
    witnesses = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                      required=False, max_length=20, default=list)
    links = LinkInput(many=True, required=False, max_length=20, default=list)


class CloseSerializer(serializers.Serializer):
    root_cause = serializers.ChoiceField(choices=RootCause.values)
    review_notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class PartyInput(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=[PartyKind.COMPLAINANT.value, PartyKind.WITNESS.value])


def _employee(user: Any, pk: int) -> Any:
    employee = people_selectors.employee_detail(user, pk)
    if employee is None:
        raise NotFound()
    return employee


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = "[0-9]{1,18}"

    def get_serializer_class(self) -> Any:
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return selectors.visible_cases(self.request.user).order_by("-opened_at", "-id")

    def _detail_response(self, case_id: int, code: int = status.HTTP_200_OK) -> Response:
        case = selectors.case_for(self.request.user, case_id)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=code)

    @extend_schema(responses={200: CaseSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: CaseDetailSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = selectors.case_for(request.user, kwargs.get("pk"))
        services.record_view(actor=request.user, case=case)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=CreateCaseSerializer, responses={201: CaseDetailSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = CreateCaseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        user = request.user
        subject = _employee(user, d.pop("subject_employee")) if d.get("subject_employee") else None
        d.pop("subject_employee", None)
        case = services.open_case(
            actor=user, subject_employee=subject, complainants=[_employee(user, pk) for pk in d.pop("complainants")],
            witnesses=[_employee(user, pk) for pk in d.pop("witnesses")], links=[dict(x) for x in d.pop("links")],
            **d)
        return self._detail_response(case.pk, status.HTTP_201_CREATED)

    @extend_schema(request=CloseSerializer, responses={200: CaseDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        ser = CloseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.close_case(actor=request.user, case_id=int(pk or 0), **ser.validated_data)
        return self._detail_response(int(pk or 0))

    @extend_schema(request=ReopenSerializer, responses={200: CaseDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        ser = ReopenSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.reopen_case(actor=request.user, case_id=int(pk or 0), **ser.validated_data)
        return self._detail_response(int(pk or 0))

    @extend_schema(request=LinkInput, responses={200: CaseDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: str | None = None) -> Response:
        ser = LinkInput(data=request.data)
        ser.is_valid(raise_exception=True)
        services.link(actor=request.user, case_id=int(pk or 0), **ser.validated_data)
        return self._detail_response(int(pk or 0))

    @extend_schema(request=PartyInput, responses={200: CaseDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def parties(self, request: Request, pk: str | None = None) -> Response:
        ser = PartyInput(data=request.data)
        ser.is_valid(raise_exception=True)
        services.add_party(actor=request.user, case_id=int(pk or 0),
                           employee=_employee(request.user, ser.validated_data["employee"]),
                           kind=ser.validated_data["kind"])
        return self._detail_response(int(pk or 0))
