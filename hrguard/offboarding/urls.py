from django.urls import path

from . import views

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
]
