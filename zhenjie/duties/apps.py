from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "zhenjie.duties"
    verbose_name = "职责清单"
