"""Pages of the leave app. Mounted with the other record apps under /activity/ in the ``activity`` URL
namespace (``hrguard/urls.py``), so page paths and names stay as they were."""

from django.urls import path

from . import views

urlpatterns = [
    # Leave (假勤)
    path("leave/", views.my_leave, name="my_leave"),
    path("leave/approvals/", views.approvals, name="leave_approvals"),
    path("leave/<int:pk>/decide/", views.decide, name="leave_decide"),
    path("leave/<int:pk>/cancel/", views.cancel, name="leave_cancel"),
    path("leave/all/", views.leave_list, name="leave_list"),
    path("leave/export.xlsx", views.export, name="leave_export"),
]
