from django.urls import path

from . import views_sign

app_name = "signing"

urlpatterns = [
    path("crl/<int:company_id>.crl", views_sign.crl, name="crl"),
    path("<str:token>/", views_sign.page, name="page"),
    path("<str:token>/code/", views_sign.send_code, name="send_code"),
    path("<str:token>/verify/", views_sign.verify, name="verify"),
    path("<str:token>/sign/", views_sign.sign, name="sign"),
    path("<str:token>/decline/", views_sign.decline, name="decline"),
    path("<str:token>/document.pdf", views_sign.document, name="document"),
]
