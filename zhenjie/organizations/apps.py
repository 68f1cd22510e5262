from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhenjie.organizations"
    verbose_name = "机构设置"
