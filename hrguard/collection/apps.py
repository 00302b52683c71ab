from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "hrguard.collection"
    label = "collection"
    verbose_name = "Collection contacts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from hrguard.evidence import labels
        from hrguard.people.models import Employee
        from hrguard.records import files

        from . import (
            permissions,  # noqa: F401  (django-rules permissions)
            selectors,
        )
        from .case_type import register_case_type
        from .evidence_labels import LABELS
        from .policy import on_employee_created
        from .risk_signals import register as register_risk_signal

        post_save.connect(on_employee_created, sender=Employee, dispatch_uid="collection.policy_on_hire")
        labels.register(LABELS)
        register_case_type()
        register_risk_signal()
        files.register_owner(selectors.ATTACHMENT_OWNER, selectors.contact_for_attachment)
