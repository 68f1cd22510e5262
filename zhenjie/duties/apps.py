from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "zhenjie.duties"
    verbose_name = "职责清单"

    def ready(self) -> None:
        from zhenjie.reminders import registry as reminders

        from .admission import register_admission_kinds
        from .reminders import replies_owed

        register_admission_kinds()
        reminders.register("duties.replies_owed", replies_owed)
