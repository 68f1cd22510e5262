from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "zhenjie.workflows"
    verbose_name = "审批"

    def ready(self) -> None:
        from zhenjie.reminders import registry as reminders

        from .handlers import register_quota_kinds
        from .reminders import approvals_waiting

        register_quota_kinds()
        reminders.register("workflows.approvals", approvals_waiting)
