"""Seed the configurable table of quota types (编制类型)."""

from django.db import migrations

QUOTA_TYPES = [
    # code, name, nature, is_administrative, sort_order, description
    ("administrative", "行政编制", "organ", True, 10, "党政机关使用"),
    ("political_legal", "政法专项编制", "organ", True, 20, "政法机关及司法所等使用"),
    ("organ_worker", "机关工勤编制", "organ", False, 30, "机关工勤人员使用"),
    ("institution", "事业编制", "institution", False, 40, "事业单位使用, 不得用于党政机关"),
]


def seed(apps, schema_editor):
    QuotaType = apps.get_model("staffing", "QuotaType")
    for code, name, nature, is_admin, order, desc in QUOTA_TYPES:
        QuotaType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "nature": nature,
                "is_administrative": is_admin,
                "sort_order": order,
                "description": desc,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("staffing", "QuotaType").objects.filter(
        code__in=[row[0] for row in QUOTA_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("staffing", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
