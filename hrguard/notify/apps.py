from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hrguard.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the django-rules permissions)
