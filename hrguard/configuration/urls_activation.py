from django.urls import path

from . import views_accounts

app_name = "activation"

urlpatterns = [path("<str:token>/", views_accounts.activate, name="activate")]
