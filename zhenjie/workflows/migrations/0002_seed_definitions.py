"""Seed the approval definitions (审批流程) of the three quota requests with their two stages."""

from django.db import migrations

# Both stages sit in the county (旗县) of the request's unit.
STAGES = [
    (1, "编办业务科室审核", "staffing_office", "county"),
    (2, "编委会审批", "leader", "county"),
]

DEFINITIONS = [
    ("quota_increase", "核增编制", "机构申请增加编制, 编办审核后报编委会审批"),
    ("quota_decrease", "核减编制", "机构申请减少编制, 编办审核后报编委会审批"),
    ("quota_transfer", "编制划转", "编随事走、人随编走, 编办审核后报编委会审批"),
]


def seed(apps, schema_editor):
    Definition = apps.get_model("workflows", "ApprovalDefinition")
    Stage = apps.get_model("workflows", "ApprovalStage")
    for kind, name, description in DEFINITIONS:
        definition, created = Definition.objects.get_or_create(
            kind=kind, defaults={"name": name, "description": description, "is_active": True}
        )
        if created:
            for order, stage_name, role, location in STAGES:
                Stage.objects.create(
                    definition=definition,
                    order=order,
                    name=stage_name,
                    approver_role=role,
                    approver_location=location,
                )


def unseed(apps, schema_editor):
    Definition = apps.get_model("workflows", "ApprovalDefinition")
    Definition.objects.filter(kind__in=[row[0] for row in DEFINITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
