"""Forms of the duties app."""

from typing import Any

from django import forms

from zhenjie.core.forms import DateInput
from zhenjie.organizations.choices import BASE_LEVEL_KINDS, UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_list

from .choices import DutyClass, MatterType
from .models import DutyItem


class ReplyForm(forms.Form):
    party = forms.ModelChoiceField(label="反馈单位", queryset=Unit.objects.none())
    no_changes = forms.BooleanField(label="无修改意见", required=False)
    item = forms.ModelChoiceField(
        label="针对事项", queryset=DutyItem.objects.none(), required=False
    )
    opinion = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    replied_on = forms.DateField(label="反馈日期", widget=DateInput())

    def __init__(self, *args: Any, consultation: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["item"].queryset = consultation.edition.items.all()  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label="改为", choices=[])
    doc_no = forms.CharField(label="文号", max_length=100, required=False)
    published_on = forms.DateField(label="公布日期", widget=DateInput(), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices  # type: ignore[attr-defined]


class AdmissionForm(forms.Form):
    department = forms.ModelChoiceField(label="申请部门", queryset=Unit.objects.none())
    title = forms.CharField(label="事项名称", max_length=200)
    content = forms.CharField(label="工作内容", widget=forms.Textarea(attrs={"rows": 3}))
    matter_type = forms.ChoiceField(label="事项性质", choices=MatterType.choices)
    legal_basis = forms.CharField(
        label="依据", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    necessity = forms.CharField(
        label="必要性说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    is_temporary = forms.BooleanField(label="阶段性、临时性任务", required=False)
    duty_class = forms.ChoiceField(
        label="拟列入类别", choices=DutyClass.choices, initial=DutyClass.COOPERATING
    )
    towns = forms.ModelMultipleChoiceField(label="承担的镇(街道)", queryset=Unit.objects.none())
    people_stated = forms.IntegerField(label="随事项下沉人员(人)", min_value=0, initial=0)
    funds_stated = forms.DecimalField(
        label="随事项划拨经费(元)", min_value=0, decimal_places=2, initial=0
    )
    resources_note = forms.CharField(
        label="人员和经费保障说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = unit_list(user=user).filter(abolished_on__isnull=True)
        self.fields["department"].queryset = visible.filter(kind=UnitKind.DEPARTMENT)  # type: ignore[attr-defined]
        self.fields["towns"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            kind__in=BASE_LEVEL_KINDS, abolished_on__isnull=True
        ).order_by("path")


class OpinionForm(forms.Form):
    unit = forms.ModelChoiceField(label="镇(街道)", queryset=Unit.objects.none())
    agrees = forms.TypedChoiceField(
        label="意见", choices=[("1", "同意承担"), ("0", "不同意")], coerce=lambda v: v == "1"
    )
    opinion = forms.CharField(label="具体意见", widget=forms.Textarea(attrs={"rows": 2}))
    recorded_on = forms.DateField(label="日期", widget=DateInput())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class AssignmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="镇(街道)", queryset=Unit.objects.none())
    assigned_on = forms.DateField(label="交办日期", widget=DateInput())
    note = forms.CharField(label="说明", required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
