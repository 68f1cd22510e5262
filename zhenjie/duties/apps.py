from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "zhenjie.duties"
    verbose_name = "职责清单"

    def ready(self) -> None:
        from .admission import register_admission_kinds

        register_admission_kinds()
