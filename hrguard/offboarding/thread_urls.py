from django.urls import path

from . import views_thread

app_name = "exit_thread"

urlpatterns = [
    path("<str:token>/", views_thread.page, name="page"),
    path("<str:token>/post/", views_thread.post, name="post"),
]
