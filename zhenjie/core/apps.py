from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhenjie.core"
    verbose_name = "基础"
