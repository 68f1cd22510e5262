from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "zhenjie.agencies"
    verbose_name = "派出机构"

    def ready(self) -> None:
        from django.core import checks

        from zhenjie.reminders import registry as reminders

        from .checks import check_town_weight
        from .reminders import opinions_owed, scores_owed

        checks.register(check_town_weight)
        reminders.register("agencies.opinions_owed", opinions_owed)
        reminders.register("agencies.scores_owed", scores_owed)
