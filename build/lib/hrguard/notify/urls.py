from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.message_detail, name="message"),
    path("problems/", views.problems, name="problems"),
    path("problems/<int:pk>/", views.decide, name="decide"),
    path("receipts/sms/<int:company_id>/<str:token>/", views.sms_receipts, name="sms_receipts"),
]
