from django.urls import path

from . import views, views_import

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("import/", views_import.import_page, name="import"),
    path("import/template.xlsx", views_import.template, name="import_template"),
]
