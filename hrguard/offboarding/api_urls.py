"""API routes of offboarding, under /api/v1/exits/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import ExitViewSet

router = SimpleRouter()
router.register("exits", ExitViewSet, basename="exits-exit")

urlpatterns = [path("", include(router.urls))]
