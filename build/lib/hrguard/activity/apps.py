from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "hrguard.activity"
    label = "activity"
    verbose_name = "Activity"
