from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "zhenjie.workflows"
    verbose_name = "审批"
