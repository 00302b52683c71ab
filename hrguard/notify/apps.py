from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hrguard.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Evidence checkpoints are sent to the administrators through the outbox (evidence sits below notify).
        from hrguard.core import backends
        from hrguard.evidence import export

        from . import permissions  # noqa: F401  (registers the django-rules permissions)
        from .admin_messages import message_admins
        from .services import UNREAD_ATTR, unread_badge_expression

        export.register_admin_messenger(message_admins)
        # Every page draws the unread badge: its count comes with the signed-in user's query.
        backends.annotate_user(UNREAD_ATTR, unread_badge_expression())
