"""Forms of the duties app."""

from typing import Any

from django import forms

from zhenjie.core.forms import DateInput
from zhenjie.organizations.models import Unit

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
