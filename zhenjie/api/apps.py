from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhenjie.api"
    verbose_name = "接口"
