"""Seed Inner Mongolia's ten categories of administrative power (自治区政府令第208号)."""

from django.db import migrations

CATEGORIES = [
    ("licensing", "行政许可"),
    ("penalty", "行政处罚"),
    ("coercive_measure", "行政强制措施"),
    ("coercive_execution", "行政强制执行"),
    ("confirmation", "行政确认"),
    ("payment", "行政给付"),
    ("reward", "行政奖励"),
    ("levy", "行政征收"),
    ("inspection", "行政监督检查"),
    ("other", "其他行政权力"),
]


def seed(apps, schema_editor):
    PowerCategory = apps.get_model("powers", "PowerCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        PowerCategory.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("powers", "PowerCategory").objects.filter(
        code__in=[c for c, _ in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("powers", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
