"""Violations and dismissal reviews run on the process engine: their status columns go, the outcome stays.
Before the columns are dropped, what they said is kept in the outcome (a dismissed report becomes the
decision "not_substantiated"; a closed review without an outcome text gets one)."""

from django.db import migrations, models


def keep_outcomes(apps, schema_editor):
    Violation = apps.get_model("discipline", "Violation")
    DisciplineReview = apps.get_model("discipline", "DisciplineReview")
    Violation.objects.filter(status="dismissed").update(decision="not_substantiated")
    Violation.objects.filter(ack="pending").update(ack="")
    DisciplineReview.objects.filter(is_open=False, outcome="").update(outcome="closed")


def restore(apps, schema_editor):
    Violation = apps.get_model("discipline", "Violation")
    DisciplineReview = apps.get_model("discipline", "DisciplineReview")
    Violation.objects.filter(decision="not_substantiated").update(status="dismissed", decision="")
    Violation.objects.exclude(decision="").update(status="decided")
    Violation.objects.filter(status="decided", ack="").update(ack="pending")
    DisciplineReview.objects.exclude(outcome="").update(is_open=False)


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="violation", name="decision",
            field=models.CharField(blank=True, choices=[
                ("warning", "Warning"), ("serious_warning", "Serious warning"), ("suspension", "Suspension"),
                ("bonus_deduction", "Bonus deduction"), ("dismissal", "Dismissal recommended"),
                ("not_substantiated", "Not substantiated")], max_length=20, verbose_name="decision"),
        ),
        migrations.RunPython(keep_outcomes, restore),
        migrations.RemoveField(model_name="violation", name="status"),
        migrations.RemoveField(model_name="violation", name="decided_by"),
        migrations.RemoveField(model_name="disciplinereview", name="is_open"),
    ]
