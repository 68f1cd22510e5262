"""Serializers of dispatched agencies (派出机构) under dual management.

As in ``serializers``: ``<Model>Serializer`` renders, and the input serializers' validated data
are the keyword arguments of one ``zhenjie.agencies.services`` function.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhenjie.agencies.choices import (
    AssessmentParty,
    MoveDecision,
    MoveKind,
    MoveStatus,
    TaskOutcome,
)
from zhenjie.agencies.models import Agency, Assessment, CommandTask, PersonnelMove
from zhenjie.agencies.selectors import agency_list
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_list

from .serializers import (
    IdRelatedField,
    PersonBriefSerializer,
    UnitBriefSerializer,
    VisiblePersonField,
    optional_choice_output,
    text,
)


class VisibleAgencyField(IdRelatedField):
    """An agency under dual management the requesting user sees."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Agency.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Agency]:
        return agency_list(user=self.context["request"].user)


class VisibleAgencyUnitField(IdRelatedField):
    """A dispatched agency unit the requesting user sees."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Unit.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list(user=self.context["request"].user).filter(kind=UnitKind.DISPATCHED_AGENCY)


class AgencySerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    host = serializers.SerializerMethodField(help_text="所在镇(街道)")
    department = serializers.SerializerMethodField(help_text="主管部门")
    head = PersonBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ["id", "unit", "host", "department", "since", "basis_doc", "head", "notes"]
        read_only_fields = fields

    @extend_schema_field(UnitBriefSerializer)
    def get_host(self, obj: Agency) -> dict[str, Any]:
        return UnitBriefSerializer(obj.unit.parent).data

    @extend_schema_field(UnitBriefSerializer)
    def get_department(self, obj: Agency) -> dict[str, Any]:
        return UnitBriefSerializer(obj.unit.department).data


class AgencyCreateSerializer(serializers.Serializer):
    unit = VisibleAgencyUnitField(help_text="派出机构(机构 id)")
    since = serializers.DateField(help_text="实行双重管理日期")
    basis_doc = text(100)
    head = VisiblePersonField(required=False, allow_null=True, default=None)
    notes = text()


class AssessmentSerializer(serializers.ModelSerializer):
    scored_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Assessment
        fields = ["id", "agency", "year", "party", "score", "comment", "scored_on", "scored_by"]
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer):
    agency = VisibleAgencyField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    party = serializers.ChoiceField(choices=AssessmentParty.choices)
    score = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)
    scored_on = serializers.DateField()
    comment = text()


class AnnualResultQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="考核年度")


class TaskTallySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    not_done = serializers.IntegerField()
    open = serializers.IntegerField()
    completion_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    on_time_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class AnnualResultSerializer(serializers.Serializer):
    """An agency's year: both scores, the combined score and the tasks assigned that year."""

    agency = serializers.IntegerField(source="agency.pk")
    agency_name = serializers.CharField(source="agency.unit.name")
    year = serializers.IntegerField()
    town_score = serializers.DecimalField(
        source="town.score", max_digits=4, decimal_places=1, allow_null=True, default=None
    )
    department_score = serializers.DecimalField(
        source="department.score", max_digits=4, decimal_places=1, allow_null=True, default=None
    )
    weight = serializers.DecimalField(max_digits=4, decimal_places=3, help_text="镇(街道)评分权重")
    combined = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    tasks = TaskTallySerializer()


class PersonnelMoveSerializer(serializers.ModelSerializer):
    person = PersonBriefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=MoveKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=MoveStatus.choices, read_only=True)
    decision = optional_choice_output(MoveDecision.choices)

    class Meta:
        model = PersonnelMove
        fields = [
            "id",
            "agency",
            "kind",
            "person",
            "description",
            "proposed_on",
            "status",
            "town_agrees",
            "town_reason",
            "town_opinion_on",
            "town_opinion_doc",
            "decision",
            "decided_on",
            "decision_doc",
            "decision_reason",
            "followed_opinion",
        ]
        read_only_fields = fields


class PersonnelMoveProposeSerializer(serializers.Serializer):
    agency = VisibleAgencyField()
    kind = serializers.ChoiceField(choices=MoveKind.choices)
    person = VisiblePersonField()
    description = serializers.CharField()
    proposed_on = serializers.DateField()


class PersonnelMoveOpinionSerializer(serializers.Serializer):
    agrees = serializers.BooleanField(help_text="镇(街道)党(工)委是否同意")
    reason = text(help_text="不同意的须写明理由")
    opinion_on = serializers.DateField()
    opinion_doc = text(100)


class PersonnelMoveDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=MoveDecision.choices)
    decided_on = serializers.DateField()
    decision_doc = text(100)
    reason = text(help_text="与镇(街道)意见不一致的须说明理由")


class CommandTaskSerializer(serializers.ModelSerializer):
    outcome = optional_choice_output(TaskOutcome.choices)

    class Meta:
        model = CommandTask
        fields = [
            "id",
            "agency",
            "title",
            "content",
            "assigned_on",
            "due_on",
            "outcome",
            "completed_on",
            "outcome_note",
        ]
        read_only_fields = fields


class CommandTaskAssignSerializer(serializers.Serializer):
    agency = VisibleAgencyField()
    title = serializers.CharField(max_length=200)
    content = text()
    assigned_on = serializers.DateField()
    due_on = serializers.DateField()


class CommandTaskCloseSerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = text()
