"""The project's URLs with /api/docs/ served by hrguard.api.docs.SwaggerView (as hrguard/urls.py should)."""

from django.urls import path

from hrguard.api.docs import SwaggerView
from hrguard.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *project_urlpatterns,
]
