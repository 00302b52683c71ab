from django.urls import path

from . import views

app_name = "noncompete"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.find_employee, name="find_employee"),
    path("start/<int:employee_pk>/", views.start_manual, name="start"),
    path("exit/<int:exit_pk>/", views.for_exit, name="for_exit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/start/", views.start_offer, name="start_offer"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/months/<int:month_pk>/pay/", views.pay, name="pay"),
    path("<int:pk>/findings/", views.finding, name="finding"),
    path("<int:pk>/release/", views.release, name="release"),
    path("<int:pk>/proofs/<int:proof_pk>/", views.proof_download, name="proof_download"),
    path("<int:pk>/findings/<int:finding_pk>/file/", views.finding_download, name="finding_download"),
]
