from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating the installation: ``hrguard run``, ``backup``, ``restore`` and the embedded worker's
    supervision. A face on top of every domain (like ``api``); it has no models and nothing imports it."""

    name = "hrguard.ops"
    label = "ops"
    verbose_name = "HRGuard operations"
