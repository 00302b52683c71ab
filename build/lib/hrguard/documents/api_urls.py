"""API routes of the documents app, under /api/v1/documents/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import RequestViewSet, TemplateViewSet

router = SimpleRouter()
router.register("templates", TemplateViewSet, basename="documents-template")
router.register("requests", RequestViewSet, basename="documents-request")

urlpatterns = [path("documents/", include(router.urls))]
