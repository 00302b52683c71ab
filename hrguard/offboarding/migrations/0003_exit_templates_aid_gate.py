"""Existing exit templates gain the ``aid_outstanding`` fact in finance clearance, as a new template version
(running exits keep theirs). Rules and skips: ``hrguard/offboarding/gate_upgrade.py``."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from hrguard.offboarding.gate_upgrade import upgrade

    report = upgrade(apps.get_model("workflows", "ProcessTemplate"), apps.get_model("workflows", "TemplateVersion"))
    for name, reason in report.skipped:
        if reason == "finance gate edited by an admin":
            print(f"\n  exit template {name}: finance gate edited by an admin, add aid_outstanding == 0.0 by hand")


class Migration(migrations.Migration):

    dependencies = [
        ("offboarding", "0002_exit_documents_duties"),
        ("workflows", "0002_started_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
