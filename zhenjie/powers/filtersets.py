"""Filters of the delegated powers: the catalog, the answers of towns and streets, usage.

Field names follow the query strings of the powers pages (``batch``, ``department``,
``category``, ``item``), so a page's link to its export keeps the page's filter.
"""

import django_filters
from django.db.models import Q, QuerySet

from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit

from .choices import AcceptanceStatus, DelegationMode, Grantee
from .models import Acceptance, DelegationBatch, PowerCategory, PowerItem, PowerUsage


def _batches() -> QuerySet[DelegationBatch]:
    return DelegationBatch.objects.order_by("-issued_on", "-id")


def _departments() -> QuerySet[Unit]:
    # Departments that delegated powers (the catalog is public, so are their names).
    return (
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, delegated_powers__isnull=False)
        .distinct()
        .order_by("path")
    )


class PowerItemFilterSet(django_filters.FilterSet):
    batch = django_filters.ModelChoiceFilter(label="赋权批次", queryset=_batches())
    department = django_filters.ModelChoiceFilter(label="原实施主体", queryset=_departments())
    category = django_filters.ModelChoiceFilter(
        label="权力类别", queryset=PowerCategory.objects.all()
    )
    mode = django_filters.ChoiceFilter(label="赋权方式", choices=DelegationMode.choices)
    grantee = django_filters.ChoiceFilter(label="承接对象", choices=Grantee.choices)
    q = django_filters.CharFilter(label="编码或名称", method="filter_q")

    class Meta:
        model = PowerItem
        fields = ["batch", "department", "category", "mode", "grantee", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class AcceptanceFilterSet(django_filters.FilterSet):
    batch = django_filters.ModelChoiceFilter(
        label="赋权批次", field_name="item__batch", queryset=_batches()
    )
    department = django_filters.ModelChoiceFilter(
        label="原实施部门", field_name="item__department", queryset=_departments()
    )
    category = django_filters.ModelChoiceFilter(
        label="权力类别", field_name="item__category", queryset=PowerCategory.objects.all()
    )
    item = django_filters.ModelChoiceFilter(
        label="赋权事项", queryset=PowerItem.objects.order_by("batch", "code")
    )
    unit = django_filters.CharFilter(
        label="镇(街道)", field_name="unit__name", lookup_expr="icontains"
    )
    status = django_filters.ChoiceFilter(label="承接情况", choices=AcceptanceStatus.choices)

    class Meta:
        model = Acceptance
        fields = ["batch", "department", "category", "item", "unit", "status"]


class PowerUsageFilterSet(django_filters.FilterSet):
    batch = django_filters.ModelChoiceFilter(
        label="赋权批次", field_name="item__batch", queryset=_batches()
    )
    item = django_filters.ModelChoiceFilter(
        label="赋权事项", queryset=PowerItem.objects.order_by("batch", "code")
    )
    unit = django_filters.CharFilter(
        label="镇(街道)", field_name="unit__name", lookup_expr="icontains"
    )
    since = django_filters.DateFilter(
        label="起始日期不早于", field_name="period_start", lookup_expr="gte"
    )
    until = django_filters.DateFilter(
        label="截止日期不晚于", field_name="period_end", lookup_expr="lte"
    )

    class Meta:
        model = PowerUsage
        fields = ["batch", "item", "unit", "since", "until"]
