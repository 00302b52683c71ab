from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hrguard.notify"
    label = "notify"
    verbose_name = "Notifications"
