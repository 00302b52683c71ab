from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "hrguard.evidence"
    label = "evidence"
    verbose_name = "Evidence log"
