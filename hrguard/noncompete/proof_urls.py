from django.urls import path

from . import views_proof

app_name = "noncompete_proof"

urlpatterns = [
    path("<str:token>/", views_proof.page, name="page"),
    path("<str:token>/upload/", views_proof.upload, name="upload"),
]
