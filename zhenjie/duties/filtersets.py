"""Filters of the items (清单事项) of the three lists; ``edition`` is the edition page's link."""

import django_filters
from django.db.models import Q, QuerySet

from zhenjie.core.filters import IdFilter

from .choices import DutyClass
from .models import DutyItem


class DutyItemFilterSet(django_filters.FilterSet):
    edition = IdFilter(label="版本(编号)", field_name="edition")
    duty_list = django_filters.CharFilter(
        label="清单", field_name="edition__duty_list__name", lookup_expr="icontains"
    )
    duty_class = django_filters.ChoiceFilter(label="事项类别", choices=DutyClass.choices)
    lead_department = django_filters.CharFilter(
        label="牵头部门", field_name="lead_department__name", lookup_expr="icontains"
    )
    q = django_filters.CharFilter(label="编号或名称", method="filter_q")

    class Meta:
        model = DutyItem
        fields = ["edition", "duty_list", "duty_class", "lead_department", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
