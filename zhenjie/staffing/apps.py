from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "zhenjie.staffing"
    verbose_name = "编制管理"
