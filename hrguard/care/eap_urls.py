"""The anonymous EAP pages at /eap/ (namespace ``eap``): no sign-in, no session (see eap/quiet.py)."""

from django.urls import path

from .eap import views

app_name = "eap"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("follow/", views.follow, name="follow"),
]
