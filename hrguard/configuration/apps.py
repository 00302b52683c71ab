from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "hrguard.configuration"
    label = "configuration"
    verbose_name = "Settings"

    def ready(self) -> None:
        from . import labels, permissions  # noqa: F401  (permissions registers the rules)

        labels.register()
