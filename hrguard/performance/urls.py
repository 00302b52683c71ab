"""Pages of the performance app. Mounted with the other record apps under /activity/ in the ``activity`` URL
namespace (``hrguard/urls.py``), so page paths and names stay as they were."""

from django.urls import path

from . import views

urlpatterns = [
    # Performance (绩效)
    path("performance/", views.cycles, name="cycles"),
    path("performance/cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("performance/cycles/<int:pk>/employees/<int:employee_pk>/", views.review, name="review"),
    path("performance/cycles/<int:pk>/export.xlsx", views.export, name="cycle_export"),
    path("performance/plans/export.xlsx", views.export_plans, name="plan_export"),
    path("performance/plans/new/<int:employee_pk>/", views.plan_create, name="plan_create"),
    path("performance/plans/<int:pk>/close/", views.plan_close, name="plan_close"),
]
