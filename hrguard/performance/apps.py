from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "hrguard.performance"
    label = "performance"
    verbose_name = "Performance"
