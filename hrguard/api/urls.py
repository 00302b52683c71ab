"""Routes under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import auth, contracts, employees, org

router = SimpleRouter()
router.register("employees", employees.EmployeeViewSet, basename="api-employee")
router.register("departments", org.DepartmentViewSet, basename="api-department")
router.register("positions", org.PositionViewSet, basename="api-position")
router.register("contracts", contracts.ContractViewSet, basename="api-contract")
router.register("clauses", org.ClauseTemplateViewSet, basename="api-clause")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("me/", org.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
    path("", include("hrguard.activity.api_urls")),
]
