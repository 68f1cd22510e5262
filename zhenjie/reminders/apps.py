from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "zhenjie.reminders"
    verbose_name = "提醒"

    def ready(self) -> None:
        from . import registry
        from .providers import failed_jobs

        registry.register("jobs.failed", failed_jobs)
