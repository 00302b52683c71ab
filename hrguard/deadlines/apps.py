from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "hrguard.deadlines"
    label = "deadlines"
    verbose_name = "Durable deadlines"

    def ready(self) -> None:
        # Every app may register deadline handlers in its ``deadline_handlers`` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("deadline_handlers")
