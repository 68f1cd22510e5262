from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "zhenjie.exchange"
    verbose_name = "导入导出"

    def ready(self) -> None:
        # The job kinds (import check, import, export) register themselves on import.
        from . import handlers  # noqa: F401
