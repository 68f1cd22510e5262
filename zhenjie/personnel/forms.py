"""Forms of the real-name register."""

from typing import Any

from django import forms

from zhenjie.core.forms import DateInput
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_list
from zhenjie.staffing.choices import LeadershipLevel
from zhenjie.staffing.forms import quota_unit_queryset
from zhenjie.staffing.models import QuotaType

from .choices import Education, EntryChannel, ExitReason, PoliticalStatus, PostKind
from .models import Person


def live_units(user: Any) -> Any:
    return unit_list(user=user).filter(abolished_on__isnull=True)


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=30)
    ethnicity = forms.CharField(label="民族", max_length=20, required=False)
    education = forms.ChoiceField(
        label="学历", choices=[("", "---------"), *Education.choices], required=False
    )
    major = forms.CharField(label="所学专业", max_length=100, required=False)
    political_status = forms.ChoiceField(
        label="政治面貌", choices=[("", "---------"), *PoliticalStatus.choices], required=False
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    notes = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EnrolFields(forms.Form):
    unit = forms.ModelChoiceField(label="编制所在机构", queryset=Unit.objects.none())
    quota_type = forms.ModelChoiceField(
        label="编制类型", queryset=QuotaType.objects.filter(is_active=True)
    )
    channel = forms.ChoiceField(label="进入形式", choices=EntryChannel.choices)
    start_date = forms.DateField(label="入编日期", widget=DateInput())
    doc_no = forms.CharField(label="入编文号", max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = quota_unit_queryset(user)  # type: ignore[attr-defined]


class PersonEnrolForm(PersonForm, EnrolFields):
    """Register a new person and enrol them, with their actual post, in one step."""

    post_unit = forms.ModelChoiceField(
        label="实际工作机构",
        queryset=Unit.objects.none(),
        required=False,
        help_text="不填则为编制所在机构; 在“办”工作的请选择具体的办",
    )
    post_title = forms.CharField(label="岗位/职务", max_length=100, initial="工作人员")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["post_unit"].queryset = live_units(user)  # type: ignore[attr-defined]


class EnrolForm(EnrolFields):
    pass


class ExitForm(forms.Form):
    end_date = forms.DateField(label="出编日期", widget=DateInput())
    reason = forms.ChoiceField(
        label="出编原因",
        choices=[c for c in ExitReason.choices if c[0] != ExitReason.QUOTA_TRANSFER],
    )
    doc_no = forms.CharField(label="出编文号", max_length=100, required=False)


class PostForm(forms.Form):
    unit = forms.ModelChoiceField(label="工作机构", queryset=Unit.objects.none())
    title = forms.CharField(label="岗位/职务", max_length=100)
    kind = forms.ChoiceField(
        label="岗位类型", choices=PostKind.choices, help_text="选择“实际工作岗位”将结束当前岗位"
    )
    is_leadership = forms.BooleanField(label="班子成员", required=False)
    leadership_level = forms.ChoiceField(
        label="领导职级", choices=[("", "---------"), *LeadershipLevel.choices], required=False
    )
    start_date = forms.DateField(label="任职日期", widget=DateInput())
    doc_no = forms.CharField(label="任职文号", max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = live_units(user)  # type: ignore[attr-defined]


class PostEndForm(forms.Form):
    end_date = forms.DateField(label="离任日期", widget=DateInput())


class TransferForm(forms.Form):
    from_unit = forms.ModelChoiceField(label="划出机构", queryset=Unit.objects.none())
    to_unit = forms.ModelChoiceField(label="划入机构", queryset=Unit.objects.none())
    quota_type = forms.ModelChoiceField(
        label="编制类型", queryset=QuotaType.objects.filter(is_active=True)
    )
    amount = forms.IntegerField(label="划转编制数", min_value=1)
    persons = forms.ModelMultipleChoiceField(
        label="随编划转人员",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="人随编走: 选择划出机构中随编制划转的在编人员",
    )
    post_title = forms.CharField(label="划入后岗位", max_length=100, required=False)
    doc_no = forms.CharField(label="批准文号", max_length=100)
    effective_on = forms.DateField(label="生效日期", widget=DateInput())
    summary = forms.CharField(label="摘要", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = quota_unit_queryset(user)
        self.fields["from_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["to_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["persons"].queryset = persons  # type: ignore[attr-defined]
