"""Pages of the discipline app. Mounted with the other record apps under /activity/ in the ``activity`` URL
namespace (``hrguard/urls.py``), so page paths and names stay as they were."""

from django.urls import path

from . import views

urlpatterns = [
    # Violations and client complaints (违纪 / 客户投诉)
    path("violations/", views.violation_list, name="violation_list"),
    path("violations/new/", views.violation_create, name="violation_create"),
    path("violations/<int:pk>/", views.violation_detail, name="violation_detail"),
    path("violations/<int:pk>/<str:step>/", views.violation_action, name="violation_action"),
    path("violations/export.xlsx", views.export_violations, name="violation_export"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/export.xlsx", views.export_complaints, name="complaint_export"),
    path("handbook/", views.handbook, name="handbook"),
]
