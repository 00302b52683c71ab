from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hrguard.api"
    label = "api"
    verbose_name = "REST API"
