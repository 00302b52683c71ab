from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_edit, name="template_create"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/v<int:number>/preview.pdf", views.template_preview, name="template_preview"),
    path("send/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/rows/", views.request_rows, name="request_rows"),
    path("requests/<int:pk>/package.zip", views.request_package, name="request_package"),
    path("envelopes/<int:pk>/", views.envelope_detail, name="envelope_detail"),
    path("envelopes/<int:pk>/unlock/", views.envelope_unlock, name="envelope_unlock"),
    path("envelopes/<int:pk>/files/<int:file_pk>/", views.envelope_file, name="envelope_file"),
    path("envelopes/<int:pk>/package.zip", views.envelope_package, name="envelope_package"),
    path("people/<int:employee_id>/", views.person_documents, name="person_documents"),
    path("policy/", views.policy_edit, name="policy_edit"),
    path("identity/", views.identity_policy, name="identity_policy"),
    path("mine/", views.my_documents, name="mine"),
    path("mine/<int:pk>/download/", views.my_download, name="my_download"),
]
