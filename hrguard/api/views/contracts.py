"""Labor contracts: list (optionally of one employee), detail, creation with clauses from the library
and key flags, changing a clause's key flag, supplementary agreements."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from hrguard.people import contracts, selectors
from hrguard.people.models import Contract

from ..schema import error_response
from ..serializers.common import id_field
from ..serializers.contracts import ClauseKeyIn, ContractIn, ContractOut, SupplementaryIn, SupplementaryOut
from .base import ApiViewSet, visible_employee


class ContractQuery(Serializer):
    employee = id_field(required=False, help_text="Only this employee's contracts")


@extend_schema(tags=["contracts"])
class ContractViewSet(ApiViewSet):
    serializer_class = ContractOut
    model = Contract

    def scoped_queryset(self) -> Any:
        return selectors.visible_contracts(self.request.user)

    def _contract(self, pk: Any) -> Any:
        found = self.get_queryset().filter(pk=int(pk)).first()
        if found is None:
            raise Http404
        return found

    @extend_schema(
        parameters=[ContractQuery],
        description="Contracts the user may see (HR: the company; HR partner: their departments; "
        "employee: their own), newest first, with clauses and supplementary agreements.",
    )
    def list(self, request: Request) -> Response:
        employee_id = self.parse(ContractQuery, request.query_params).get("employee")
        rows = self.paginate_queryset(selectors.visible_contracts(request.user, employee_id))
        return self.get_paginated_response(ContractOut(rows, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ContractOut(self._contract(pk)).data)

    @extend_schema(
        request=ContractIn, responses={201: ContractOut, 404: error_response(404)},
        description="HR signs a contract with a visible employee; statutory probation limits are checked. "
        "`clauses` picks clauses from the library, each optionally flagged as a key clause.",
    )
    def create(self, request: Request) -> Response:
        data = self.parse(ContractIn)
        employee = visible_employee(request, data.pop("employee"))
        chosen = [(c["template"], c["is_key"]) for c in data.pop("clauses", None) or []]
        contract = contracts.create_contract(request.user, employee, data, chosen)
        return Response(ContractOut(self._contract(contract.pk)).data, status=201)

    @extend_schema(request=ClauseKeyIn, responses={200: ContractOut}, description="Flag or unflag a key clause.")
    @action(detail=True, methods=["post"], url_path="clause-key")
    def clause_key(self, request: Request, pk: Any = None) -> Response:
        contract = self._contract(pk)
        data = self.parse(ClauseKeyIn)
        clause = selectors.clause_of(contract, data["clause"])
        if clause is None:
            raise Http404
        contracts.set_clause_key(request.user, clause, data["is_key"])
        return Response(ContractOut(self._contract(pk)).data)

    @extend_schema(methods=["GET"], responses={200: SupplementaryOut(many=True)},
                   description="Supplementary agreements of the contract.")
    @extend_schema(methods=["POST"], request=SupplementaryIn, responses={201: SupplementaryOut},
                   description="HR adds a supplementary agreement (补充协议).")
    @action(detail=True, methods=["get", "post"], pagination_class=None, serializer_class=SupplementaryOut)
    def supplements(self, request: Request, pk: Any = None) -> Response:
        contract = self._contract(pk)
        if request.method == "POST":
            agreement = contracts.add_supplementary(request.user, contract, self.parse(SupplementaryIn))
            return Response(SupplementaryOut(agreement).data, status=201)
        return Response(SupplementaryOut(contract.supplements.all(), many=True).data)
