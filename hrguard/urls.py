from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from hrguard.api.docs import SwaggerView
from hrguard.attendance import urls as attendance_urls
from hrguard.discipline import urls as discipline_urls
from hrguard.expenses import urls as expenses_urls
from hrguard.leave import urls as leave_urls
from hrguard.performance import urls as performance_urls
from hrguard.records import urls as records_urls
from hrguard.web import views as web_views
from hrguard.web.login import LoginView
from hrguard.workbench import views as workbench_views

# The five record apps' pages share the /activity/ prefix and the ``activity`` URL namespace.
RECORD_PAGES = [
    *attendance_urls.urlpatterns,
    *leave_urls.urlpatterns,
    *expenses_urls.urlpatterns,
    *performance_urls.urlpatterns,
    *discipline_urls.urlpatterns,
    *records_urls.urlpatterns,
]

urlpatterns = [
    path("", workbench_views.home, name="home"),  # 工作台, every role
    path("search/", workbench_views.search, name="search"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("hrguard.people.urls")),
    path("activity/", include((RECORD_PAGES, "activity"))),
    path("evidence/", include("hrguard.people.urls_timeline")),
    path("notify/", include("hrguard.notify.urls")),
    path("documents/", include("hrguard.documents.urls")),
    path("processes/", include("hrguard.workflows.pages.urls")),
    path("settings/webhooks/", include("hrguard.integrations.urls")),
    path("settings/", include("hrguard.configuration.urls")),
    path("calculators/", include("hrguard.calculators.urls")),
    path("accounts/activate/", include("hrguard.configuration.urls_activation")),
    path("exits/", include("hrguard.offboarding.urls")),
    path("risk/", include("hrguard.risk.urls")),
    path("exit-thread/", include("hrguard.offboarding.thread_urls")),
    path("noncompete/", include("hrguard.noncompete.urls")),
    path("noncompete-proof/", include("hrguard.noncompete.proof_urls")),
    path("cases/", include("hrguard.cases.urls")),
    path("collection/", include("hrguard.collection.urls")),
    path("clients/", include("hrguard.clients.urls")),
    path("sign/", include("hrguard.documents.sign_urls")),
    path("care/", include("hrguard.care.urls")),
    path("eap/", include("hrguard.care.eap_urls")),
    path("api/v1/", include("hrguard.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", web_views.healthz, name="healthz"),
]

# Error views: JSON in the API's error format under /api/, the site's error pages elsewhere.
handler400 = "hrguard.api.errors.bad_request"
handler403 = "hrguard.api.errors.permission_denied"
handler404 = "hrguard.api.errors.page_not_found"
handler500 = "hrguard.api.errors.server_error"
