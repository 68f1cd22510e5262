"""The dispatched agencies' annual assessment register (派出机构年度考核评分): one row per agency,
year and scoring party, imported through ``agencies.services.assessment_record``."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhenjie.agencies.choices import AssessmentParty
from zhenjie.agencies.models import Agency, Assessment
from zhenjie.agencies.selectors import assessment_list
from zhenjie.agencies.services import assessment_record
from zhenjie.organizations.choices import UnitKind

from ..references import UnitReference
from ..tabular import Column, ColumnKind, Layout, Reference
from .base import ServiceRegister

LAYOUT = Layout(
    title="派出机构年度考核评分",
    key=("agency", "year", "party"),
    columns=(
        Column(
            "agency",
            "派出机构",
            ColumnKind.REF,
            required=True,
            ref="unit",
            synonyms=("机构", "机构名称", "单位名称"),
            width=30,
        ),
        Column("year", "考核年度", ColumnKind.INT, required=True, synonyms=("年度",), width=8),
        Column(
            "party",
            "评分方",
            ColumnKind.CHOICE,
            required=True,
            choices=tuple((v, str(label)) for v, label in AssessmentParty.choices),
            aliases={
                "镇": AssessmentParty.TOWN,
                "街道": AssessmentParty.TOWN,
                "部门": AssessmentParty.DEPARTMENT,
            },
        ),
        Column("score", "评分", required=True, synonyms=("得分", "分数"), max_length=6, width=8),
        Column(
            "scored_on",
            "评分日期",
            ColumnKind.DATE,
            required=True,
            synonyms=("考核日期",),
        ),
        Column("comment", "评价意见", synonyms=("评语",), width=40),
    ),
)


def _score(text: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValidationError({"score": f"评分“{text}”不是数字"}) from None
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError({"score": "评分最多保留一位小数"})
    return value


class AgencyAssessmentRegister(ServiceRegister):
    name = "agency_assessments"
    label = "派出机构年度考核"
    description = "镇(街道)和主管部门对派出机构的年度工作考核评分"
    layout = LAYOUT
    list_url_name = "agencies:assessment_list"
    import_refusal = "您的角色不能登记考核评分"

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_people)

    def references(self, user: Any) -> dict[str, Reference]:
        return {"unit": UnitReference(user=user, kinds=[UnitKind.DISPATCHED_AGENCY])}

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return assessment_list(user=user).order_by("agency__unit__path", "year", "party", "id")

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            refs["unit"].label(obj.agency.unit),
            obj.year,
            obj.party,
            str(obj.score),
            obj.scored_on,
            obj.comment,
        ]

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        unit = values["agency"]
        agency = (
            Agency.objects.select_related("unit__parent", "unit__department")
            .filter(unit=unit)
            .first()
        )
        if agency is None:
            raise ValidationError({"agency": f"{unit.name}未登记双重管理"})
        score = _score(values["score"])
        existing = Assessment.objects.filter(
            agency=agency, year=values["year"], party=values["party"]
        ).first()
        if existing is None:
            assessment_record(
                actor=actor,
                agency=agency,
                year=values["year"],
                party=values["party"],
                score=score,
                scored_on=values["scored_on"],
                comment=values["comment"],
            )
            return "created"
        if existing.score != score or existing.scored_on != values["scored_on"]:
            raise ValidationError(
                {
                    "party": f"{agency}{existing.year}年度已有{existing.get_party_display()}评分"
                    f"({existing.score}分), 每方每年只评一次, 导入不修改已有评分"
                }
            )
        return "unchanged"
