from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "zhenjie.agencies"
    verbose_name = "派出机构"
