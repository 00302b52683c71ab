"""What every view of the people/org API shares: company members only, documented errors, bounded ids."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from hrguard.people import selectors
from hrguard.people.models import Employee
from hrguard.platform.api_limits import LimitedJSONParser, UserThrottle

from ..schema import ID_PATTERN, ApiSchema


class CompanyMember(permissions.IsAuthenticated):
    """A signed-in user who belongs to a company (the tenant every query is scoped to)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and request.user.company_id is not None


class ApiViewSet(viewsets.GenericViewSet):
    permission_classes = [CompanyMember]
    parser_classes = [LimitedJSONParser]
    throttle_classes = [UserThrottle]
    schema = ApiSchema()
    lookup_value_regex = ID_PATTERN
    model: Any = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no query
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self) -> Any:
        raise NotImplementedError

    def parse(self, serializer: type[Serializer], data: Any = None) -> dict[str, Any]:
        """Parse a body (or query string); raises a 400 naming the fields on malformed input."""
        parsed = serializer(data=self.request.data if data is None else data)
        parsed.is_valid(raise_exception=True)
        return dict(parsed.validated_data)


def visible_employee(request: Request, pk: Any) -> Employee:
    """The employee if the user may see them; 404 otherwise (another company's or outside their scope)."""
    employee = selectors.employee_detail(request.user, int(pk))
    if employee is None:
        raise Http404
    return employee
