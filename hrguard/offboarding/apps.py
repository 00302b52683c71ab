from django.apps import AppConfig


class OffboardingConfig(AppConfig):
    name = "hrguard.offboarding"
    label = "offboarding"
    verbose_name = "Offboarding"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (django-rules permissions)
