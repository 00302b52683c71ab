from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from hrguard.api.docs import SwaggerView
from hrguard.core import views as core_views
from hrguard.core.login import LoginView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("hrguard.people.urls")),
    path("activity/", include("hrguard.activity.urls")),
    path("evidence/", include("hrguard.evidence.urls")),
    path("notify/", include("hrguard.notify.urls")),
    path("documents/", include("hrguard.documents.urls")),
    path("sign/", include("hrguard.documents.sign_urls")),
    path("api/v1/", include("hrguard.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", core_views.healthz, name="healthz"),
]
