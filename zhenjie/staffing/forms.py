"""Forms of the staffing app."""

from typing import Any

from django import forms

from zhenjie.core.forms import DateInput
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_list

from .choices import DIRECT_KINDS
from .models import QuotaType


def quota_unit_queryset(user: Any) -> Any:
    """Visible live units that can hold quota (not internal offices)."""
    return unit_list(user=user).filter(abolished_on__isnull=True).exclude(kind=UnitKind.OFFICE)


class QuotaMovementForm(forms.Form):
    unit = forms.ModelChoiceField(label="机构", queryset=Unit.objects.none())
    quota_type = forms.ModelChoiceField(
        label="编制类型", queryset=QuotaType.objects.filter(is_active=True)
    )
    kind = forms.ChoiceField(label="变动类型", choices=[(k.value, k.label) for k in DIRECT_KINDS])
    amount = forms.IntegerField(label="变动数(名)", min_value=1)
    doc_no = forms.CharField(label="批准文号", max_length=100)
    effective_on = forms.DateField(label="生效日期", widget=DateInput())
    summary = forms.CharField(label="变动摘要", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = quota_unit_queryset(user)  # type: ignore[attr-defined]


class RedistributionForm(forms.Form):
    county = forms.ModelChoiceField(label="旗县(市、区)", queryset=Unit.objects.none())
    quota_type = forms.ModelChoiceField(
        label="编制类型", queryset=QuotaType.objects.filter(is_active=True)
    )
    doc_no = forms.CharField(label="批准文号", max_length=100)
    effective_on = forms.DateField(label="生效日期", widget=DateInput())
    summary = forms.CharField(label="摘要", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = unit_list(user=user).filter(kind=UnitKind.COUNTY)  # type: ignore[attr-defined]


class RedistributionLineForm(forms.Form):
    unit = forms.ModelChoiceField(label="机构", queryset=Unit.objects.none(), required=False)
    delta = forms.IntegerField(label="增减(名)", required=False, help_text="调入为正, 调出为负")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = quota_unit_queryset(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("unit")) != (data.get("delta") not in (None, 0)):
            raise forms.ValidationError("每行须同时填写机构和非零的增减数")
        return data


RedistributionLineFormSet = forms.formset_factory(RedistributionLineForm, extra=6, max_num=50)
