from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "zhenjie.enforcement"
    verbose_name = "综合行政执法"

    def ready(self) -> None:
        from zhenjie.reminders import registry as reminders

        from .reminders import case_deadlines_due, certificates_due

        reminders.register("enforcement.certificates_due", certificates_due)
        reminders.register("enforcement.case_deadlines_due", case_deadlines_due)
