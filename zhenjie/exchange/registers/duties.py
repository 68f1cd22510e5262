"""Items of the three lists (清单事项), edition by edition.

A row names its list and edition; items are added or changed through
``zhenjie.duties.services.duty_item_save``, which accepts changes to draft editions only (a
published list is adjusted through a new edition based on it).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhenjie.duties.choices import DutyClass
from zhenjie.duties.filtersets import DutyItemFilterSet
from zhenjie.duties.models import DutyItem, DutyList, Edition
from zhenjie.duties.selectors import duty_item_list
from zhenjie.duties.services import duty_item_save
from zhenjie.organizations.choices import UnitKind

from ..references import DutyListReference, UnitReference
from ..tabular import Column, ColumnKind, Layout, Reference, lookup_key
from .base import ServiceRegister, differs_from_stored

LAYOUT = Layout(
    title="清单事项",
    key=("duty_list", "edition", "code"),
    columns=(
        Column(
            "duty_list",
            "清单",
            ColumnKind.REF,
            required=True,
            ref="duty_list",
            synonyms=("清单名称",),
            help="系统中已建立的清单; 重名时写“旗县名称/清单名称”",
            width=30,
        ),
        Column(
            "edition",
            "版本",
            required=True,
            synonyms=("版本名称", "清单版本"),
            max_length=100,
            help="该清单中已建立的版本, 如“征求意见稿”; 只有征求意见稿可以修改",
            width=16,
        ),
        Column(
            "code",
            "编号",
            required=True,
            synonyms=("事项编号", "事项编码"),
            max_length=50,
            is_code=True,
            width=10,
        ),
        Column("name", "事项名称", required=True, synonyms=("事项",), max_length=300, width=40),
        Column("area", "领域", synonyms=("所属领域",), max_length=50),
        Column(
            "duty_class",
            "事项类别",
            ColumnKind.CHOICE,
            synonyms=("清单类别",),
            choices=tuple((v, str(label)) for v, label in DutyClass.choices),
            aliases={
                "基本履职": DutyClass.BASIC,
                "配合履职": DutyClass.COOPERATING,
                "上级部门收回": DutyClass.RETURNED,
                "收回事项": DutyClass.RETURNED,
            },
            width=16,
        ),
        Column("basis", "依据", synonyms=("设定依据", "政策依据"), width=40),
        Column("responsible", "责任主体", max_length=200, width=20),
        Column(
            "lead_department",
            "牵头部门",
            ColumnKind.REF,
            ref="department",
            synonyms=("牵头(主体责任)部门", "主体责任部门"),
            width=24,
        ),
        Column(
            "county_duties",
            "县级部门职责",
            synonyms=("县级部门职责(主体责任)", "部门职责"),
            width=40,
        ),
        Column(
            "town_duties",
            "镇(街道)职责",
            synonyms=("镇(街道)职责(配合责任)", "镇街职责"),
            width=40,
        ),
        Column("cooperating", "协同部门", max_length=300, width=24),
        Column("workflow", "运行流程", width=40),
    ),
)

# The fields of an item a row carries besides its code.
FIELDS = (
    "name",
    "area",
    "duty_class",
    "basis",
    "responsible",
    "lead_department",
    "county_duties",
    "town_duties",
    "cooperating",
    "workflow",
)


@dataclass
class ImportContext:
    """The editions of the visible lists by (list, label); items are read per edition once."""

    editions: dict[tuple[int, str], list[Edition]]
    items: dict[int, dict[str, DutyItem]] = field(default_factory=dict)
    seen: dict[tuple[int, str], int] = field(default_factory=dict)

    def items_of(self, edition: Edition) -> dict[str, DutyItem]:
        if edition.pk not in self.items:
            self.items[edition.pk] = {
                lookup_key(item.code): item
                for item in DutyItem.objects.filter(edition=edition).select_related(
                    "lead_department"
                )
            }
        return self.items[edition.pk]


class DutyItemRegister(ServiceRegister):
    name = "duty_items"
    label = "清单事项"
    description = "职责事项清单、共同承担事项责任清单的事项, 按清单和版本(只有征求意见稿可以修改)"
    layout = LAYOUT
    list_url_name = "duties:list_index"
    filterset_class = DutyItemFilterSet
    import_refusal = "只有机构编制部门可以导入清单事项"

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_structure)

    def references(self, user: Any) -> dict[str, Reference]:
        return {
            "duty_list": DutyListReference(user=user),
            "department": UnitReference(user=user, kinds={UnitKind.DEPARTMENT}),
        }

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return duty_item_list(user=user)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            refs["duty_list"].label(obj.edition.duty_list),
            obj.edition.label,
            obj.code,
            obj.name,
            obj.area,
            obj.duty_class,
            obj.basis,
            obj.responsible,
            refs["department"].label(obj.lead_department),
            obj.county_duties,
            obj.town_duties,
            obj.cooperating,
            obj.workflow,
        ]

    def prepare(self, actor: Any, rows: list[tuple[int, dict[str, Any]]], refs: Any) -> Any:
        lists = {values["duty_list"].pk for _row, values in rows}
        editions: dict[tuple[int, str], list[Edition]] = defaultdict(list)
        for edition in Edition.objects.filter(duty_list__in=lists).select_related(
            "duty_list__county"
        ):
            editions[(edition.duty_list_id, lookup_key(edition.label))].append(edition)
        return ImportContext(editions=editions)

    def _edition(self, duty_list: DutyList, label: str, context: ImportContext) -> Edition:
        found = context.editions.get((duty_list.pk, lookup_key(label)), [])
        if not found:
            raise ValidationError(
                {"edition": f"{duty_list.name}没有版本“{label}”, 请先在清单页面新建该版本"}
            )
        if len(found) > 1:
            raise ValidationError(
                {"edition": f"{duty_list.name}有{len(found)}个名为“{label}”的版本, 请在系统中区分"}
            )
        return found[0]

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        edition = self._edition(values["duty_list"], values["edition"], context)
        key = (edition.pk, lookup_key(values["code"]))
        first = context.seen.setdefault(key, row)
        if first != row:
            raise ValidationError({"code": f"与第{first}行重复: 同一版本中事项编号不能重复"})
        item = context.items_of(edition).get(key[1])
        try:
            if item is None:
                duty_item_save(
                    actor=actor,
                    edition=edition,
                    code=values["code"],
                    **{name: values[name] for name in FIELDS},
                )
                return "created"
            changes = {
                name: values[name]
                for name in FIELDS
                if differs_from_stored(values[name], getattr(item, name))
            }
            if not changes:
                return "unchanged"
            duty_item_save(actor=actor, edition=edition, code=item.code, item=item, **changes)
            return "updated"
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            # Messages about the edition as a whole (e.g. it is no longer a draft).
            raise ValidationError({"edition": exc.messages}) from None
