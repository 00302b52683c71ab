"""Care pages under /care/ (namespace ``care``); the anonymous EAP pages are in ``eap_urls.py`` (/eap/)."""

from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.index, name="index"),
    path("talks/", views.talks, name="talks"),
    path("talks/new/<int:employee_pk>/", views.talk_new, name="talk_new"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("aid/", views.aid_list, name="aid_list"),
    path("aid/<int:pk>/", views.aid_detail, name="aid_detail"),
    path("aid/<int:pk>/<slug:op>/", views.aid_action, name="aid_action"),
    path("mine/", views.mine, name="mine"),
    path("programmes/", views.programmes_page, name="programmes"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("eap/", views.eap_admin, name="eap_admin"),
]
