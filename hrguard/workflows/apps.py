from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "hrguard.workflows"
    label = "workflows"
    verbose_name = "Processes"

    def ready(self) -> None:
        # The engine's permissions, then every app's facts and actions (``process_hooks`` modules; the
        # record apps below the engine have theirs in ``hrguard.workflows.hooks``).
        from django.utils.module_loading import autodiscover_modules

        from . import hooks, permissions  # noqa: F401

        autodiscover_modules("process_hooks")
