from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "zhenjie.jobs"
    verbose_name = "后台任务"
