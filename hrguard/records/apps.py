from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "hrguard.records"
    label = "records"
    verbose_name = "Record kernel"
