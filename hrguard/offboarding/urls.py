from django.urls import path

from . import views

app_name = "offboarding"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
]
