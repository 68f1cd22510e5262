"""The leadership quota register (领导职数): approved posts of a unit by level from a date."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhenjie.staffing.choices import LeadershipLevel
from zhenjie.staffing.models import LeadershipQuota
from zhenjie.staffing.services import leadership_quota_set

from ..filtersets import LeadershipQuotaFilterSet
from ..references import UnitReference
from ..selectors import leadership_quota_list
from ..tabular import Column, ColumnKind, Layout, Reference
from .base import ServiceRegister

LAYOUT = Layout(
    title="领导职数",
    key=("unit", "level", "effective_on"),
    columns=(
        Column(
            "unit",
            "机构",
            ColumnKind.REF,
            required=True,
            ref="unit",
            synonyms=("机构名称", "单位", "单位名称"),
            width=30,
        ),
        Column(
            "level",
            "职级",
            ColumnKind.CHOICE,
            required=True,
            synonyms=("领导职级",),
            choices=tuple((v, str(label)) for v, label in LeadershipLevel.choices),
            aliases={"正职": LeadershipLevel.PRINCIPAL, "副职": LeadershipLevel.DEPUTY},
        ),
        Column(
            "count",
            "核定职数",
            ColumnKind.INT,
            required=True,
            synonyms=("职数", "领导职数"),
            width=8,
        ),
        Column("doc_no", "批准文号", required=True, synonyms=("文号",), max_length=100, width=24),
        Column(
            "effective_on",
            "生效日期",
            ColumnKind.DATE,
            required=True,
            synonyms=("批准日期", "核定日期"),
        ),
    ),
)


class LeadershipRegister(ServiceRegister):
    name = "leadership"
    label = "领导职数"
    description = "机构正职、副职领导职数的核定"
    layout = LAYOUT
    list_url_name = "organizations:unit_list"
    filterset_class = LeadershipQuotaFilterSet
    import_refusal = "只有机构编制部门可以导入领导职数"

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_quotas)

    def references(self, user: Any) -> dict[str, Reference]:
        return {"unit": UnitReference(user=user)}

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return leadership_quota_list(user=user)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [refs["unit"].label(obj.unit), obj.level, obj.count, obj.doc_no, obj.effective_on]

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        existing = LeadershipQuota.objects.filter(
            unit=values["unit"], level=values["level"], effective_on=values["effective_on"]
        ).first()
        if existing is None:
            leadership_quota_set(
                actor=actor,
                unit=values["unit"],
                level=values["level"],
                count=values["count"],
                doc_no=values["doc_no"],
                effective_on=values["effective_on"],
            )
            return "created"
        if existing.count != values["count"] or existing.doc_no != values["doc_no"].strip():
            raise ValidationError(
                {
                    "count": "该机构此职级在同一生效日期已有核定记录"
                    f"(系统中为{existing.count}名, {existing.doc_no}), 导入不修改已有记录"
                }
            )
        return "unchanged"
