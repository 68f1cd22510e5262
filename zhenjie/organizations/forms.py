"""Forms of the organizations app (parse input only; rules live in services)."""

from typing import Any

from django import forms

from zhenjie.core.forms import DateInput

from .choices import UnitKind, UnitRank
from .models import Division, Unit
from .selectors import unit_list


class UnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类别", choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label="上级机构", queryset=Unit.objects.none())
    division = forms.ModelChoiceField(
        label="行政区划",
        queryset=Division.objects.all(),
        required=False,
        help_text="镇、街道及以上机构须关联行政区划",
    )
    department = forms.ModelChoiceField(
        label="主管部门", queryset=Unit.objects.none(), required=False, help_text="仅派出机构填写"
    )
    rank = forms.ChoiceField(label="机构规格", choices=UnitRank.choices, required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    established_on = forms.DateField(label="设立日期", widget=DateInput())
    established_doc = forms.CharField(label="设立文号", max_length=100, required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)
    notes = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = unit_list(user=user).filter(abolished_on__isnull=True)
        self.fields["parent"].queryset = visible  # type: ignore[attr-defined]
        self.fields["department"].queryset = visible.filter(kind=UnitKind.DEPARTMENT)  # type: ignore[attr-defined]


class UnitEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    rank = forms.ChoiceField(label="机构规格", choices=UnitRank.choices, required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    established_doc = forms.CharField(label="设立文号", max_length=100, required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, required=False)
    notes = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(label="变更原因", max_length=100, required=False)


class UnitAbolishForm(forms.Form):
    abolished_on = forms.DateField(label="撤销日期", widget=DateInput())
    abolished_doc = forms.CharField(label="撤销文号", max_length=100)


class DockingLinkForm(forms.Form):
    department = forms.ModelChoiceField(label="县直部门", queryset=Unit.objects.none())
    notes = forms.CharField(label="对接事项", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = unit_list(user=user).filter(  # type: ignore[attr-defined]
            kind=UnitKind.DEPARTMENT, abolished_on__isnull=True
        )
