from django.urls import path

from . import views, views_contracts, views_edit, views_import

app_name = "people"

urlpatterns = [
    # Roster (花名册) and profiles
    path("", views.employee_list, name="employee_list"),
    path("new/", views_edit.employee_create, name="employee_create"),
    # Import (花名册导入) and export
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/jobs/<int:pk>/", views_import.import_job, name="import_job"),
    path("import/jobs/<int:pk>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/jobs/<int:pk>/errors.xlsx", views_import.import_errors, name="import_errors"),
    path("export.xlsx", views_import.employee_export, name="employee_export"),
    path("<int:pk>/", views.employee_detail, name="employee_detail"),
    path("<int:pk>/edit/", views_edit.employee_edit, name="employee_edit"),
    path("<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("<int:pk>/lifecycle/new/", views_edit.lifecycle_create, name="lifecycle_create"),
    # Self-service (员工自助)
    path("me/", views.my_profile, name="my_profile"),
    path("me/contact/", views_edit.my_contact, name="my_contact"),
    # Contracts and the clause library
    path("<int:pk>/contracts/new/", views_contracts.contract_create, name="contract_create"),
    path(
        "contracts/<int:pk>/supplements/new/",
        views_contracts.supplementary_create,
        name="supplementary_create",
    ),
    path("clauses/", views_contracts.clause_list, name="clause_list"),
    path("clauses/new/", views_contracts.clause_edit, name="clause_create"),
    path("clauses/<int:pk>/edit/", views_contracts.clause_edit, name="clause_edit"),
]
