"""Filters and ordering of the API's lists; the apps' filtersets are reused where they fit."""

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from zhenjie.duties.choices import AdmissionStatus, DutyClass, EditionStatus, ListKind, MatterType
from zhenjie.duties.models import ConsultationRound, DutyAdmission, DutyItem, DutyList, Edition
from zhenjie.jobs.models import Job, JobStatus
from zhenjie.organizations.choices import DivisionLevel
from zhenjie.organizations.filtersets import UnitFilterSet
from zhenjie.organizations.models import Division, DockingLink
from zhenjie.personnel.choices import EntryChannel, PostKind
from zhenjie.personnel.filtersets import PersonFilterSet
from zhenjie.personnel.models import Enrolment, PostAssignment
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee, GuidanceKind
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)
from zhenjie.staffing.choices import LeadershipLevel
from zhenjie.staffing.filtersets import QuotaMovementFilterSet
from zhenjie.staffing.models import LeadershipQuota, QuotaTransfer, QuotaType, Redistribution
from zhenjie.workflows.choices import RequestStatus

# Ids are BigAutoField keys. A larger number names nothing, and as a foreign-key lookup
# (``unit=10**30``) it overflows SQLite's INTEGER instead of matching nothing.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """The id of a related object; out of the key range is a 400, not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StableOrderingFilter(OrderingFilter):
    """``?ordering=`` that always ends with the id, so pages never overlap on PostgreSQL."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("id")
        return ordering


def _open_filter(label: str) -> django_filters.BooleanFilter:
    return django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=label)


class DivisionFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label="区划代码(前缀)", lookup_expr="startswith")
    level = django_filters.ChoiceFilter(label="层级", choices=DivisionLevel.choices)
    parent = IdFilter(label="上级区划")

    class Meta:
        model = Division
        fields = ["code", "level", "parent"]


class UnitApiFilterSet(UnitFilterSet):
    parent = IdFilter(label="上级机构")
    division = IdFilter(label="行政区划")

    class Meta(UnitFilterSet.Meta):
        fields = [*UnitFilterSet.Meta.fields, "parent", "division"]


class DockingLinkFilterSet(django_filters.FilterSet):
    office = IdFilter(label="办")
    department = IdFilter(label="县直部门")

    class Meta:
        model = DockingLink
        fields = ["office", "department"]


class QuotaTypeFilterSet(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = QuotaType
        fields = ["nature", "is_active"]


class QuotaMovementApiFilterSet(QuotaMovementFilterSet):
    # The page filters the unit by name; programs also need it by id.
    unit_id = IdFilter(label="机构(编号)", field_name="unit")

    class Meta(QuotaMovementFilterSet.Meta):
        fields = [*QuotaMovementFilterSet.Meta.fields, "unit_id"]


class RedistributionFilterSet(django_filters.FilterSet):
    county = IdFilter(label="旗县(市、区)")
    quota_type = IdFilter(label="编制类型")
    since = django_filters.DateFilter(
        label="起始日期", field_name="effective_on", lookup_expr="gte"
    )
    until = django_filters.DateFilter(
        label="截止日期", field_name="effective_on", lookup_expr="lte"
    )

    class Meta:
        model = Redistribution
        fields = ["county", "quota_type", "since", "until"]


class LeadershipQuotaFilterSet(django_filters.FilterSet):
    unit = IdFilter(label="机构")
    level = django_filters.ChoiceFilter(label="职级", choices=LeadershipLevel.choices)

    class Meta:
        model = LeadershipQuota
        fields = ["unit", "level"]


class QuotaTransferFilterSet(django_filters.FilterSet):
    unit = IdFilter(label="划出或划入机构", method="filter_unit")
    from_unit = IdFilter(label="划出机构")
    to_unit = IdFilter(label="划入机构")
    quota_type = IdFilter(label="编制类型")

    class Meta:
        model = QuotaTransfer
        fields = ["unit", "from_unit", "to_unit", "quota_type"]

    def filter_unit(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(Q(from_unit=value) | Q(to_unit=value))


class PersonApiFilterSet(PersonFilterSet):
    # The page's quota_type filters through a method and Person has no such field, so the schema
    # could not tell its type; the same method, declared as an id.
    quota_type = IdFilter(label="编制类型", method="filter_quota_type")


class EnrolmentFilterSet(django_filters.FilterSet):
    person = IdFilter(label="人员")
    unit = IdFilter(label="编制所在机构")
    quota_type = IdFilter(label="编制类型")
    channel = django_filters.ChoiceFilter(label="进入形式", choices=EntryChannel.choices)
    is_open = _open_filter("未出编")
    on = django_filters.DateFilter(label="某日在编", method="filter_on")

    class Meta:
        model = Enrolment
        fields = ["person", "unit", "quota_type", "channel", "is_open", "on"]

    def filter_on(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.active_on(value)  # type: ignore[attr-defined]


class PostAssignmentFilterSet(django_filters.FilterSet):
    person = IdFilter(label="人员")
    unit = IdFilter(label="工作机构")
    kind = django_filters.ChoiceFilter(label="岗位类型", choices=PostKind.choices)
    is_leadership = django_filters.BooleanFilter(label="班子成员")
    is_open = _open_filter("未离任")
    on = django_filters.DateFilter(label="某日在岗", method="filter_on")

    class Meta:
        model = PostAssignment
        fields = ["person", "unit", "kind", "is_leadership", "is_open", "on"]

    def filter_on(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.active_on(value)  # type: ignore[attr-defined]


class JobFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=JobStatus.choices)
    kind = django_filters.CharFilter(label="任务类型")

    class Meta:
        model = Job
        fields = ["status", "kind"]


# ------------------------------------------------------------------ powers


class DelegationBatchFilterSet(django_filters.FilterSet):
    doc_no = django_filters.CharFilter(label="文号")
    since = django_filters.DateFilter(label="发文日期起", field_name="issued_on", lookup_expr="gte")
    until = django_filters.DateFilter(label="发文日期止", field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = DelegationBatch
        fields = ["doc_no", "since", "until"]


class PowerItemFilterSet(django_filters.FilterSet):
    batch = IdFilter(label="赋权批次")
    category = IdFilter(label="权力类别")
    department = IdFilter(label="原实施主体")
    mode = django_filters.ChoiceFilter(label="赋权方式", choices=DelegationMode.choices)
    grantee = django_filters.ChoiceFilter(label="承接对象", choices=Grantee.choices)
    code = django_filters.CharFilter(label="事项编码")

    class Meta:
        model = PowerItem
        fields = ["batch", "category", "department", "mode", "grantee", "code"]


class AcceptanceFilterSet(django_filters.FilterSet):
    unit = IdFilter(label="镇(街道)")
    item = IdFilter(label="赋权事项")
    batch = IdFilter(label="赋权批次", field_name="item__batch")
    status = django_filters.ChoiceFilter(label="承接情况", choices=AcceptanceStatus.choices)

    class Meta:
        model = Acceptance
        fields = ["unit", "item", "batch", "status"]


class ResourcePledgeFilterSet(django_filters.FilterSet):
    department = IdFilter(label="县直部门")
    batch = IdFilter(label="赋权批次")

    class Meta:
        model = ResourcePledge
        fields = ["department", "batch"]


class GuidanceFilterSet(django_filters.FilterSet):
    department = IdFilter(label="县直部门")
    item = IdFilter(label="赋权事项")
    unit = IdFilter(label="参加的镇(街道)", field_name="units")
    kind = django_filters.ChoiceFilter(label="类型", choices=GuidanceKind.choices)

    class Meta:
        model = Guidance
        fields = ["department", "item", "unit", "kind"]


class PowerUsageFilterSet(django_filters.FilterSet):
    unit = IdFilter(label="镇(街道)")
    item = IdFilter(label="赋权事项")
    batch = IdFilter(label="赋权批次", field_name="item__batch")
    since = django_filters.DateFilter(
        label="起始日期不早于", field_name="period_start", lookup_expr="gte"
    )
    until = django_filters.DateFilter(
        label="截止日期不晚于", field_name="period_end", lookup_expr="lte"
    )

    class Meta:
        model = PowerUsage
        fields = ["unit", "item", "batch", "since", "until"]


# ------------------------------------------------------------------ duties


class DutyListFilterSet(django_filters.FilterSet):
    county = IdFilter(label="旗县(市、区)")
    kind = django_filters.ChoiceFilter(label="类别", choices=ListKind.choices)

    class Meta:
        model = DutyList
        fields = ["county", "kind"]


class EditionFilterSet(django_filters.FilterSet):
    duty_list = IdFilter(label="清单")
    status = django_filters.ChoiceFilter(label="状态", choices=EditionStatus.choices)

    class Meta:
        model = Edition
        fields = ["duty_list", "status"]


class DutyItemFilterSet(django_filters.FilterSet):
    edition = IdFilter(label="版本")
    duty_class = django_filters.ChoiceFilter(label="事项类别", choices=DutyClass.choices)
    lead_department = IdFilter(label="牵头部门")
    code = django_filters.CharFilter(label="编号")

    class Meta:
        model = DutyItem
        fields = ["edition", "duty_class", "lead_department", "code"]


class ConsultationRoundFilterSet(django_filters.FilterSet):
    edition = IdFilter(label="征求意见稿")
    party = IdFilter(label="征求对象", field_name="parties")

    class Meta:
        model = ConsultationRound
        fields = ["edition", "party"]


class DutyAdmissionFilterSet(django_filters.FilterSet):
    department = IdFilter(label="申请部门")
    town = IdFilter(label="承担的镇(街道)", field_name="towns")
    matter_type = django_filters.ChoiceFilter(label="事项性质", choices=MatterType.choices)
    is_temporary = django_filters.BooleanFilter(label="阶段性、临时性任务")
    status = django_filters.ChoiceFilter(
        label="状态", choices=AdmissionStatus.choices, method="filter_status"
    )

    class Meta:
        model = DutyAdmission
        fields = ["department", "town", "matter_type", "is_temporary", "status"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The status follows the approval request; before submission the towns are consulted.
        if value == AdmissionStatus.DRAFT:
            return queryset.filter(Q(request__isnull=True) | Q(request__status=RequestStatus.DRAFT))
        return queryset.filter(request__status=value)
