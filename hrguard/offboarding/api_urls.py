"""API routes of offboarding, under /api/v1/exits/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import ExitViewSetWithDocuments, SIReductionsView

router = SimpleRouter()
router.register("exits", ExitViewSetWithDocuments, basename="exits-exit")

urlpatterns = [
    path("exits/si-reductions/", SIReductionsView.as_view(), name="exits-si-reductions"),
    path("", include(router.urls)),
]
