"""Filters for the registers whose apps have no list page filter (docking, leadership posts)."""

import django_filters

from zhenjie.organizations.models import DockingLink
from zhenjie.staffing.choices import LeadershipLevel
from zhenjie.staffing.models import LeadershipQuota


class DockingLinkFilterSet(django_filters.FilterSet):
    office = django_filters.CharFilter(
        label="办", field_name="office__name", lookup_expr="icontains"
    )
    department = django_filters.CharFilter(
        label="县直部门", field_name="department__name", lookup_expr="icontains"
    )

    class Meta:
        model = DockingLink
        fields = ["office", "department"]


class LeadershipQuotaFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(label="机构", field_name="unit__name", lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label="职级", choices=LeadershipLevel.choices)

    class Meta:
        model = LeadershipQuota
        fields = ["unit", "level"]
