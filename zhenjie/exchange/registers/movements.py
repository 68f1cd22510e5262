"""The quota ledger register (编制台账): append movements; a row already recorded is skipped."""

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet

from zhenjie.staffing.choices import NEGATIVE_KINDS, POSITIVE_KINDS, MovementKind
from zhenjie.staffing.filtersets import QuotaMovementFilterSet
from zhenjie.staffing.models import QuotaMovement
from zhenjie.staffing.selectors import movement_list
from zhenjie.staffing.services import quota_movement_record

from ..references import QuotaTypeReference, UnitReference
from ..tabular import Column, ColumnKind, Layout, Reference
from .base import ServiceRegister

LAYOUT = Layout(
    title="编制台账",
    key=("unit", "quota_type", "kind", "delta", "doc_no", "effective_on"),
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
        Column("quota_type", "编制类型", ColumnKind.REF, required=True, ref="quota_type"),
        Column(
            "kind",
            "变动类型",
            ColumnKind.CHOICE,
            required=True,
            synonyms=("变动方式",),
            choices=tuple((v, str(label)) for v, label in MovementKind.choices),
            help="导入只办理核定、核增、核减; 划转和二次分配须通过专门的办理流程",
        ),
        Column(
            "delta",
            "变动数",
            ColumnKind.INT,
            required=True,
            synonyms=("变动编制数", "编制数", "数量"),
            help="核减可写正数或负数",
            width=8,
        ),
        Column("doc_no", "批准文号", required=True, synonyms=("文号",), max_length=100, width=24),
        Column(
            "effective_on",
            "生效日期",
            ColumnKind.DATE,
            required=True,
            synonyms=("批准日期", "变动日期"),
        ),
        Column("summary", "变动摘要", synonyms=("摘要",), max_length=300, width=30),
    ),
)


def _signed(kind: str, number: int) -> int:
    """The ledger's signed delta of a row: 核减/划出 remove places whichever sign was typed."""
    if kind in NEGATIVE_KINDS:
        return -abs(number)
    return number


class MovementRegister(ServiceRegister):
    name = "movements"
    label = "编制台账"
    description = "核定、核增、核减编制(已登记的相同变动会被识别, 不会重复记账)"
    layout = LAYOUT
    list_url_name = "staffing:movement_list"
    filterset_class = QuotaMovementFilterSet
    import_refusal = "只有机构编制部门可以导入编制台账"
    field_columns = {"amount": "delta", "effective_on": "effective_on"}

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_quotas)

    def references(self, user: Any) -> dict[str, Reference]:
        return {"unit": UnitReference(user=user), "quota_type": QuotaTypeReference()}

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return movement_list(user=user).order_by("effective_on", "id")

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            refs["unit"].label(obj.unit),
            obj.quota_type.name,
            obj.kind,
            obj.delta,
            obj.doc_no,
            obj.effective_on,
            obj.summary,
        ]

    def prepare(self, actor: Any, rows: list[tuple[int, dict[str, Any]]], refs: Any) -> Any:
        """How many times each movement is already in the ledger (matched on everything but
        the summary), so an exported ledger imported again adds nothing."""
        unit_ids = {values["unit"].pk for _row, values in rows}
        recorded: Counter[tuple[Any, ...]] = Counter()
        for chunk in _chunks(sorted(unit_ids), 500):
            for r in (
                QuotaMovement.objects.filter(unit_id__in=chunk)
                .values("unit_id", "quota_type_id", "kind", "delta", "doc_no", "effective_on")
                .annotate(n=Count("id"))
            ):
                key = (
                    r["unit_id"],
                    r["quota_type_id"],
                    r["kind"],
                    r["delta"],
                    r["doc_no"],
                    r["effective_on"],
                )
                recorded[key] += r["n"]
        return recorded

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        kind, number = values["kind"], values["delta"]
        if kind in POSITIVE_KINDS and number < 0:
            raise ValidationError({"delta": "变动数的正负与变动类型不符"})
        delta = _signed(kind, number)
        key = (
            values["unit"].pk,
            values["quota_type"].pk,
            kind,
            delta,
            values["doc_no"].strip(),
            values["effective_on"],
        )
        if context[key] > 0:
            context[key] -= 1
            return "unchanged"
        quota_movement_record(
            actor=actor,
            unit=values["unit"],
            quota_type=values["quota_type"],
            kind=kind,
            amount=abs(delta),
            doc_no=values["doc_no"],
            effective_on=values["effective_on"],
            summary=values["summary"],
        )
        return "created"


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
