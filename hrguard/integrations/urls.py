from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("<int:pk>/", views.endpoint, name="endpoint"),
    path("<int:pk>/secret/", views.rotate, name="rotate"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/resend/", views.resend, name="resend"),
]
