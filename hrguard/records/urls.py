"""Pages of the record kernel, mounted with the record apps under /activity/ (``hrguard/urls.py``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
