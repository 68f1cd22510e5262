from django.apps import AppConfig


class PowersConfig(AppConfig):
    name = "zhenjie.powers"
    verbose_name = "赋权事项"
