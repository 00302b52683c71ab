"""API routes of early warning, under /api/v1/risk/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import AlertViewSet, RuleViewSet

router = SimpleRouter()
router.register("risk/rules", RuleViewSet, basename="risk-rule")
router.register("risk/alerts", AlertViewSet, basename="risk-alert")

urlpatterns = [path("", include(router.urls))]
