"""Departments, positions and the current user (me/)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hrguard.core.models import Department, Position

from .common import Ref, id_field, text
from .employees import EmployeeOut


class DepartmentOut(serializers.ModelSerializer):
    depth = serializers.SerializerMethodField()
    manager = Ref(read_only=True, allow_null=True)

    class Meta:
        model = Department
        fields = ("id", "name", "code", "parent", "path", "depth", "manager", "hrbp", "cost_center")
        read_only_fields = fields

    def get_depth(self, dept: Department) -> int:
        """0 for a root department."""
        return max(dept.path.count("/") - 2, 0)


class DepartmentNode(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    children = serializers.ListField(child=serializers.DictField(), help_text="Nested nodes of the same shape")


class DepartmentIn(serializers.Serializer):
    name = text()
    code = text()
    parent = id_field(required=False, allow_null=True, help_text="Parent department id; empty for a root")
    cost_center = text()


class PositionOut(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ("id", "name", "code", "level", "department", "is_core", "headcount", "confidentiality_duty")
        read_only_fields = fields


class PositionIn(serializers.Serializer):
    name = text()
    code = text()
    level = text()
    department = id_field(required=False, allow_null=True)
    is_core = serializers.BooleanField(required=False, default=False)
    headcount = serializers.IntegerField(required=False, default=1)
    confidentiality_duty = serializers.BooleanField(required=False, default=False)


class CompanyRef(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MeOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    company = CompanyRef(allow_null=True)
    employee = EmployeeOut(allow_null=True, help_text="The user's own employee record (masked), if any")
    permissions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=serializers.BooleanField()))
    def get_permissions(self, me: Any) -> dict[str, bool]:
        return me.permissions

