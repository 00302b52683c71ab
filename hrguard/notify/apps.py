from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hrguard.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Evidence checkpoints are sent to the administrators through the outbox (evidence sits below notify).
        from hrguard.evidence import export

        from . import permissions  # noqa: F401  (registers the django-rules permissions)
        from .admin_messages import message_admins

        export.register_admin_messenger(message_admins)
