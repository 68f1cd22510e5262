"""Seed the kinds of enforcement equipment and their default standard per bureau.

No national or Inner Mongolia standard for town enforcement equipment was found; the kinds follow
common practice (执法记录仪, 执法车辆配行车记录仪, 制式服装, 取证设备) and the quantities are
defaults to be adjusted per bureau (装备配备标准).
"""

from django.db import migrations

# code, name, measure, is_vehicle, per_officer, default_quantity
KINDS = [
    ("body_camera", "执法记录仪", "台", False, True, 1),
    ("vehicle", "执法车辆(配行车记录仪)", "辆", True, False, 2),
    ("uniform", "制式服装", "套", False, True, 1),
    ("evidence_kit", "调查取证设备", "套", False, False, 2),
    ("mobile_terminal", "移动执法终端", "台", False, True, 1),
]


def seed(apps, schema_editor):
    EquipmentKind = apps.get_model("enforcement", "EquipmentKind")
    for order, (code, name, measure, vehicle, per_officer, quantity) in enumerate(KINDS, 1):
        EquipmentKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "is_vehicle": vehicle,
                "per_officer": per_officer,
                "default_quantity": quantity,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("enforcement", "EquipmentKind").objects.filter(
        code__in=[k[0] for k in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
