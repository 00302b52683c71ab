"""Calculator pages under /calculators/ (URL namespace ``calculators``)."""

from django.urls import path

from . import views

app_name = "calculators"

urlpatterns = [
    path("", views.index, name="index"),
    path("compensation/", views.compensation, name="compensation"),
    path("last-day/", views.last_day, name="last_day"),
    path("probation/", views.probation, name="probation"),
    path("annual-leave/", views.annual_leave, name="annual_leave"),
    path("non-compete/", views.non_compete, name="non_compete"),
    path("wages/", views.wages, name="wages"),
    path("risk-report/<int:employee_id>/", views.risk_report, name="risk_report"),
]
