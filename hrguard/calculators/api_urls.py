"""API routes of the calculators, under /api/v1/calculators/ (mounted by hrguard.api.urls). Stable paths."""

from django.urls import path

from . import api

urlpatterns = [
    path("calculators/compensation/", api.CompensationView.as_view(), name="api-calc-compensation"),
    path("calculators/last-day/", api.LastDayView.as_view(), name="api-calc-last-day"),
    path("calculators/non-compete/", api.NonCompeteView.as_view(), name="api-calc-non-compete"),
    path("calculators/probation/", api.ProbationView.as_view(), name="api-calc-probation"),
    path("calculators/annual-leave/", api.AnnualLeaveView.as_view(), name="api-calc-annual-leave"),
]
