"""Filters for unit lists."""

import django_filters
from django.db.models import Q

from .choices import UnitKind
from .models import Unit


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", method="filter_q")
    kind = django_filters.ChoiceFilter(label="类别", choices=UnitKind.choices)
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[("active", "在用"), ("abolished", "已撤销")],
        method="filter_status",
        empty_label="全部",
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(abolished_on__isnull=(value == "active"))
