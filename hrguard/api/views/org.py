"""Departments (tree), positions, the clause library, and the signed-in user (me/)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrguard.configuration import org
from hrguard.core.models import Department, Position
from hrguard.people import contracts, queries_ui, selectors
from hrguard.people.models import ClauseTemplate
from hrguard.platform.api_limits import UserThrottle

from ..schema import ApiSchema
from ..serializers.contracts import ClauseTemplateIn, ClauseTemplateOut
from ..serializers.org import DepartmentIn, DepartmentNode, DepartmentOut, MeOut, PositionIn, PositionOut
from .base import ApiViewSet, CompanyMember


def _one(qs: Any, pk: Any) -> Any:
    found = qs.filter(pk=int(pk)).first()
    if found is None:
        raise Http404
    return found


@extend_schema(tags=["organisation"])
class DepartmentViewSet(ApiViewSet):
    serializer_class = DepartmentOut
    model = Department

    def scoped_queryset(self) -> Any:
        return selectors.departments(self.request.user)

    @extend_schema(description="Departments of the company in tree order (by path); `depth` 0 is a root.")
    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DepartmentOut(rows, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(DepartmentOut(_one(self.get_queryset(), pk)).data)

    @extend_schema(request=DepartmentIn, responses={201: DepartmentOut},
                   description="HR or the company administrator adds a department (the settings page's service, "
                               "`configuration.manage_org`).")
    def create(self, request: Request) -> Response:
        data = self.parse(DepartmentIn)
        dept = org.create_department(actor=request.user, name=data.get("name", ""), parent_id=data.get("parent"),
                                     code=data.get("code", ""), cost_center=data.get("cost_center", ""))
        return Response(DepartmentOut(_one(self.get_queryset(), dept.pk)).data, status=201)

    @extend_schema(responses={200: DepartmentNode(many=True)}, description="The whole department tree, nested.")
    @action(detail=False, methods=["get"], pagination_class=None)
    def tree(self, request: Request) -> Response:
        rows = self.get_queryset().select_related(None).only("id", "name", "code", "parent_id", "path")
        return Response(build_tree(rows))


def build_tree(departments: Any) -> list[dict[str, Any]]:
    """Nest departments (read in path order, one query) under their parents."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for dept in departments:
        node = {"id": dept.pk, "name": dept.name, "code": dept.code, "children": []}
        nodes[dept.pk] = node
        parent = nodes.get(dept.parent_id) if dept.parent_id else None
        (parent["children"] if parent else roots).append(node)
    return roots


@extend_schema(tags=["organisation"])
class PositionViewSet(ApiViewSet):
    serializer_class = PositionOut
    model = Position

    def scoped_queryset(self) -> Any:
        return selectors.positions(self.request.user)

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PositionOut(rows, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(PositionOut(_one(self.get_queryset(), pk)).data)

    @extend_schema(request=PositionIn, responses={201: PositionOut},
                   description="HR or the company administrator adds a position (the settings page's service, "
                               "`configuration.manage_org`).")
    def create(self, request: Request) -> Response:
        position = org.save_position(actor=request.user, data=self.parse(PositionIn))
        return Response(PositionOut(position).data, status=201)


@extend_schema(tags=["contracts"])
class ClauseTemplateViewSet(ApiViewSet):
    """The company's clause library (HR)."""

    serializer_class = ClauseTemplateOut
    model = ClauseTemplate

    def scoped_queryset(self) -> Any:
        if not self.request.user.has_perm("people.manage_clauses"):
            raise PermissionDenied
        return selectors.clause_templates(self.request.user)

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ClauseTemplateOut(rows, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ClauseTemplateOut(_one(self.get_queryset(), pk)).data)

    @extend_schema(request=ClauseTemplateIn, responses={201: ClauseTemplateOut}, description="HR adds a clause.")
    def create(self, request: Request) -> Response:
        tpl = contracts.save_clause_template(request.user, request.user.company, self.parse(ClauseTemplateIn))
        return Response(ClauseTemplateOut(tpl).data, status=201)


ME_PERMISSIONS = (
    "people.add_employee", "people.import_employees", "people.export_employees", "people.manage_clauses",
    "evidence.verify",
)


class MeView(APIView):
    permission_classes = [CompanyMember]
    throttle_classes = [UserThrottle]
    schema = ApiSchema()

    @extend_schema(tags=["me"], responses={200: MeOut}, description="The signed-in user, role and own record.")
    def get(self, request: Request) -> Response:
        user = request.user
        employee = queries_ui.own_employee(user)
        me = SimpleNamespace(
            id=user.pk, username=user.get_username(), role=user.role, role_label=user.role_label,
            company=user.company, employee=employee,
            permissions={perm: user.has_perm(perm) for perm in ME_PERMISSIONS},
        )
        return Response(MeOut(me).data)

