from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "zhenjie.agencies"
    verbose_name = "派出机构"

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_town_weight

        checks.register(check_town_weight)
