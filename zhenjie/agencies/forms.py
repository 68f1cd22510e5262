"""Forms of the agencies app: each parses input for one service."""

from typing import Any

from django import forms

from zhenjie.core.forms import DateInput
from zhenjie.personnel.models import Person

from .choices import AssessmentParty, MoveDecision, MoveKind


class AgencyForm(forms.Form):
    since = forms.DateField(label="实行双重管理日期", widget=DateInput())
    basis_doc = forms.CharField(label="依据文件文号", max_length=100, required=False)
    head = forms.ModelChoiceField(
        label="现任负责人", queryset=Person.objects.none(), required=False
    )
    notes = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = staff  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    party = forms.ChoiceField(label="评分方", choices=[])
    score = forms.DecimalField(label="评分", min_value=0, max_value=100, decimal_places=1)
    scored_on = forms.DateField(label="评分日期", widget=DateInput())
    comment = forms.CharField(
        label="评价意见", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, parties: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [  # type: ignore[attr-defined]
            (p, AssessmentParty(p).label) for p in parties
        ]


class MoveForm(forms.Form):
    kind = forms.ChoiceField(label="调整类型", choices=MoveKind.choices)
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    description = forms.CharField(label="调整事项说明", widget=forms.Textarea(attrs={"rows": 2}))
    proposed_on = forms.DateField(label="提出日期", widget=DateInput())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class OpinionForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="党(工)委意见",
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="不同意的须写明理由",
    )
    opinion_on = forms.DateField(label="意见日期", widget=DateInput())
    opinion_doc = forms.CharField(label="会议纪要或文号", max_length=100, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=MoveDecision.choices)
    decided_on = forms.DateField(label="决定日期", widget=DateInput())
    decision_doc = forms.CharField(label="决定文号", max_length=100, required=False)
    reason = forms.CharField(
        label="决定说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="与镇(街道)意见不一致的须说明理由",
    )


class TaskForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=200)
    content = forms.CharField(
        label="任务内容", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    assigned_on = forms.DateField(label="交办日期", widget=DateInput())
    due_on = forms.DateField(label="完成时限", widget=DateInput())


class TaskCloseForm(forms.Form):
    completed = forms.TypedChoiceField(
        label="办理结果", choices=[("1", "已完成"), ("0", "未完成")], coerce=lambda v: v == "1"
    )
    completed_on = forms.DateField(label="完成日期", widget=DateInput(), required=False)
    note = forms.CharField(
        label="办理情况",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="未完成的须说明情况",
    )
