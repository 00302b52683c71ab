"""API routes of clients, under /api/v1/clients/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import ClientViewSet

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="clients-client")

urlpatterns = [path("", include(router.urls))]
