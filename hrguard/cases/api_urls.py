"""API routes of cases, under /api/v1/cases/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import CaseViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="cases-case")

urlpatterns = [path("", include(router.urls))]
