from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhenjie.core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Django 6.1's empty choice of a select ("- Select an option -") has no Chinese
        # translation; every select in the system says 请选择 instead.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = "—— 请选择 ——"
