"""API routes of care, under /api/v1/care/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import AidLoanViewSet

router = SimpleRouter()
router.register("care/aid-loans", AidLoanViewSet, basename="care-aid-loan")

urlpatterns = [path("", include(router.urls))]
