from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "hrguard.workbench"
    label = "workbench"
    verbose_name = "Workbench"

    def ready(self) -> None:
        # The chart aggregates are cached per company: a saved employee or lifecycle event bumps the version.
        from django.db.models.signals import post_delete, post_save

        from . import charts

        for sender in ("people.Employee", "people.LifecycleEvent"):
            post_save.connect(charts.people_changed, sender=sender, dispatch_uid=f"workbench-{sender}-save")
            post_delete.connect(charts.people_changed, sender=sender, dispatch_uid=f"workbench-{sender}-delete")
