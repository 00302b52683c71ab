"""The evidence timeline pages (namespace ``evidence``, under /evidence/)."""

from django.urls import path

from . import views_timeline as views

app_name = "evidence"

urlpatterns = [
    path("", views.timeline_search, name="timeline_search"),
    path("employee/<int:pk>/", views.employee_timeline, name="employee_timeline"),
]
