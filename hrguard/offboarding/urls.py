from django.urls import path

from . import views, views_docs

app_name = "offboarding"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.mine, name="mine"),
    path("start/<int:employee_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/items/", views.add_item, name="add_item"),
    path("<int:pk>/items/<int:item_pk>/confirm/", views.confirm_item, name="confirm_item"),
    path("<int:pk>/interview/", views.interview, name="interview"),
    path("<int:pk>/rehire/", views.rehire, name="rehire"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/messages/", views.message, name="message"),
    path("<int:pk>/link/", views.send_link, name="send_link"),
    path("<int:pk>/package.zip", views.package, name="package"),
    path("<int:pk>/risk-report.pdf", views.risk_report, name="risk_report"),
    path("<int:pk>/documents/", views_docs.send_document, name="send_document"),
    path("<int:pk>/documents/<int:doc_pk>/fallback/", views_docs.document_fallback, name="document_fallback"),
    path("<int:pk>/transfer/", views_docs.record_transfer, name="record_transfer"),
    path("<int:pk>/restart/", views_docs.restart_process, name="restart_process"),
    path("si/", views_docs.si_lists, name="si_lists"),
    path("si/layout/", views_docs.si_layout, name="si_layout"),
]
