from django.apps import AppConfig


class ScaleoutConfig(AppConfig):
    """Bench-only app: the reminder handler the consumers run (never installed by real settings)."""

    name = "bench.scaleout"
    label = "scaleout"
