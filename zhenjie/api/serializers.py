"""Serializers of the API: they parse input for one service call and render objects.

``<Model>Serializer`` renders (read-only, related objects as brief nested objects); the input
serializers (``<Model><Action>Serializer``) are plain Serializers whose validated data are the
keyword arguments of one service. No serializer saves a model: every rule stays in the services.
Field names are the services' argument names, so a service's errors land on the right field.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhenjie.jobs.models import Job
from zhenjie.organizations.choices import UnitKind, UnitNature, UnitRank
from zhenjie.organizations.models import Division, DockingLink, Unit
from zhenjie.organizations.selectors import unit_list
from zhenjie.personnel.choices import (
    Education,
    EntryChannel,
    ExitReason,
    PoliticalStatus,
    PostKind,
)
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.personnel.selectors import person_list
from zhenjie.staffing.choices import DIRECT_KINDS, LeadershipLevel
from zhenjie.staffing.models import (
    LeadershipQuota,
    QuotaMovement,
    QuotaTransfer,
    QuotaType,
    Redistribution,
)

from . import selectors
from .filtersets import MAX_ID

# Upper bounds of the integer columns on PostgreSQL (IntegerField, PositiveSmallIntegerField).
MAX_INT = 2**31 - 1
MAX_SMALL_INT = 2**15 - 1

# Choice sets that are not a Choices class; schema.ENUM_NAME_OVERRIDES names them.
QUOTA_NATURES = list(QuotaType._meta.get_field("nature").choices or [])
DIRECT_MOVEMENT_KINDS = [(kind.value, str(kind.label)) for kind in DIRECT_KINDS]
# 编制划转 is recorded by quota_transfer itself, never chosen for a plain exit.
OFFICER_EXIT_REASONS = [
    (r.value, str(r.label)) for r in ExitReason if r != ExitReason.QUOTA_TRANSFER
]


# ------------------------------------------------------------------ references


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id: a whole number (DRF alone would look 1.5 up as 1), else no object."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(text))


class VisibleUnitField(IdRelatedField):
    """A unit the requesting user may see (``unit_list``); any other id does not exist for them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Unit.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list(user=self.context["request"].user)


class CountyBaseUnitField(IdRelatedField):
    """A town or street of the requesting user's county (``selectors.county_base_unit_list``).

    A department names towns outside its own scope; any other id does not exist for them.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Unit.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.county_base_unit_list(user=self.context["request"].user)


class VisiblePersonField(IdRelatedField):
    """A person the requesting user may see (``person_list``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Person.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        return person_list(user=self.context["request"].user)


class VisibleDivisionField(IdRelatedField):
    """A division of the requesting user's region (``selectors.division_list``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Division.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Division]:
        return selectors.division_list(user=self.context["request"].user)


def active_quota_type_field() -> IdRelatedField:
    return IdRelatedField(queryset=QuotaType.objects.filter(is_active=True))


def text(max_length: int | None = None, **kwargs: Any) -> serializers.CharField:
    """An optional text input, blank by default."""
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


# ------------------------------------------------------------------ brief (nested) forms


class DivisionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "code", "name"]
        read_only_fields = fields


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]
        read_only_fields = fields


class QuotaTypeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuotaType
        fields = ["id", "code", "name"]
        read_only_fields = fields


class PersonBriefSerializer(serializers.ModelSerializer):
    """A person named without any identifying number."""

    class Meta:
        model = Person
        fields = ["id", "name"]
        read_only_fields = fields


def created_by_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="经办人的用户名"
    )


def optional_choice_output(choices: Any) -> serializers.ChoiceField:
    """A read-only choice that may be blank (Meta.read_only_fields would drop ``allow_blank``)."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True)


# ------------------------------------------------------------------ organizations


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "code", "name", "level", "parent", "source"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    nature = serializers.ChoiceField(choices=UnitNature.choices, read_only=True)
    parent = UnitBriefSerializer(read_only=True, allow_null=True)
    division = DivisionBriefSerializer(read_only=True, allow_null=True)
    department = UnitBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "nature",
            "parent",
            "division",
            "department",
            "rank",
            "credit_code",
            "established_on",
            "established_doc",
            "abolished_on",
            "abolished_doc",
            "sort_order",
            "notes",
            "depth",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class UnitCreateSerializer(serializers.Serializer):
    """设立机构: the arguments of ``unit_create``."""

    name = serializers.CharField(max_length=100)
    short_name = text(50)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    parent = VisibleUnitField(allow_null=True, default=None)
    division = VisibleDivisionField(allow_null=True, default=None)
    department = VisibleUnitField(allow_null=True, default=None)
    rank = serializers.ChoiceField(choices=UnitRank.choices, allow_blank=True, default="")
    credit_code = text(30)
    established_on = serializers.DateField()
    established_doc = text(100)
    sort_order = serializers.IntegerField(min_value=0, max_value=MAX_INT, default=0)
    notes = text()


class UnitUpdateSerializer(serializers.Serializer):
    """修改机构信息: the fields ``unit_update`` may change, and the reason for the record."""

    name = serializers.CharField(max_length=100, required=False)
    short_name = text(50)
    rank = serializers.ChoiceField(choices=UnitRank.choices, allow_blank=True, required=False)
    credit_code = text(30)
    established_doc = text(100)
    sort_order = serializers.IntegerField(min_value=0, max_value=MAX_INT, required=False)
    notes = text()
    reason = text(100, help_text="变更原因, 记入变更记录")


class UnitAbolishSerializer(serializers.Serializer):
    """撤销机构: the arguments of ``unit_abolish``."""

    abolished_on = serializers.DateField()
    abolished_doc = serializers.CharField(max_length=100)


class DockingLinkSerializer(serializers.ModelSerializer):
    office = UnitBriefSerializer(read_only=True)
    department = UnitBriefSerializer(read_only=True)

    class Meta:
        model = DockingLink
        fields = ["id", "office", "department", "notes", "created_at"]
        read_only_fields = fields


class DockingLinkCreateSerializer(serializers.Serializer):
    """新增对接关系: the arguments of ``docking_link_add``."""

    office = VisibleUnitField()
    department = VisibleUnitField()
    notes = text(200)


# ------------------------------------------------------------------ staffing


class QuotaTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuotaType
        fields = [
            "id",
            "code",
            "name",
            "nature",
            "is_administrative",
            "sort_order",
            "is_active",
            "description",
        ]
        read_only_fields = fields


class QuotaMovementSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    quota_type = QuotaTypeBriefSerializer(read_only=True)
    created_by = created_by_field()

    class Meta:
        model = QuotaMovement
        fields = [
            "id",
            "unit",
            "quota_type",
            "kind",
            "delta",
            "doc_no",
            "effective_on",
            "summary",
            "transfer",
            "redistribution",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class QuotaMovementCreateSerializer(serializers.Serializer):
    """核定 / 核增 / 核减: the arguments of ``quota_movement_record``."""

    unit = VisibleUnitField()
    quota_type = active_quota_type_field()
    kind = serializers.ChoiceField(choices=DIRECT_MOVEMENT_KINDS)
    amount = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    doc_no = serializers.CharField(max_length=100)
    effective_on = serializers.DateField()
    summary = text(300)


class RedistributionLineSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = QuotaMovement
        fields = ["unit", "delta"]
        read_only_fields = fields


class RedistributionSerializer(serializers.ModelSerializer):
    county = UnitBriefSerializer(read_only=True)
    quota_type = QuotaTypeBriefSerializer(read_only=True)
    created_by = created_by_field()
    lines = RedistributionLineSerializer(
        source="visible_lines", many=True, read_only=True, help_text="您权限范围内机构的增减"
    )

    class Meta:
        model = Redistribution
        fields = [
            "id",
            "county",
            "quota_type",
            "doc_no",
            "effective_on",
            "summary",
            "lines",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class RedistributionLineCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    delta = serializers.IntegerField(
        min_value=-MAX_INT, max_value=MAX_INT, help_text="调入为正, 调出为负"
    )


class RedistributionCreateSerializer(serializers.Serializer):
    """二次分配: the arguments of ``quota_redistribute``."""

    county = VisibleUnitField()
    quota_type = active_quota_type_field()
    doc_no = serializers.CharField(max_length=100)
    effective_on = serializers.DateField()
    summary = text(300)
    lines = RedistributionLineCreateSerializer(many=True, max_length=50)


class LeadershipQuotaSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = LeadershipQuota
        fields = [
            "id",
            "unit",
            "level",
            "count",
            "doc_no",
            "effective_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LeadershipQuotaCreateSerializer(serializers.Serializer):
    """核定领导职数: the arguments of ``leadership_quota_set``."""

    unit = VisibleUnitField()
    level = serializers.ChoiceField(choices=LeadershipLevel.choices)
    count = serializers.IntegerField(min_value=0, max_value=MAX_SMALL_INT)
    doc_no = serializers.CharField(max_length=100)
    effective_on = serializers.DateField()


class QuotaTransferSerializer(serializers.ModelSerializer):
    from_unit = UnitBriefSerializer(read_only=True)
    to_unit = UnitBriefSerializer(read_only=True)
    quota_type = QuotaTypeBriefSerializer(read_only=True)
    persons = serializers.SerializerMethodField(help_text="随编划转的人员")
    created_by = created_by_field()

    class Meta:
        model = QuotaTransfer
        fields = [
            "id",
            "from_unit",
            "to_unit",
            "quota_type",
            "amount",
            "persons",
            "doc_no",
            "effective_on",
            "summary",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonBriefSerializer(many=True))
    def get_persons(self, obj: QuotaTransfer) -> Any:
        enrolments = obj.moved_enrolments  # type: ignore[attr-defined]
        return PersonBriefSerializer([e.person for e in enrolments], many=True).data


class QuotaTransferCreateSerializer(serializers.Serializer):
    """划转 (编随事走、人随编走): the arguments of ``quota_transfer``."""

    from_unit = VisibleUnitField()
    to_unit = VisibleUnitField()
    quota_type = active_quota_type_field()
    amount = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    persons = VisiblePersonField(many=True, required=False, help_text="随编划转的在编人员")
    post_title = text(100, help_text="划入后岗位; 不填则沿用原岗位名称")
    doc_no = serializers.CharField(max_length=100)
    effective_on = serializers.DateField()
    summary = text(300)


# ------------------------------------------------------------------ personnel


class PersonSerializer(serializers.ModelSerializer):
    """A person as the API shows them: ID and phone numbers only masked."""

    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    education = optional_choice_output(Education.choices)
    political_status = optional_choice_output(PoliticalStatus.choices)
    phone_masked = serializers.CharField(source="masked_phone", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number_masked",
            "gender",
            "birth_date",
            "ethnicity",
            "education",
            "major",
            "political_status",
            "phone_masked",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# The digits of an ID number: ASCII, or full width (normalize_code turns those into ASCII).
ID_NUMBER_CHARACTERS = set("0123456789Xx０１２３４５６７８９Ｘｘ")


class PersonCreateSerializer(serializers.Serializer):
    """实名登记: the arguments of ``person_register``. ID and phone numbers are write-only."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30, write_only=True)
    ethnicity = text(20)
    education = serializers.ChoiceField(choices=Education.choices, allow_blank=True, default="")
    major = text(100)
    political_status = serializers.ChoiceField(
        choices=PoliticalStatus.choices, allow_blank=True, default=""
    )
    phone = text(20, write_only=True)
    notes = text()

    def validate_id_number(self, value: str) -> str:
        # core.validators.parse_resident_id takes any Unicode digit (str.isdigit): "²" crashes
        # its check-digit sum and "٣" would be stored. Only ID-number characters reach it.
        if any(not ch.isspace() and ch not in ID_NUMBER_CHARACTERS for ch in value):
            raise serializers.ValidationError("身份证号码格式错误")
        return value


class PersonUpdateSerializer(PersonCreateSerializer):
    """修改人员信息: the fields ``person_update`` may change (send only those that change)."""


class EnrolmentSerializer(serializers.ModelSerializer):
    person = PersonBriefSerializer(read_only=True)
    unit = UnitBriefSerializer(read_only=True)
    quota_type = QuotaTypeBriefSerializer(read_only=True)
    exit_reason = optional_choice_output(ExitReason.choices)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "person",
            "unit",
            "quota_type",
            "channel",
            "doc_no",
            "start_date",
            "end_date",
            "exit_reason",
            "exit_doc_no",
            "transfer",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EnrolmentOutcomeSerializer(EnrolmentSerializer):
    """A new enrolment with the warnings of ``person_enrol`` (over quota in "warn" mode)."""

    warnings = serializers.SerializerMethodField()

    class Meta(EnrolmentSerializer.Meta):
        fields = [*EnrolmentSerializer.Meta.fields, "warnings"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, obj: Enrolment) -> list[str]:
        return list(self.context.get("warnings", []))


class EnrolmentCreateSerializer(serializers.Serializer):
    """入编: the arguments of ``person_enrol``."""

    person = VisiblePersonField()
    unit = VisibleUnitField()
    quota_type = active_quota_type_field()
    channel = serializers.ChoiceField(choices=EntryChannel.choices)
    start_date = serializers.DateField()
    doc_no = text(100)


class EnrolmentExitSerializer(serializers.Serializer):
    """出编: the arguments of ``person_exit`` (编制划转 is recorded by a transfer, not here)."""

    end_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=OFFICER_EXIT_REASONS)
    doc_no = text(100)


class PostAssignmentSerializer(serializers.ModelSerializer):
    person = PersonBriefSerializer(read_only=True)
    unit = UnitBriefSerializer(read_only=True)
    leadership_level = optional_choice_output(LeadershipLevel.choices)

    class Meta:
        model = PostAssignment
        fields = [
            "id",
            "person",
            "unit",
            "title",
            "kind",
            "is_leadership",
            "leadership_level",
            "start_date",
            "end_date",
            "doc_no",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PostAssignmentCreateSerializer(serializers.Serializer):
    """安排岗位 / 兼任: the arguments of ``post_assign``."""

    person = VisiblePersonField()
    unit = VisibleUnitField()
    title = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PostKind.choices)
    is_leadership = serializers.BooleanField(default=False)
    leadership_level = serializers.ChoiceField(
        choices=LeadershipLevel.choices, allow_blank=True, default=""
    )
    start_date = serializers.DateField()
    doc_no = text(100)


class PostEndSerializer(serializers.Serializer):
    """离任: the argument of ``post_end``."""

    end_date = serializers.DateField()


# ------------------------------------------------------------------ jobs


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "stage",
            "done",
            "total",
            "percent",
            "params",
            "result",
            "error",
            "input_name",
            "output_name",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
