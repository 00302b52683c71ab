"""Pages of the attendance app. Mounted with the other record apps under /activity/ in the ``activity`` URL
namespace (``hrguard/urls.py``), so page paths and names stay as they were."""

from django.urls import path

from . import views

urlpatterns = [
    # Attendance (考勤)
    path("attendance/", views.daily, name="attendance_daily"),
    path("attendance/monthly/", views.monthly, name="attendance_monthly"),
    path("attendance/import/", views.import_punches, name="attendance_import"),
    path("attendance/import/jobs/<int:pk>/", views.import_punches, name="attendance_import_job"),
    path("attendance/profiles/new/", views.profile_create, name="profile_create"),
    path("attendance/shifts/", views.shift_list, name="shift_list"),
    path("attendance/calendar/", views.calendar_page, name="calendar"),
    path("attendance/export/days.xlsx", views.export_days, name="attendance_export_days"),
    path("attendance/export/monthly.xlsx", views.export_monthly, name="attendance_export_monthly"),
]
