from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "zhenjie.personnel"
    verbose_name = "实名制人员"
