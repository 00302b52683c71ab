"""API routes of integrations, under /api/v1/webhooks/ (mounted by hrguard.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import DeliveryViewSet, EndpointViewSet

router = SimpleRouter()
router.register("webhooks/endpoints", EndpointViewSet, basename="webhooks-endpoint")
router.register("webhooks/deliveries", DeliveryViewSet, basename="webhooks-delivery")

urlpatterns = [path("", include(router.urls))]
