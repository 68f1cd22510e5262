"""Serializers of comprehensive administrative law enforcement: output forms and the arguments
of ``zhenjie.enforcement.services``."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from zhenjie.enforcement.choices import DecisionKind, PartyKind, PenaltyKind, Stage
from zhenjie.enforcement.models import (
    Case,
    CaseStep,
    Certificate,
    EnforcementTeam,
    Equipment,
    EquipmentKind,
    Funding,
)
from zhenjie.enforcement.selectors import certificate_list
from zhenjie.enforcement.services import certificate_problems

from .serializers import (
    IdRelatedField,
    PersonBriefSerializer,
    UnitBriefSerializer,
    VisiblePersonField,
    VisibleUnitField,
)
from .serializers_powers import PowerItemBriefSerializer, power_item_field

# 简易程序 gives a warning or a fine only (行政处罚法 第51条).
ON_SPOT_PENALTY_KINDS = [(k.value, str(k.label)) for k in (PenaltyKind.WARNING, PenaltyKind.FINE)]
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class VisibleCertificateField(IdRelatedField):
    """A certificate of an officer the requesting user may see."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Certificate.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Certificate]:
        return certificate_list(user=self.context["request"].user, on=dt.date.today())


class TeamSerializer(serializers.ModelSerializer):
    bureau = UnitBriefSerializer(read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="在队人数")
    valid_count = serializers.IntegerField(read_only=True, help_text="持有效执法证的队员数")

    class Meta:
        model = EnforcementTeam
        fields = ["id", "bureau", "name", "established_on", "member_count", "valid_count"]
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    holder = PersonBriefSerializer(read_only=True)
    review_due_on = serializers.DateField(read_only=True, help_text="审验期限")
    is_valid = serializers.BooleanField(read_only=True, help_text="今日是否有效")
    problems = serializers.SerializerMethodField(help_text="无效原因")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "holder",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "review_due_on",
            "scope",
            "revoked_on",
            "revoke_reason",
            "is_valid",
            "problems",
        ]
        read_only_fields = fields

    def get_problems(self, obj: Any) -> list[str]:
        return certificate_problems(obj)


class CertificateIssueSerializer(serializers.Serializer):
    """登记执法证: the arguments of ``certificate_issue``."""

    holder = VisiblePersonField(help_text="持证人(执法人员)")
    number = serializers.CharField(max_length=40)
    issuer = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    scope = serializers.CharField(max_length=200, allow_blank=True, default="")


class CertificateReviewSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    passed = serializers.BooleanField(default=True)
    notes = serializers.CharField(max_length=200, allow_blank=True, default="")


class CertificateRevokeSerializer(serializers.Serializer):
    revoked_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class EquipmentKindBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EquipmentKind
        fields = ["id", "code", "name", "measure"]
        read_only_fields = fields


class EquipmentSerializer(serializers.ModelSerializer):
    bureau = UnitBriefSerializer(read_only=True)
    kind = EquipmentKindBriefSerializer(read_only=True)

    class Meta:
        model = Equipment
        fields = [
            "id",
            "bureau",
            "kind",
            "model_name",
            "quantity",
            "plate_number",
            "has_dash_camera",
            "acquired_on",
            "disposed_on",
            "notes",
        ]
        read_only_fields = fields


class EquipmentCreateSerializer(serializers.Serializer):
    bureau = VisibleUnitField(help_text="综合行政执法局")
    kind = IdRelatedField(queryset=EquipmentKind.objects.all())
    acquired_on = serializers.DateField()
    quantity = serializers.IntegerField(min_value=1, max_value=100000, default=1)
    model_name = serializers.CharField(max_length=100, allow_blank=True, default="")
    plate_number = serializers.CharField(max_length=20, allow_blank=True, default="")
    has_dash_camera = serializers.BooleanField(default=False)
    notes = serializers.CharField(max_length=200, allow_blank=True, default="")


class FundingSerializer(serializers.ModelSerializer):
    bureau = UnitBriefSerializer(read_only=True)

    class Meta:
        model = Funding
        fields = [
            "id",
            "bureau",
            "year",
            "in_county_budget",
            "requested",
            "granted",
            "spent",
            "notes",
        ]
        read_only_fields = fields


class FundingSetSerializer(serializers.Serializer):
    """登记执法经费 (posting a bureau's year again corrects it)."""

    bureau = VisibleUnitField(help_text="综合行政执法局")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    in_county_budget = serializers.BooleanField()
    requested = serializers.DecimalField(**MONEY)
    granted = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    notes = serializers.CharField(max_length=200, allow_blank=True, default="")


class CaseStepSerializer(serializers.ModelSerializer):
    certificates = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True, help_text="执法证号"
    )

    class Meta:
        model = CaseStep
        fields = ["id", "stage", "happened_on", "certificates", "note"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    town = UnitBriefSerializer(read_only=True)
    bureau = UnitBriefSerializer(read_only=True)
    power = PowerItemBriefSerializer(read_only=True)
    hearing_host = PersonBriefSerializer(read_only=True, allow_null=True)
    steps = CaseStepSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "town",
            "bureau",
            "power",
            "party_name",
            "party_kind",
            "summary",
            "procedure",
            "is_major",
            "stage",
            "opened_on",
            "decision_due",
            "noticed_on",
            "hearing_requested_on",
            "hearing_notified_on",
            "hearing_on",
            "hearing_host",
            "legal_reviewed_on",
            "decision_kind",
            "penalty_kind",
            "fine",
            "decided_on",
            "delivery_due",
            "delivered_on",
            "payment_due",
            "paid_on",
            "surcharge",
            "paid_amount",
            "closed_on",
            "steps",
        ]
        read_only_fields = fields


class CaseOpenSerializer(serializers.Serializer):
    """立案(普通程序): the arguments of ``case_open``."""

    town = VisibleUnitField(help_text="镇(街道)")
    power = power_item_field(help_text="本镇(街道)已承接的行政处罚事项")
    number = serializers.CharField(max_length=60)
    party_name = serializers.CharField(max_length=100)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    summary = serializers.CharField()
    opened_on = serializers.DateField()
    is_major = serializers.BooleanField(default=False)


class CaseOnSpotSerializer(serializers.Serializer):
    """简易程序当场处罚: the arguments of ``case_decide_on_spot``."""

    town = VisibleUnitField(help_text="镇(街道)")
    power = power_item_field(help_text="本镇(街道)已承接的行政处罚事项")
    number = serializers.CharField(max_length=60)
    party_name = serializers.CharField(max_length=100)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    summary = serializers.CharField()
    decided_on = serializers.DateField()
    penalty_kind = serializers.ChoiceField(choices=ON_SPOT_PENALTY_KINDS)
    fine = serializers.DecimalField(**MONEY, allow_null=True, default=None)
    certificates = VisibleCertificateField(many=True, help_text="执法人员的执法证")


class CaseAdvanceSerializer(serializers.Serializer):
    """办理下一环节: the arguments of ``case_advance``; stage-specific fields where they apply."""

    stage = serializers.ChoiceField(choices=Stage.choices)
    on = serializers.DateField()
    certificates = VisibleCertificateField(many=True, default=list)
    note = serializers.CharField(max_length=300, allow_blank=True, default="")
    hearing_requested_on = serializers.DateField(allow_null=True, default=None)
    hearing_notified_on = serializers.DateField(allow_null=True, default=None)
    hearing_host = VisiblePersonField(allow_null=True, default=None)
    decision_kind = serializers.ChoiceField(
        choices=DecisionKind.choices, allow_blank=True, default=""
    )
    penalty_kind = serializers.ChoiceField(choices=PenaltyKind.choices, default="")
    fine = serializers.DecimalField(**MONEY, allow_null=True, default=None)
    paid_amount = serializers.DecimalField(**MONEY, allow_null=True, default=None)


class CaseExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365)
    approved_on = serializers.DateField()
    approved_by = serializers.CharField(max_length=50)
    reason = serializers.CharField(max_length=300)
