from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "hrguard.workflows"
    label = "workflows"
    verbose_name = "Workflows and deadlines"

    def ready(self) -> None:
        # Every app may register deadline handlers in its ``deadline_handlers`` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("deadline_handlers")
