from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "hrguard.web"
    label = "web"
    verbose_name = "Web face"

    def ready(self) -> None:
        from hrguard.evidence.labels import register

        # Written by the demo seeding (``demo_data.processes``) when it dates a running approval back.
        register({"demo.process_backdated": _("Demo data: process dated back to show it overdue")})
