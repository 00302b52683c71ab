from django.urls import path

from . import views, views_keyperson

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.new_case, name="new"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/parties/", views.add_party, name="add_party"),
    path("<int:pk>/links/", views.add_link, name="add_link"),
    path("keyperson/parameters/", views_keyperson.parameters, name="keyperson_parameters"),
    path("keyperson/<int:employee_pk>/", views_keyperson.page, name="keyperson"),
    path("keyperson/<int:employee_pk>/report.pdf", views_keyperson.report, name="keyperson_report"),
    path("keyperson/<int:employee_pk>/agreement/", views_keyperson.agreement, name="keyperson_agreement"),
]
