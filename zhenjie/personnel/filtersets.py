"""Filters for the real-name register."""

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q

from zhenjie.staffing.models import QuotaType

from .choices import Gender
from .models import Enrolment, Person


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名或身份证号", method="filter_q")
    unit = django_filters.CharFilter(label="编制所在机构", method="filter_unit")
    quota_type = django_filters.ModelChoiceFilter(
        label="编制类型", queryset=QuotaType.objects.all(), method="filter_quota_type"
    )
    gender = django_filters.ChoiceFilter(label="性别", choices=Gender.choices)
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[("in", "在编"), ("out", "不在编")],
        method="filter_status",
        empty_label="全部",
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "quota_type", "gender", "status"]

    def _current(self) -> Q:
        today = dt.date.today()
        return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gt=today))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        # Exact ID lookups only: a partial ID search would let masked digits be guessed.
        return queryset.filter(Q(name__icontains=value) | Q(id_number=value.upper()))

    def filter_unit(self, queryset, name, value):
        current = Enrolment.objects.filter(
            self._current(), person=OuterRef("pk"), unit__name__icontains=value
        )
        return queryset.filter(Exists(current))

    def filter_quota_type(self, queryset, name, value):
        current = Enrolment.objects.filter(self._current(), person=OuterRef("pk"), quota_type=value)
        return queryset.filter(Exists(current))

    def filter_status(self, queryset, name, value):
        current = Exists(Enrolment.objects.filter(self._current(), person=OuterRef("pk")))
        return queryset.filter(current if value == "in" else ~current)
