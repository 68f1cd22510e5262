"""Filters of the case register and the certificate list (query strings ``town``, ``power``,
``stage``, ``procedure``, ``overdue``, ``q``; certificates ``status``, ``q``)."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from zhenjie.organizations.choices import BASE_LEVEL_KINDS
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_list
from zhenjie.powers.models import PowerItem

from .choices import Procedure, Stage
from .selectors import overdue_q


class CaseFilterSet(django_filters.FilterSet):
    town = django_filters.ModelChoiceFilter(
        label="镇(街道)", queryset=Unit.objects.filter(kind__in=BASE_LEVEL_KINDS).order_by("path")
    )
    power = django_filters.ModelChoiceFilter(
        label="处罚事项",
        queryset=PowerItem.objects.filter(category__code="penalty").order_by("code"),
    )
    stage = django_filters.ChoiceFilter(label="环节", choices=Stage.choices)
    procedure = django_filters.ChoiceFilter(label="程序", choices=Procedure.choices)
    overdue = django_filters.BooleanFilter(label="逾期", method="filter_overdue")
    year = django_filters.NumberFilter(label="立案年度", field_name="opened_on", lookup_expr="year")
    q = django_filters.CharFilter(label="案号或当事人", method="filter_q")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the towns the user may see are offered (and accepted) as a filter value.
        self.filters["town"].queryset = unit_list(user=user).filter(kind__in=BASE_LEVEL_KINDS)

    def filter_overdue(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        condition = overdue_q(dt.date.today())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(party_name__icontains=value))


CERTIFICATE_STATUS = [
    ("valid", "有效"),
    ("invalid", "无效"),
    ("expiring", "90日内到期或待审验"),
]


class CertificateFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=CERTIFICATE_STATUS, method="filter_status"
    )
    q = django_filters.CharFilter(label="持证人或证号", method="filter_q")

    def __init__(self, *args: Any, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on = on

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "valid":
            return queryset.filter(is_valid=True)
        if value == "invalid":
            return queryset.filter(is_valid=False)
        if value == "expiring":
            soon = self.on + dt.timedelta(days=90)
            return queryset.filter(is_valid=True).filter(
                Q(expires_on__lte=soon) | Q(review_due_on__lte=soon)
            )
        return queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(holder__name__icontains=value))
