"""Forms of the approval pages: one create form per request kind, and the decision form."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.urls import reverse

from zhenjie.core.forms import DateInput
from zhenjie.organizations.models import Unit
from zhenjie.personnel.models import Enrolment
from zhenjie.staffing.forms import quota_unit_queryset
from zhenjie.staffing.models import QuotaType

from .selectors import transfer_candidates, transfer_target_units


class RequestForm(forms.Form):
    """A create form: ``payload()`` turns its cleaned data into the kind's JSON payload."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: (
                value.pk
                if hasattr(value, "pk")
                else value.isoformat()
                if isinstance(value, dt.date)
                else value
            )
            for name, value in data.items()
        }


class QuotaChangeRequestForm(RequestForm):
    """核增编制 / 核减编制."""

    unit = forms.ModelChoiceField(label="申请机构", queryset=Unit.objects.none())
    quota_type = forms.ModelChoiceField(
        label="编制类型", queryset=QuotaType.objects.filter(is_active=True)
    )
    amount = forms.IntegerField(label="申请编制数(名)", min_value=1)
    doc_no = forms.CharField(label="批准文号", max_length=100)
    effective_on = forms.DateField(label="生效日期", widget=DateInput())
    summary = forms.CharField(
        label="申请理由", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = quota_unit_queryset(user)  # type: ignore[attr-defined]


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """People on the from-unit's quota, chosen by person id, shown with their quota type."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name}({obj.quota_type.name})"


class TransferRequestForm(RequestForm):
    """编制划转: the people listed are those enrolled in the chosen from-unit."""

    from_unit = forms.ModelChoiceField(label="划出机构", queryset=Unit.objects.none())
    to_unit = forms.ModelChoiceField(label="划入机构", queryset=Unit.objects.none())
    quota_type = forms.ModelChoiceField(
        label="编制类型", queryset=QuotaType.objects.filter(is_active=True)
    )
    amount = forms.IntegerField(label="划转编制数", min_value=1)
    persons = PersonChoiceField(
        label="随编划转人员",
        queryset=Enrolment.objects.none(),
        to_field_name="person_id",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="人随编走: 选择划出机构中随编制划转的在编人员",
    )
    doc_no = forms.CharField(label="批准文号", max_length=100)
    effective_on = forms.DateField(label="生效日期", widget=DateInput())
    summary = forms.CharField(label="摘要", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        units = quota_unit_queryset(user)
        self.fields["from_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["to_unit"].queryset = transfer_target_units(user=user)  # type: ignore[attr-defined]
        self.fields["from_unit"].widget.attrs.update(
            {
                "hx-get": reverse("workflows:request_create") + "?kind=quota_transfer",
                "hx-target": "#persons-field",
                "hx-select": "#persons-field",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )
        # The people listed follow the from-unit posted, or the one given in the address.
        chosen = (self.data.get("from_unit") if self.is_bound else None) or self.initial.get(
            "from_unit"
        )
        from_unit = units.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
        self.fields["persons"].queryset = (  # type: ignore[attr-defined]
            transfer_candidates(user=user, unit=from_unit, on=dt.date.today())
            if from_unit is not None
            else Enrolment.objects.none()
        )
        if from_unit is None:
            self.fields["persons"].help_text = "请先选择划出机构"

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data["persons"] = sorted(e.person_id for e in self.cleaned_data["persons"])
        return data


# The create form of each request kind; an app adding a kind adds its form here (or through
# ``register_form`` from its AppConfig.ready).
REQUEST_FORMS: dict[str, type[RequestForm]] = {
    "quota_increase": QuotaChangeRequestForm,
    "quota_decrease": QuotaChangeRequestForm,
    "quota_transfer": TransferRequestForm,
}


def register_form(kind: str) -> Callable[[type[RequestForm]], type[RequestForm]]:
    def decorate(form_class: type[RequestForm]) -> type[RequestForm]:
        REQUEST_FORMS[kind] = form_class
        return form_class

    return decorate


class DecisionForm(forms.Form):
    """The approver's opinion; required when refusing."""

    stage = forms.IntegerField(widget=forms.HiddenInput())
    comment = forms.CharField(
        label="审批意见",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不同意时必须填写理由",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回说明", required=False, max_length=1000)
