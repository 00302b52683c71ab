"""Routes under /api/v1/.

Other apps plug their API in by adding an ``api_urls`` module (``hrguard/<app>/api_urls.py`` with a
``urlpatterns`` list, routes prefixed with the app name, e.g. ``documents/…``); it is included here when
present. Their views appear in /api/schema/ automatically."""

from __future__ import annotations

from importlib.util import find_spec

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import auth, contracts, employees, org, processes

# Apps whose ``api_urls`` module is mounted under /api/v1/ when it exists.
PLUGGABLE_APPS = ("hrguard.documents", "hrguard.notify", "hrguard.calculators", "hrguard.offboarding",
                 "hrguard.risk", "hrguard.noncompete", "hrguard.integrations", "hrguard.care", "hrguard.cases",
                 "hrguard.clients", "hrguard.collection")

router = SimpleRouter()
router.register("employees", employees.EmployeeViewSet, basename="api-employee")
router.register("departments", org.DepartmentViewSet, basename="api-department")
router.register("positions", org.PositionViewSet, basename="api-position")
router.register("contracts", contracts.ContractViewSet, basename="api-contract")
router.register("clauses", org.ClauseTemplateViewSet, basename="api-clause")
router.register("processes/templates", processes.TemplateViewSet, basename="api-process-template")
router.register("processes/instances", processes.InstanceViewSet, basename="api-process-instance")
router.register("tasks", processes.TaskViewSet, basename="api-task")


def plugged_in(apps: tuple[str, ...] = PLUGGABLE_APPS) -> list[str]:
    """The ``api_urls`` modules of ``apps`` that exist."""
    found = []
    for app in apps:
        module = f"{app}.api_urls"
        if find_spec(app) is not None and find_spec(module) is not None:
            found.append(module)
    return found


urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("me/", org.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
    path("", include("hrguard.api.records.urls")),
    *(path("", include(module)) for module in plugged_in()),
]
