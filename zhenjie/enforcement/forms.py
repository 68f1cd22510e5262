"""Forms of the enforcement pages; they parse input, the services decide."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhenjie.core.forms import DateInput
from zhenjie.organizations.choices import BASE_LEVEL_KINDS
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_list
from zhenjie.personnel.models import Person
from zhenjie.powers.choices import AcceptanceStatus
from zhenjie.powers.models import PowerItem

from . import selectors
from .choices import TRANSITIONS, DecisionKind, PartyKind, PenaltyKind, Stage
from .models import Case, Certificate, EnforcementTeam, EquipmentKind


def _towns(user: Any) -> QuerySet[Unit]:
    return unit_list(user=user).filter(kind__in=BASE_LEVEL_KINDS, abolished_on__isnull=True)


def _penalty_powers(user: Any) -> QuerySet[PowerItem]:
    """Penalty powers accepted by a town the user may see (the service checks the town)."""
    return (
        PowerItem.objects.filter(
            category__code="penalty",
            acceptances__status=AcceptanceStatus.ACCEPTED,
            acceptances__unit__in=_towns(user),
        )
        .distinct()
        .order_by("code")
    )


def _bureaus(user: Any) -> QuerySet[Unit]:
    return selectors.bureau_list(user=user, on=dt.date.today()).select_related("parent")


def _bureau_label(unit: Unit) -> str:
    return f"{unit.parent.name}{unit.name}" if unit.parent else unit.name


def _officers(user: Any) -> QuerySet[Person]:
    posts = selectors.officer_list(user=user, on=dt.date.today())
    return Person.objects.filter(pk__in=posts.values("person")).order_by("name", "id")


def _town_certificates(case: Case) -> QuerySet[Certificate]:
    """Certificates of the town's current officers, valid today."""
    return (
        Certificate.objects.valid_on(dt.date.today())
        .filter(
            holder__posts__unit__path__startswith=case.town.path,
            holder__posts__end_date__isnull=True,
        )
        .select_related("holder")
        .distinct()
        .order_by("holder__name", "number")
    )


class CertificateChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.holder.name}(证号{obj.number})"


class CaseOpenForm(forms.Form):
    town = forms.ModelChoiceField(label="镇(街道)", queryset=Unit.objects.none())
    power = forms.ModelChoiceField(label="处罚事项", queryset=PowerItem.objects.none())
    number = forms.CharField(label="案号", max_length=60)
    party_name = forms.CharField(label="当事人", max_length=100)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    summary = forms.CharField(label="案情摘要", widget=forms.Textarea(attrs={"rows": 3}))
    opened_on = forms.DateField(label="立案日期", widget=DateInput())
    is_major = forms.BooleanField(
        label="重大或疑难复杂案件", required=False, help_text="行政处罚法第58条: 决定前须经法制审核"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = _towns(user)  # type: ignore[attr-defined]
        self.fields["power"].queryset = _penalty_powers(user)  # type: ignore[attr-defined]


class CaseOnSpotForm(forms.Form):
    town = forms.ModelChoiceField(label="镇(街道)", queryset=Unit.objects.none())
    power = forms.ModelChoiceField(label="处罚事项", queryset=PowerItem.objects.none())
    number = forms.CharField(label="决定书编号", max_length=60)
    party_name = forms.CharField(label="当事人", max_length=100)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    summary = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label="决定日期", widget=DateInput())
    penalty_kind = forms.ChoiceField(
        label="处罚种类",
        choices=[(PenaltyKind.WARNING, PenaltyKind.WARNING.label), (PenaltyKind.FINE, "罚款")],
    )
    fine = forms.DecimalField(
        label="罚款(元)",
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="行政处罚法第51条: 公民200元以下、法人或其他组织3000元以下",
    )
    certificates = CertificateChoice(label="执法人员", queryset=Certificate.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = _towns(user)  # type: ignore[attr-defined]
        self.fields["power"].queryset = _penalty_powers(user)  # type: ignore[attr-defined]
        self.fields["certificates"].queryset = selectors.valid_certificate_list(  # type: ignore[attr-defined]
            user=user, on=dt.date.today()
        )


class CaseAdvanceForm(forms.Form):
    stage = forms.ChoiceField(label="进入环节", choices=[])
    on = forms.DateField(label="日期", widget=DateInput())
    certificates = CertificateChoice(
        label="执法人员",
        queryset=Certificate.objects.none(),
        required=False,
        help_text="调查取证和作出决定须两名以上持有效执法证的人员",
    )
    note = forms.CharField(label="说明", max_length=300, required=False)
    hearing_requested_on = forms.DateField(label="申请听证日期", required=False, widget=DateInput())
    hearing_notified_on = forms.DateField(label="听证通知日期", required=False, widget=DateInput())
    hearing_host = forms.ModelChoiceField(
        label="听证主持人", queryset=Person.objects.none(), required=False
    )
    decision_kind = forms.ChoiceField(
        label="处理决定", choices=[("", "—"), *DecisionKind.choices], required=False
    )
    penalty_kind = forms.ChoiceField(label="处罚种类", choices=PenaltyKind.choices, required=False)
    fine = forms.DecimalField(label="罚款(元)", required=False, min_value=0, decimal_places=2)
    paid_amount = forms.DecimalField(
        label="实缴金额(元)", required=False, min_value=0, decimal_places=2
    )

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            (s, labels[s]) for s in Stage.values if s in TRANSITIONS[case.stage]
        ]
        self.fields["certificates"].queryset = _town_certificates(case)  # type: ignore[attr-defined]
        self.fields["hearing_host"].queryset = _officers(user)  # type: ignore[attr-defined]


class CaseInvestigateForm(forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    certificates = CertificateChoice(label="执法人员", queryset=Certificate.objects.none())
    note = forms.CharField(label="调查取证内容", max_length=300)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificates"].queryset = _town_certificates(case)  # type: ignore[attr-defined]


class CaseExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1)
    approved_on = forms.DateField(label="批准日期", widget=DateInput())
    approved_by = forms.CharField(label="批准人", max_length=50)
    reason = forms.CharField(label="延期理由", max_length=300)


class CertificateForm(forms.Form):
    holder = forms.ModelChoiceField(label="持证人", queryset=Person.objects.none())
    number = forms.CharField(label="证件编号", max_length=40)
    issuer = forms.CharField(label="发证机关", max_length=100, initial="阿尔山市人民政府")
    issued_on = forms.DateField(label="发证日期", widget=DateInput())
    expires_on = forms.DateField(
        label="有效期至", required=False, widget=DateInput(), help_text="不填按规定有效期计算"
    )
    scope = forms.CharField(label="执法类别/区域", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = _officers(user)  # type: ignore[attr-defined]


class CertificateReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="审验日期", widget=DateInput())
    passed = forms.BooleanField(label="审验通过", required=False, initial=True)
    notes = forms.CharField(label="审验意见", max_length=200, required=False)


class CertificateRevokeForm(forms.Form):
    revoked_on = forms.DateField(label="注销日期", widget=DateInput())
    reason = forms.CharField(label="注销原因", max_length=200)


class BureauChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _bureau_label(obj)


class TeamForm(forms.Form):
    bureau = BureauChoice(label="综合行政执法局", queryset=Unit.objects.none())
    name = forms.CharField(label="中队名称", max_length=100)
    established_on = forms.DateField(label="成立日期", widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = _bureaus(user)  # type: ignore[attr-defined]


class TeamMemberForm(forms.Form):
    person = forms.ModelChoiceField(label="执法人员", queryset=Person.objects.none())
    joined_on = forms.DateField(label="加入日期", widget=DateInput())

    def __init__(self, *args: Any, team: EnforcementTeam, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = selectors.officer_list(user=user, on=dt.date.today(), bureau=team.bureau)
        self.fields["person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=posts.values("person")
        ).order_by("name")


class EquipmentForm(forms.Form):
    bureau = BureauChoice(label="综合行政执法局", queryset=Unit.objects.none())
    kind = forms.ModelChoiceField(label="装备类别", queryset=EquipmentKind.objects.all())
    quantity = forms.IntegerField(label="数量", min_value=1, initial=1)
    model_name = forms.CharField(label="品牌型号", max_length=100, required=False)
    plate_number = forms.CharField(label="车牌号", max_length=20, required=False)
    has_dash_camera = forms.BooleanField(label="配行车记录仪", required=False)
    acquired_on = forms.DateField(label="配备日期", widget=DateInput())
    notes = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = _bureaus(user)  # type: ignore[attr-defined]


class EquipmentStandardForm(forms.Form):
    bureau = BureauChoice(label="综合行政执法局", queryset=Unit.objects.none())
    kind = forms.ModelChoiceField(label="装备类别", queryset=EquipmentKind.objects.all())
    quantity = forms.IntegerField(label="应配数量", min_value=0)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = _bureaus(user)  # type: ignore[attr-defined]


class FundingForm(forms.Form):
    bureau = BureauChoice(label="综合行政执法局", queryset=Unit.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    in_county_budget = forms.BooleanField(label="纳入市级财政预算", required=False)
    requested = forms.DecimalField(label="申请经费(元)", min_value=0, decimal_places=2)
    granted = forms.DecimalField(label="到位经费(元)", min_value=0, decimal_places=2)
    spent = forms.DecimalField(label="支出(元)", min_value=0, decimal_places=2)
    notes = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = _bureaus(user)  # type: ignore[attr-defined]
