from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "zhenjie.reminders"
    verbose_name = "提醒"
