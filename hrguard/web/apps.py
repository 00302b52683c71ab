from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hrguard.web"
    label = "web"
    verbose_name = "Web face"
