"""REST API of early warning: /api/v1/risk/rules/ (list with precision, create / new version) and
/api/v1/risk/alerts/ (list, one alert — a view is evidence —, triage). Thin: serializers parse,
services act, selectors scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS

from . import selectors, services
from .models import Alert, AlertStatus, Outcome, Purpose, Severity


class RuleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="rule.pk")
    key = serializers.CharField(source="rule.key")
    active = serializers.BooleanField(source="rule.active")
    version = serializers.IntegerField(source="version.number", allow_null=True)
    name = serializers.CharField(source="version.name", allow_null=True)
    expression = serializers.CharField(source="version.expression", allow_null=True)
    severity = serializers.CharField(source="version.severity", allow_null=True)
    purposes = serializers.ListField(child=serializers.CharField(), source="version.purposes", allow_null=True)
    manager_visible = serializers.BooleanField(source="version.manager_visible", allow_null=True)
    acted = serializers.IntegerField()
    dismissed = serializers.IntegerField()
    open = serializers.IntegerField()
    precision = serializers.FloatField(allow_null=True)


class RuleWriteSerializer(serializers.Serializer):
    rule = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                    help_text="Empty: a new rule; otherwise a new version of this rule.")
    key = serializers.SlugField(required=False, max_length=60)
    name = serializers.CharField(max_length=100)
    expression = serializers.CharField(max_length=2000)
    severity = serializers.ChoiceField(choices=Severity.values)
    explanation = serializers.CharField(max_length=500)
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=Purpose.values), max_length=10)
    manager_visible = serializers.BooleanField(required=False, default=False)
    accept_share = serializers.BooleanField(required=False, default=False)


class RuleViewSet(viewsets.GenericViewSet):
    serializer_class = RuleSerializer
    pagination_class = None  # the company's rules, a short list answered whole

    @extend_schema(responses={200: RuleSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request) -> Response:
        if not request.user.has_perm("risk.manage_rules"):
            raise PermissionDenied
        return Response(RuleSerializer(selectors.rules_for(request.user), many=True).data)

    @extend_schema(request=RuleWriteSerializer, responses={201: RuleSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        ser = RuleWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        version = services.save_rule(actor=request.user, rule_id=d.pop("rule", None), **d)
        row = next(r for r in selectors.rules_for(request.user) if r.rule.pk == version.rule_id)
        return Response(RuleSerializer(row).data, status=status.HTTP_201_CREATED)


class AlertSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    rule = serializers.CharField(source="rule.key", read_only=True)
    rule_name = serializers.CharField(source="version.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "employee", "employee_no", "employee_name", "rule", "rule_name", "version", "as_of",
                  "raised_at", "severity", "explanation", "status", "outcome", "link_type", "link_id", "link_url"]


class AlertDetailSerializer(AlertSerializer):
    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "facts", "reason", "triaged_at"]


class TriageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED, AlertStatus.ACTED])
    outcome = serializers.ChoiceField(choices=Outcome.values, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    link_url = serializers.CharField(required=False, allow_blank=True, max_length=300)


class AlertViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = AlertSerializer

    def get_queryset(self) -> QuerySet[Alert]:
        if getattr(self, "swagger_fake_view", False):
            return Alert.objects.none()
        if not self.request.user.has_perm("risk.view_alerts"):
            raise PermissionDenied
        q = self.request.query_params
        return selectors.alerts_for(self.request.user, status=q.get("status", ""), rule=q.get("rule", "")[:60],
                                    severity=q.get("severity", "")[:8])

    @extend_schema(responses={200: AlertSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        if rows:
            services.record_list_view(actor=request.user, alert_ids=[r["id"] for r in rows],
                                      filters={k: str(v)[:60] for k, v in request.query_params.items()})
        return response

    @extend_schema(responses={200: AlertDetailSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        alert = selectors.alert_for(request.user, pk)
        services.record_view(actor=request.user, alert=alert)
        return Response(AlertDetailSerializer(alert).data)

    @extend_schema(request=TriageSerializer, responses={200: AlertDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: str | None = None) -> Response:
        ser = TriageSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if d["status"] == AlertStatus.ACKNOWLEDGED:
            alert = services.acknowledge(actor=request.user, alert_id=pk, note=d.get("note", ""))
        elif d["status"] == AlertStatus.DISMISSED:
            alert = services.dismiss(actor=request.user, alert_id=pk, reason=d.get("reason", ""))
        else:
            alert = services.act_on_alert(actor=request.user, alert_id=pk, outcome=d.get("outcome", ""),
                                          note=d.get("note", ""), link=d.get("link_url") or None)
        return Response(AlertDetailSerializer(alert).data)
