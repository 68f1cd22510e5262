"""Serializers of the three lists (两目录一制度), their consultation rounds, and duty admission.

As in ``serializers``: ``<Model>Serializer`` renders, and the input serializers' validated data
are the keyword arguments of one ``zhenjie.duties.services`` or ``zhenjie.duties.admission``
function. Replies and meetings are shown within their round, opinions and assignments within
their application.
"""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhenjie.duties.choices import (
    EDITION_TRANSITIONS,
    AdmissionStatus,
    DutyClass,
    EditionStatus,
    ListKind,
    MatterType,
    MeetingKind,
)
from zhenjie.duties.models import (
    ConsultationRound,
    DutyAdmission,
    DutyItem,
    DutyList,
    Edition,
    Reply,
    ReviewMeeting,
    TaskAssignment,
    TownOpinion,
)
from zhenjie.duties.selectors import list_index

from . import selectors
from .serializers import (
    MAX_INT,
    CountyBaseUnitField,
    IdRelatedField,
    UnitBriefSerializer,
    VisibleUnitField,
    created_by_field,
    optional_choice_output,
    text,
)

# ------------------------------------------------------------------ references


class VisibleDutyListField(IdRelatedField):
    """A list the requesting user sees (``duties.selectors.list_index``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=DutyList.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[DutyList]:
        return list_index(user=self.context["request"].user)


class VisibleEditionField(IdRelatedField):
    """An edition of a list the requesting user sees (``selectors.edition_list``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Edition.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Edition]:
        return selectors.edition_list(user=self.context["request"].user)


class VisibleDutyItemField(IdRelatedField):
    """An item of an edition the requesting user sees (``selectors.duty_item_list``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=DutyItem.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[DutyItem]:
        return selectors.duty_item_list(user=self.context["request"].user)


# ------------------------------------------------------------------ brief (nested) forms


class DutyListBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyList
        fields = ["id", "kind", "name"]
        read_only_fields = fields


class EditionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Edition
        fields = ["id", "label", "status", "published_on"]
        read_only_fields = fields


class DutyItemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyItem
        fields = ["id", "code", "name"]
        read_only_fields = fields


# ------------------------------------------------------------------ lists and editions


class DutyListSerializer(serializers.ModelSerializer):
    county = UnitBriefSerializer(read_only=True)
    editions = EditionBriefSerializer(many=True, read_only=True, help_text="各版本, 新的在前")

    class Meta:
        model = DutyList
        fields = ["id", "kind", "name", "county", "editions", "created_at", "updated_at"]
        read_only_fields = fields


class DutyListCreateSerializer(serializers.Serializer):
    """新建清单: the arguments of ``duty_list_create``."""

    county = VisibleUnitField(help_text="旗县(市、区)")
    kind = serializers.ChoiceField(choices=ListKind.choices)
    name = serializers.CharField(max_length=200)


class EditionSerializer(serializers.ModelSerializer):
    duty_list = DutyListBriefSerializer(read_only=True)
    based_on = EditionBriefSerializer(read_only=True, allow_null=True)
    item_count = serializers.IntegerField(read_only=True, help_text="事项数")
    next_statuses = serializers.SerializerMethodField(help_text="可改为的状态")

    class Meta:
        model = Edition
        fields = [
            "id",
            "duty_list",
            "label",
            "status",
            "next_statuses",
            "based_on",
            "doc_no",
            "published_on",
            "text",
            "item_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(EditionStatus.choices))
    )
    def get_next_statuses(self, edition: Edition) -> list[str]:
        return sorted(EDITION_TRANSITIONS[edition.status])


class EditionCreateSerializer(serializers.Serializer):
    """新建版本 (动态调整 when ``based_on`` names the published one): ``edition_create``."""

    duty_list = VisibleDutyListField()
    label = serializers.CharField(max_length=100)
    based_on = VisibleEditionField(allow_null=True, default=None, help_text="调整自(现行公布版本)")
    text = text(help_text="办法类文件的正文; 不填则沿用所调整版本的正文")


class EditionTransitionSerializer(serializers.Serializer):
    """改变版本状态: the arguments of ``edition_transition``."""

    to = serializers.ChoiceField(choices=EditionStatus.choices, help_text="改为")
    doc_no = text(100, help_text="公布时必填")
    published_on = serializers.DateField(allow_null=True, default=None, help_text="公布时必填")


class EditionCompareQuerySerializer(serializers.Serializer):
    """``?old=``: the earlier edition of the same list."""

    old = VisibleEditionField(help_text="对比的旧版本")


class DutyItemSerializer(serializers.ModelSerializer):
    lead_department = UnitBriefSerializer(read_only=True, allow_null=True)
    duty_class = optional_choice_output(DutyClass.choices)

    class Meta:
        model = DutyItem
        fields = [
            "id",
            "edition",
            "code",
            "name",
            "area",
            "duty_class",
            "basis",
            "responsible",
            "lead_department",
            "county_duties",
            "town_duties",
            "cooperating",
            "workflow",
        ]
        read_only_fields = fields


class DutyItemUpdateSerializer(serializers.Serializer):
    """修改事项: the fields ``duty_item_save`` may change (send only those that change)."""

    code = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=300)
    area = text(50)
    duty_class = serializers.ChoiceField(choices=DutyClass.choices, allow_blank=True, default="")
    basis = text()
    responsible = text(200)
    lead_department = VisibleUnitField(
        allow_null=True, default=None, help_text="牵头(主体责任)部门"
    )
    county_duties = text()
    town_duties = text()
    cooperating = text(300)
    workflow = text()


class DutyItemCreateSerializer(DutyItemUpdateSerializer):
    """新增事项 of a draft edition: the arguments of ``duty_item_save``."""

    edition = VisibleEditionField()


class EditionDiffChangeSerializer(serializers.Serializer):
    old = DutyItemSerializer(read_only=True)
    new = DutyItemSerializer(read_only=True)
    changed_fields = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="有变化的字段(中文名)"
    )


class EditionDiffSerializer(serializers.Serializer):
    """Item by item from ``old`` to ``new``, keyed by item code (``edition_compare``)."""

    old = EditionBriefSerializer(read_only=True)
    new = EditionBriefSerializer(read_only=True)
    text_changed = serializers.BooleanField(read_only=True, help_text="正文有变化")
    added = DutyItemSerializer(many=True, read_only=True)
    removed = DutyItemSerializer(many=True, read_only=True)
    changed = serializers.SerializerMethodField(help_text="有变化的事项及变化的字段")

    @extend_schema_field(EditionDiffChangeSerializer(many=True))
    def get_changed(self, report: dict[str, Any]) -> Any:
        rows = [
            {"old": old, "new": new, "changed_fields": fields}
            for old, new, fields in report["diff"].changed
        ]
        return EditionDiffChangeSerializer(rows, many=True).data


# ------------------------------------------------------------------ consultation rounds


class ReplySerializer(serializers.ModelSerializer):
    party = UnitBriefSerializer(read_only=True)
    item = DutyItemBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "round",
            "party",
            "item",
            "no_changes",
            "opinion",
            "replied_on",
            "created_at",
        ]
        read_only_fields = fields


class ReviewMeetingSerializer(serializers.ModelSerializer):
    party = UnitBriefSerializer(read_only=True)

    class Meta:
        model = ReviewMeeting
        fields = ["id", "round", "party", "kind", "held_on", "conclusion", "created_at"]
        read_only_fields = fields


class ConsultationRoundSerializer(serializers.ModelSerializer):
    edition = EditionBriefSerializer(read_only=True)
    parties = UnitBriefSerializer(many=True, read_only=True, help_text="征求对象")
    reply_parties = serializers.IntegerField(read_only=True, help_text="已反馈的单位数")
    created_by = created_by_field()

    class Meta:
        model = ConsultationRound
        fields = [
            "id",
            "edition",
            "title",
            "sent_on",
            "due_on",
            "parties",
            "reply_parties",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ConsultationRoundDetailSerializer(ConsultationRoundSerializer):
    """A round with who replied, who did not, the replies and the meetings (``round_status``)."""

    pending = serializers.SerializerMethodField(help_text="尚未反馈的单位")
    replies = serializers.SerializerMethodField()
    meetings = serializers.SerializerMethodField(help_text="研究会议")

    class Meta(ConsultationRoundSerializer.Meta):
        fields = [*ConsultationRoundSerializer.Meta.fields, "pending", "replies", "meetings"]
        read_only_fields = fields

    @extend_schema_field(UnitBriefSerializer(many=True))
    def get_pending(self, obj: ConsultationRound) -> Any:
        return UnitBriefSerializer(self.context["status"]["pending"], many=True).data

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, obj: ConsultationRound) -> Any:
        return ReplySerializer(self.context["status"]["replies"], many=True).data

    @extend_schema_field(ReviewMeetingSerializer(many=True))
    def get_meetings(self, obj: ConsultationRound) -> Any:
        return ReviewMeetingSerializer(self.context["status"]["meetings"], many=True).data


class ConsultationRoundCreateSerializer(serializers.Serializer):
    """征求意见: the arguments of ``round_start``."""

    edition = VisibleEditionField(help_text="征求意见稿")
    title = serializers.CharField(max_length=200)
    sent_on = serializers.DateField()
    due_on = serializers.DateField(help_text="反馈截止日期")
    parties = VisibleUnitField(many=True, help_text="征求意见的部门和镇(街道)")


class ReplyCreateSerializer(serializers.Serializer):
    """反馈意见: the arguments of ``reply_record``."""

    party = VisibleUnitField(help_text="反馈单位")
    replied_on = serializers.DateField()
    no_changes = serializers.BooleanField(default=False, help_text="无修改意见")
    opinion = text(help_text="意见; 选择无修改意见时不填")
    item = VisibleDutyItemField(allow_null=True, default=None, help_text="针对的事项")


class ReviewMeetingCreateSerializer(serializers.Serializer):
    """登记研究会议: the arguments of ``meeting_record``."""

    party = VisibleUnitField(help_text="单位")
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = serializers.DateField()
    conclusion = serializers.CharField(allow_blank=True, help_text="会议结论")


# ------------------------------------------------------------------ duty admission


class TownOpinionSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = TownOpinion
        fields = ["id", "admission", "unit", "agrees", "opinion", "recorded_on", "created_at"]
        read_only_fields = fields


class TaskAssignmentSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = TaskAssignment
        fields = ["id", "admission", "unit", "assigned_on", "note", "created_at"]
        read_only_fields = fields


class DutyAdmissionSerializer(serializers.ModelSerializer):
    department = UnitBriefSerializer(read_only=True)
    towns = UnitBriefSerializer(many=True, read_only=True, help_text="承担的镇(街道)")
    status = serializers.ChoiceField(
        choices=AdmissionStatus.choices, read_only=True, help_text="随审批申请的状态"
    )
    request = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="审批申请"
    )
    duty_item = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="准入后列入清单的事项"
    )
    opinions = TownOpinionSerializer(many=True, read_only=True, help_text="镇街意见")
    assignments = TaskAssignmentSerializer(many=True, read_only=True, help_text="交办任务")
    created_by = created_by_field()

    class Meta:
        model = DutyAdmission
        fields = [
            "id",
            "department",
            "title",
            "content",
            "matter_type",
            "legal_basis",
            "necessity",
            "is_temporary",
            "duty_class",
            "towns",
            "people_stated",
            "funds_stated",
            "resources_note",
            "status",
            "request",
            "duty_item",
            "opinions",
            "assignments",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DutyAdmissionCreateSerializer(serializers.Serializer):
    """职责准入申请: the arguments of ``admission_create``."""

    department = VisibleUnitField(help_text="申请部门")
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(help_text="工作内容")
    matter_type = serializers.ChoiceField(choices=MatterType.choices)
    legal_basis = serializers.CharField(allow_blank=True, help_text="法律法规或“三定”规定依据")
    towns = CountyBaseUnitField(many=True, help_text="承担的镇(街道)")
    people_stated = serializers.IntegerField(min_value=0, max_value=MAX_INT, default=0)
    funds_stated = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), default=Decimal("0")
    )
    resources_note = text(help_text="人员和经费保障说明")
    necessity = text(help_text="必要性说明")
    is_temporary = serializers.BooleanField(default=False, help_text="阶段性、临时性任务")
    duty_class = serializers.ChoiceField(choices=DutyClass.choices, default=DutyClass.COOPERATING)


class TownOpinionCreateSerializer(serializers.Serializer):
    """镇街意见: the arguments of ``opinion_record``."""

    unit = VisibleUnitField(help_text="镇(街道)")
    agrees = serializers.BooleanField(help_text="同意承担")
    opinion = serializers.CharField(allow_blank=True)
    recorded_on = serializers.DateField()


class TaskAssignSerializer(serializers.Serializer):
    """交办任务: the arguments of ``task_assign``."""

    unit = CountyBaseUnitField(help_text="镇(街道)")
    assigned_on = serializers.DateField()
    note = text()
