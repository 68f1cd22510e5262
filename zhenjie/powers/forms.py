"""Forms of the powers app."""

from typing import Any

from django import forms

from zhenjie.core.forms import DateInput
from zhenjie.organizations.models import Unit

from .choices import AcceptanceStatus
from .models import PowerItem
from .selectors import base_units


class AcceptanceForm(forms.Form):
    unit = forms.ModelChoiceField(label="镇(街道)", queryset=Unit.objects.none())
    item = forms.ModelChoiceField(label="赋权事项", queryset=PowerItem.objects.none())
    status = forms.ChoiceField(label="承接情况", choices=AcceptanceStatus.choices)
    responsible_unit = forms.ModelChoiceField(
        label="承办机构",
        queryset=Unit.objects.none(),
        required=False,
        help_text="承接时填写本镇(街道)的承办机构; 暂缓或不承接时不填",
    )
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="不承接或暂缓承接须书面说明理由",
    )
    effective_on = forms.DateField(label="生效日期", widget=DateInput())

    def __init__(self, *args: Any, user: Any, batch: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = base_units(user=user)
        ids = [u.pk for u in units]
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["responsible_unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            parent_id__in=ids, abolished_on__isnull=True
        ).select_related("parent")
        self.fields["item"].queryset = PowerItem.objects.filter(batch=batch)  # type: ignore[attr-defined]
        self.fields["responsible_unit"].label_from_instance = lambda u: f"{u.parent.name} {u.name}"  # type: ignore[attr-defined]


class UsageForm(forms.Form):
    unit = forms.ModelChoiceField(label="镇(街道)", queryset=Unit.objects.none())
    item = forms.ModelChoiceField(label="赋权事项", queryset=PowerItem.objects.none())
    period_start = forms.DateField(label="起始日期", widget=DateInput())
    period_end = forms.DateField(label="截止日期", widget=DateInput())
    count = forms.IntegerField(label="行权次数", min_value=0)

    def __init__(self, *args: Any, user: Any, batch: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=[u.pk for u in base_units(user=user)])
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["item"].queryset = PowerItem.objects.filter(batch=batch)  # type: ignore[attr-defined]
