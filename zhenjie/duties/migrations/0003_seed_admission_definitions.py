"""Seed the approval procedures of duty admission (乌兰察布《苏木乡镇和街道职责准入办法》, DOMAIN.md 4.2)."""

from django.db import migrations

DEFINITIONS = [
    (
        "duty_admission",
        "职责准入",
        "旗县职能部门申请, 联席会议审核(编办牵头, 司法合法性审查, 政务服务清单衔接), 旗县政府审核, 盟市政府批准",
        [
            (1, "联席会议审核(编办牵头)", "staffing_office", "county"),
            (2, "旗县人民政府审核", "leader", "county"),
            (3, "盟市人民政府批准", "leader", "prefecture"),
        ],
    ),
    (
        "duty_admission_temporary",
        "职责准入(阶段性、临时性任务)",
        "阶段性、临时性工作任务由旗县党委和政府批准",
        [
            (1, "联席会议审核(编办牵头)", "staffing_office", "county"),
            (2, "旗县党委和政府批准", "leader", "county"),
        ],
    ),
]


def seed(apps, schema_editor):
    Definition = apps.get_model("workflows", "ApprovalDefinition")
    Stage = apps.get_model("workflows", "ApprovalStage")
    for kind, name, description, stages in DEFINITIONS:
        definition, created = Definition.objects.get_or_create(
            kind=kind, defaults={"name": name, "description": description, "is_active": True}
        )
        if created:
            for order, stage_name, role, location in stages:
                Stage.objects.create(
                    definition=definition,
                    order=order,
                    name=stage_name,
                    approver_role=role,
                    approver_location=location,
                )


def unseed(apps, schema_editor):
    apps.get_model("workflows", "ApprovalDefinition").objects.filter(
        kind__in=[d[0] for d in DEFINITIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0002_admission"),
        ("workflows", "0003_approver_location_prefecture"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
