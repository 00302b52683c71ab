from django.apps import AppConfig


class CalculatorsConfig(AppConfig):
    name = "hrguard.calculators"
    label = "calculators"
    verbose_name = "Statutory calculators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import labels, permissions  # noqa: F401  (permissions registers the django-rules permissions)

        labels.register()
