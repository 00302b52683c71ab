"""Process pages, mounted at /processes/ (namespace ``workflows``)."""

from django.urls import path

from . import editor_views, views

app_name = "workflows"

urlpatterns = [
    path("", views.instance_list, name="instance_list"),
    path("<int:pk>/", views.instance_detail, name="instance_detail"),
    path("<int:pk>/cancel/", views.instance_cancel, name="instance_cancel"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/<str:op>/", views.step_action, name="step_action"),
    path("templates/", editor_views.template_list, name="template_list"),
    path("templates/<int:pk>/", editor_views.template_edit, name="template_edit"),
]
