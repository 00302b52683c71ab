from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("scan/", views.scan_now, name="scan"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/triage/", views.triage, name="triage"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/switch/", views.switch, name="switch"),
    path("checks/", views.checks_page, name="checks"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("mine/", views.mine, name="mine"),
]
