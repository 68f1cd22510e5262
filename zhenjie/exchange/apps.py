from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "zhenjie.exchange"
    verbose_name = "导入导出"
