"""API routes of the non-compete follow-up, under /api/v1/noncompete/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import AgreementViewSet

router = SimpleRouter()
router.register("noncompete", AgreementViewSet, basename="noncompete-agreement")

urlpatterns = [path("", include(router.urls))]
