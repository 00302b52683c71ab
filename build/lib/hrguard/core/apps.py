from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hrguard.core"
    label = "core"
    verbose_name = "HRGuard core"
