"""Filters for the quota ledger."""

import django_filters

from .choices import MovementKind
from .models import QuotaMovement, QuotaType


class QuotaMovementFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(label="机构", field_name="unit__name", lookup_expr="icontains")
    quota_type = django_filters.ModelChoiceFilter(
        label="编制类型", queryset=QuotaType.objects.all()
    )
    kind = django_filters.ChoiceFilter(label="变动类型", choices=MovementKind.choices)
    doc_no = django_filters.CharFilter(label="文号", lookup_expr="icontains")
    since = django_filters.DateFilter(
        label="起始日期", field_name="effective_on", lookup_expr="gte"
    )
    until = django_filters.DateFilter(
        label="截止日期", field_name="effective_on", lookup_expr="lte"
    )

    class Meta:
        model = QuotaMovement
        fields = ["unit", "quota_type", "kind", "doc_no", "since", "until"]
