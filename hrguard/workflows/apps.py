from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "hrguard.workflows"
    label = "workflows"
    verbose_name = "Workflows and deadlines"
