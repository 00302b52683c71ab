from django.apps import AppConfig


class OffboardingConfig(AppConfig):
    name = "hrguard.offboarding"
    label = "offboarding"
    verbose_name = "Offboarding"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import exit_documents, permissions  # noqa: F401  (signal receivers; django-rules permissions)
        from .evidence_labels import LABELS

        labels.register(LABELS)
        _report_own_gates()


# The gates the exit app owns; the departure risk report reads complaints and money itself.
OWN_GATES = ("handover_open", "clients_open", "access_open", "exit_documents_unsigned")


def _report_own_gates() -> None:
    from hrguard.calculators.risk_report import register_gate_source

    from .selectors import gate_rows

    def open_gates(*, actor: object, employee: object, exit: object) -> list[str]:
        if exit is None:
            return []
        lines: list[str] = []
        for row in gate_rows(exit):
            if row.ok or row.name not in OWN_GATES:
                continue
            lines += [f"{row.label}：{reason.text}" for reason in row.reasons] or [str(row.label)]
        return lines

    register_gate_source(open_gates)
