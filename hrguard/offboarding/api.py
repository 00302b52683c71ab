"""REST API of offboarding (/api/v1/exits/): exit cases with their gates and steps; create (HR starts an
exit; the law's refusals come back as 400 with the article named). Thin: serializers parse, services act,
selectors scope every query to the user's company."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrguard.law.termination import Ground, Protection
from hrguard.people import selectors as people_selectors
from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS

from . import exit_documents, processes, selectors, services, si_export
from .models import Exit, ExitItem, ExitKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExitListSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = Exit
        fields = ["id", "employee", "employee_no", "employee_name", "kind", "ground", "persuasion", "pay_in_lieu",
                  "notice_date", "earliest_last_day", "last_day", "state", "employment_ended", "cleared_at",
                  "template_key", "process", "submitted_by_employee", "created_at", "completed_at",
                  "retention_until"]


class ReasonSerializer(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class GateSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)


class ExitStepSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    key = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    assignee_user = serializers.IntegerField(source="assignee_user_id", allow_null=True)
    assignee_role = serializers.CharField(allow_blank=True)
    due_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExitItem
        fields = ["id", "kind", "name", "detail", "receiver", "receiver_role", "state", "confirmed_by", "confirmed_at",
                  "note"]


class ExitDetailSerializer(ExitListSerializer):
    gates = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta(ExitListSerializer.Meta):
        fields = [*ExitListSerializer.Meta.fields, "protections", "union_notified_on", "gates", "steps", "items"]

    def _detail(self, obj: Exit) -> selectors.ExitDetail:
        cache = self.context.setdefault("_details", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.exit_detail(self.context["request"].user, obj.pk)
        return cache[obj.pk]

    @extend_schema_field(GateSerializer(many=True))
    def get_gates(self, obj: Exit) -> list[dict[str, Any]]:
        return GateSerializer(self._detail(obj).gates, many=True).data  # type: ignore[return-value]

    @extend_schema_field(ExitStepSerializer(many=True))
    def get_steps(self, obj: Exit) -> list[dict[str, Any]]:
        process = self._detail(obj).process
        return ExitStepSerializer(process.steps if process else [], many=True).data  # type: ignore[return-value]

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, obj: Exit) -> list[dict[str, Any]]:
        return ItemSerializer(self._detail(obj).items, many=True).data  # type: ignore[return-value]


class CreateExitSerializer(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=ExitKind.values)
    ground = serializers.ChoiceField(choices=[g.value for g in Ground], required=False, allow_blank=True)
    notice_date = serializers.DateField()
    last_day = serializers.DateField(required=False, allow_null=True,
                                     help_text="Empty: the earliest day the law allows.")
    persuasion = serializers.BooleanField(required=False, default=False)
    pay_in_lieu = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    protections = serializers.ListField(child=serializers.ChoiceField(choices=[p.value for p in Protection]),
                                        required=False, max_length=10)
    union_notified_on = serializers.DateField(required=False, allow_null=True)
    union_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    variant = serializers.ChoiceField(choices=list(processes.VARIANTS), required=False, default="")


class ExitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = "[0-9]{1,18}"

    def get_serializer_class(self) -> Any:
        return ExitDetailSerializer if self.action == "retrieve" else ExitListSerializer

    def get_queryset(self) -> QuerySet[Exit]:
        if getattr(self, "swagger_fake_view", False):
            return Exit.objects.none()
        return selectors.exits_for(self.request.user).order_by("-pk")

    @extend_schema(responses={200: ExitListSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ExitDetailSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        exit_ = selectors.exit_for(request.user, kwargs.get("pk"))
        return Response(ExitDetailSerializer(exit_, context=self.get_serializer_context()).data)

    @extend_schema(request=CreateExitSerializer, responses={201: ExitDetailSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = CreateExitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        employee = people_selectors.employee_detail(request.user, d.pop("employee"))
        if employee is None:
            raise NotFound()
        exit_ = services.start_exit(actor=request.user, employee=employee, **d)
        return Response(ExitDetailSerializer(exit_, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class ExitDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="link.pk")
    kind = serializers.CharField(source="link.kind")
    envelope = serializers.IntegerField(source="envelope.pk")
    document_id = serializers.CharField(source="envelope.document_id")
    title = serializers.CharField(source="envelope.request.title")
    state = serializers.ChoiceField(choices=list(exit_documents.STATE_LABELS))
    sent_at = serializers.DateTimeField(source="envelope.sent_at")
    opened_at = serializers.DateTimeField(source="envelope.opened_at", allow_null=True)
    signed_at = serializers.DateTimeField(source="envelope.signed_at", allow_null=True)
    reminded_at = serializers.DateTimeField(source="envelope.reminded_at", allow_null=True)
    hr_warned_at = serializers.DateTimeField(source="envelope.hr_warned_at", allow_null=True)
    fallback_opened_at = serializers.DateTimeField(source="envelope.fallback_opened_at", allow_null=True)


class ProposalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    why = serializers.CharField()
    proposed = serializers.BooleanField()
    sent = serializers.BooleanField()
    values = serializers.DictField(child=serializers.CharField(allow_blank=True))


class ExitDocumentsSerializer(serializers.Serializer):
    documents = ExitDocumentSerializer(many=True)
    proposals = ProposalSerializer(many=True)


class SendDocumentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[str(k) for k in exit_documents.EXIT_KINDS])
    channels = serializers.ListField(child=serializers.ChoiceField(choices=list(exit_documents.CHANNELS)),
                                     min_length=1, max_length=6)
    values = serializers.DictField(child=serializers.CharField(max_length=2000, allow_blank=True), required=False,
                                   help_text="reason, effective_date, amount, items; empty: filled from the exit.")
    days = serializers.IntegerField(min_value=1, max_value=30, required=False, default=exit_documents.DEFAULT_DAYS)


def _documents_payload(user: Any, exit_: Exit) -> dict[str, Any]:
    rows = exit_documents.rows_of(exit_)
    return {"documents": rows,
            "proposals": exit_documents.proposals(exit_, [r.link for r in rows])
            if user.has_perm("offboarding.manage_exit", exit_) else []}


class ExitDocumentsMixin:
    @extend_schema(methods=["GET"], responses={200: ExitDocumentsSerializer, **READ_ERRORS},
                   summary="The exit's documents with their signing state, and the documents it needs")
    @extend_schema(methods=["POST"], request=SendDocumentSerializer, responses={201: ExitDocumentSerializer, **ERRORS},
                   summary="Send one of the exit's documents for remote signature")
    @action(detail=True, methods=["get", "post"], url_path="documents")
    def documents(self, request: Request, pk: Any = None) -> Response:
        exit_ = selectors.exit_for(request.user, pk)
        if not request.user.has_perm("offboarding.manage_exit", exit_):
            raise PermissionDenied()
        if request.method == "GET":
            return Response(ExitDocumentsSerializer(_documents_payload(request.user, exit_)).data)
        ser = SendDocumentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        link = exit_documents.send(actor=request.user, exit_id=exit_.pk, kind=d["kind"], channels=d["channels"],
                                   values=d.get("values") or {}, days=d["days"])
        row = next(r for r in exit_documents.rows_of(link.exit) if r.link.pk == link.pk)
        return Response(ExitDocumentSerializer(row).data, status=status.HTTP_201_CREATED)


class ExitViewSetWithDocuments(ExitDocumentsMixin, ExitViewSet):
    """/api/v1/exits/ with /api/v1/exits/{id}/documents/."""


class SIReductionsView(APIView):
    """GET /api/v1/exits/si-reductions/?from=&to=&layout= — the 社保减员 (or 退工登记, by layout) list as Excel."""

    @extend_schema(
        parameters=[OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First last day"),
                    OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Last last day"),
                    OpenApiParameter("layout", OpenApiTypes.STR, required=False,
                                     description="Layout key: generic, shanghai, beijing, shenzhen, filing or the "
                                                 "company's own")],
        responses={(200, XLSX): OpenApiTypes.BINARY, **ERRORS},
        summary="Social-insurance reduction list of the employments ending in the range (Excel)")
    def get(self, request: Request) -> HttpResponse:
        if not si_export.may_export(request.user):
            raise PermissionDenied()
        q = request.query_params
        result, content = si_export.export(actor=request.user, date_from=q.get("from"), date_to=q.get("to"),
                                           layout=str(q.get("layout") or "generic")[:40])
        resp = HttpResponse(content, content_type=XLSX)
        resp["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return resp
