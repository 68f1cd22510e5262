from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhenjie.demo"
    verbose_name = "演示数据"
