"""API routes of collection contacts, under /api/v1/collection-contacts/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import ContactViewSet

router = SimpleRouter()
router.register("collection-contacts", ContactViewSet, basename="collection-contact")

urlpatterns = [path("", include(router.urls))]
