from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NoncompeteConfig(AppConfig):
    name = "hrguard.noncompete"
    label = "noncompete"
    verbose_name = "Non-compete"

    def ready(self) -> None:
        from hrguard.deadlines import watch
        from hrguard.evidence import labels
        from hrguard.offboarding import signals as exit_signals

        from . import permissions  # noqa: F401  (django-rules permissions)
        from .evidence_labels import LABELS
        from .offers import on_exit_completed
        from .warnings import hr_warnings

        labels.register(LABELS)
        exit_signals.exit_completed.connect(on_exit_completed, dispatch_uid="noncompete.offer")
        watch.register("noncompete", gettext_lazy("Non-compete follow-up"))(hr_warnings)
