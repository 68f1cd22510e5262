"""Delegated powers (赋权事项): the catalog, the towns' answers (承接情况) and usage (行权次数).

Every row is written through ``zhenjie.powers.services``, so an import obeys the same rules and
shows the same messages as the pages. A file names an item by its batch's document number and
its code (codes are unique within a batch only); the item's name, when filled, must match.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhenjie.organizations.choices import BASE_LEVEL_KINDS, UnitKind
from zhenjie.organizations.selectors import ensure_unit_access
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee
from zhenjie.powers.filtersets import AcceptanceFilterSet, PowerItemFilterSet, PowerUsageFilterSet
from zhenjie.powers.models import Acceptance, PowerItem, PowerUsage
from zhenjie.powers.selectors import acceptance_list, item_catalog, usage_list
from zhenjie.powers.services import (
    ITEM_EDITABLE,
    acceptance_record,
    power_item_create,
    power_item_update,
    usage_record,
    usage_update,
)

from ..references import BatchReference, CategoryReference, UnitReference
from ..tabular import Column, ColumnKind, Layout, Reference, is_blank, lookup_key
from .base import ServiceRegister, differs_from_stored

# Usage rows an import writes (the model's default source: 录入或导入).
IMPORTED_USAGE = "manual"
# Units that handle an accepted power inside a town or street (承办机构).
HANDLING_KINDS = {
    UnitKind.OFFICE,
    UnitKind.CENTER,
    UnitKind.ENFORCEMENT_BUREAU,
    UnitKind.STATION,
    UnitKind.INSTITUTION,
}


def _batch_column() -> Column:
    return Column(
        "batch",
        "赋权批次文号",
        ColumnKind.REF,
        required=True,
        ref="batch",
        synonyms=("赋权批次", "批次文号", "赋权文件文号", "赋权文号"),
        help="赋权文件的文号, 该批次须已在系统中登记",
        width=24,
    )


def _unit_column() -> Column:
    return Column(
        "unit",
        "镇(街道)",
        ColumnKind.REF,
        required=True,
        ref="unit",
        synonyms=("镇街", "乡镇(街道)", "镇(街道)名称", "苏木乡镇(街道)"),
        width=20,
    )


def _item_columns() -> tuple[Column, Column]:
    return (
        Column(
            "item_code",
            "事项编码",
            required=True,
            synonyms=("编码", "事项代码"),
            max_length=50,
            is_code=True,
            width=16,
        ),
        Column(
            "item_name",
            "事项名称",
            synonyms=("赋权事项", "赋权事项名称"),
            help="可不填; 填写时须与该事项编码的名称一致",
            width=40,
        ),
    )


POWER_ITEM_LAYOUT = Layout(
    title="赋权事项目录",
    key=("batch", "code"),
    columns=(
        _batch_column(),
        Column(
            "code",
            "事项编码",
            required=True,
            synonyms=("编码", "事项代码"),
            max_length=50,
            is_code=True,
            width=16,
        ),
        Column(
            "name",
            "事项名称",
            required=True,
            synonyms=("赋权事项", "行政权力事项名称"),
            max_length=200,
            width=40,
        ),
        Column(
            "category",
            "权力类别",
            ColumnKind.REF,
            required=True,
            ref="category",
            synonyms=("事项类别", "权力类型"),
            width=16,
        ),
        Column(
            "legal_basis",
            "设定依据",
            required=True,
            synonyms=("法律依据", "实施依据"),
            width=40,
        ),
        Column(
            "department",
            "原实施主体",
            ColumnKind.REF,
            required=True,
            ref="department",
            synonyms=("原实施部门", "实施主体", "原实施单位"),
            help="赋权前实施该事项的县直部门",
            width=24,
        ),
        Column(
            "mode",
            "赋权方式",
            ColumnKind.CHOICE,
            required=True,
            choices=tuple((v, str(label)) for v, label in DelegationMode.choices),
            aliases={
                "委托": DelegationMode.ENTRUST,
                "交由行使": DelegationMode.DEVOLVE,
                "交由镇街行使": DelegationMode.DEVOLVE,
                "交由乡镇行使": DelegationMode.DEVOLVE,
            },
            width=24,
        ),
        Column(
            "grantee",
            "承接对象",
            ColumnKind.CHOICE,
            required=True,
            synonyms=("赋予对象",),
            choices=tuple((v, str(label)) for v, label in Grantee.choices),
            aliases={
                "乡镇": Grantee.TOWN,
                "苏木乡镇": Grantee.TOWN,
                "镇街": Grantee.BOTH,
                "镇(街道)": Grantee.BOTH,
                "乡镇(街道)": Grantee.BOTH,
            },
        ),
        Column("responsibility_items", "责任事项", width=40),
        Column("accountability_cases", "追责情形", synonyms=("追责事项",), width=40),
    ),
)


ACCEPTANCE_LAYOUT = Layout(
    title="承接情况",
    key=("unit", "batch", "item_code"),
    columns=(
        _unit_column(),
        _batch_column(),
        *_item_columns(),
        Column(
            "status",
            "承接情况",
            ColumnKind.CHOICE,
            required=True,
            synonyms=("认领情况", "是否承接"),
            choices=tuple((v, str(label)) for v, label in AcceptanceStatus.choices),
            aliases={
                "承接": AcceptanceStatus.ACCEPTED,
                "认领": AcceptanceStatus.ACCEPTED,
                "已认领": AcceptanceStatus.ACCEPTED,
                "暂缓": AcceptanceStatus.DEFERRED,
                "暂缓认领": AcceptanceStatus.DEFERRED,
                "不认领": AcceptanceStatus.DECLINED,
            },
        ),
        Column(
            "reason",
            "理由",
            synonyms=("不承接或暂缓的书面理由", "书面理由", "不承接理由"),
            help="暂缓承接或不承接须书面说明理由",
            width=40,
        ),
        Column(
            "responsible_unit",
            "承办机构",
            ColumnKind.REF,
            ref="handler",
            synonyms=("承办科室", "承办单位"),
            help="承接时填写本镇(街道)的承办机构; 重名时写“镇名称/机构名称”",
            width=30,
        ),
        Column(
            "effective_on",
            "生效日期",
            ColumnKind.DATE,
            required=True,
            synonyms=("承接日期", "认领日期"),
        ),
    ),
)


USAGE_LAYOUT = Layout(
    title="行权情况",
    key=("unit", "batch", "item_code", "period_start"),
    columns=(
        _unit_column(),
        _batch_column(),
        *_item_columns(),
        Column("period_start", "起始日期", ColumnKind.DATE, required=True, synonyms=("开始日期",)),
        Column("period_end", "截止日期", ColumnKind.DATE, required=True, synonyms=("结束日期",)),
        Column(
            "count",
            "行权次数",
            ColumnKind.INT,
            required=True,
            synonyms=("次数", "办件量", "行使次数"),
            width=10,
        ),
    ),
)


@dataclass
class ImportContext:
    """What the rows of one import share: records already in the database by key (read once,
    before any row is written) and the first row of each key met in the file."""

    items: dict[tuple[int, str], PowerItem]
    existing: dict[tuple[Any, ...], Any]
    seen: dict[tuple[Any, ...], int] = field(default_factory=dict)


def _once(context: ImportContext, key: tuple[Any, ...], row: int, column: str, rule: str) -> None:
    """Refuse a second row with the key of an earlier row of the same file."""
    first = context.seen.setdefault(key, row)
    if first != row:
        raise ValidationError({column: f"与第{first}行重复: {rule}"})


def _items_of(rows: list[tuple[int, dict[str, Any]]]) -> dict[tuple[int, str], PowerItem]:
    """The items of the batches the rows name, by (batch id, code)."""
    batches = {values["batch"].pk for _row, values in rows}
    return {
        (item.batch_id, lookup_key(item.code)): item
        for item in PowerItem.objects.filter(batch__in=batches).select_related(
            "batch", "category", "department"
        )
    }


def _item(values: dict[str, Any], context: ImportContext) -> PowerItem:
    """The item a row names by batch and code; its name, when filled, must agree."""
    batch, code = values["batch"], values["item_code"]
    item = context.items.get((batch.pk, lookup_key(code)))
    if item is None:
        raise ValidationError({"item_code": f"赋权批次{batch.doc_no}中没有事项编码“{code}”"})
    name = values["item_name"]
    if not is_blank(name) and lookup_key(name) != lookup_key(item.name):
        raise ValidationError(
            {"item_name": f"事项编码{item.code}是“{item.name}”, 与所填事项名称不符"}
        )
    return item


class PowerItemRegister(ServiceRegister):
    name = "power_items"
    label = "赋权事项目录"
    description = (
        "赋权事项的编码、名称、权力类别、设定依据、原实施主体、赋权方式、承接对象和责任事项"
    )
    layout = POWER_ITEM_LAYOUT
    list_url_name = "powers:item_list"
    filterset_class = PowerItemFilterSet
    import_refusal = "只有机构编制部门可以导入赋权事项目录"

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_structure)

    def references(self, user: Any) -> dict[str, Reference]:
        return {
            "batch": BatchReference(),
            "category": CategoryReference(),
            "department": UnitReference(user=user, kinds={UnitKind.DEPARTMENT}),
        }

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return item_catalog(user=user)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            obj.batch.doc_no,
            obj.code,
            obj.name,
            obj.category.name,
            obj.legal_basis,
            refs["department"].label(obj.department),
            obj.mode,
            obj.grantee,
            obj.responsibility_items,
            obj.accountability_cases,
        ]

    def scope_header(self) -> str:
        # The catalog editor's scope is the delegating department's.
        return self.layout.by_name["department"].header

    def prepare(self, actor: Any, rows: list[tuple[int, dict[str, Any]]], refs: Any) -> Any:
        items = _items_of(rows)
        return ImportContext(items=items, existing=dict(items))

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        batch, code = values["batch"], values["code"]
        key = (batch.pk, lookup_key(code))
        _once(context, key, row, "code", "同一赋权批次中事项编码不能重复")
        item = context.existing.get(key)
        if item is None:
            power_item_create(
                actor=actor,
                batch=batch,
                code=code,
                name=values["name"],
                category=values["category"],
                legal_basis=values["legal_basis"],
                department=values["department"],
                mode=values["mode"],
                grantee=values["grantee"],
                responsibility_items=values["responsibility_items"],
                accountability_cases=values["accountability_cases"],
            )
            return "created"
        changes = {
            name: values[name]
            for name in sorted(ITEM_EDITABLE)
            if differs_from_stored(values[name], getattr(item, name))
        }
        if not changes:
            return "unchanged"
        power_item_update(actor=actor, item=item, reason="批量导入", **changes)
        return "updated"


class AcceptanceRegister(ServiceRegister):
    name = "acceptances"
    label = "承接情况"
    description = (
        "镇(街道)对赋权事项的认领: 承接、暂缓承接或不承接, 书面理由、承办机构和生效日期"
        "(已登记的承接情况导入时不修改)"
    )
    layout = ACCEPTANCE_LAYOUT
    list_url_name = "powers:matrix"
    filterset_class = AcceptanceFilterSet
    import_refusal = "您的角色不能登记承接情况"
    field_columns = {"item": "item_code"}

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_people)

    def references(self, user: Any) -> dict[str, Reference]:
        return {
            "unit": UnitReference(user=user, kinds=BASE_LEVEL_KINDS),
            "handler": UnitReference(user=user, kinds=HANDLING_KINDS),
            "batch": BatchReference(),
        }

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return acceptance_list(user=user)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            refs["unit"].label(obj.unit),
            obj.item.batch.doc_no,
            obj.item.code,
            obj.item.name,
            obj.status,
            obj.reason,
            refs["handler"].label(obj.responsible_unit),
            obj.effective_on,
        ]

    def prepare(self, actor: Any, rows: list[tuple[int, dict[str, Any]]], refs: Any) -> Any:
        items = _items_of(rows)
        units = {values["unit"].pk for _row, values in rows}
        existing = Acceptance.objects.filter(
            unit__in=units, item__in=[i.pk for i in items.values()]
        ).select_related("responsible_unit")
        return ImportContext(items=items, existing={(a.unit_id, a.item_id): a for a in existing})

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        unit = values["unit"]
        item = _item(values, context)
        # The service's own access check comes first, so that a row about a town outside the
        # scope reveals nothing about that town's answers.
        ensure_unit_access(
            user=actor, unit=unit, allowed=actor.may_edit_people, action="登记承接情况"
        )
        _once(
            context,
            (unit.pk, item.pk),
            row,
            "item_code",
            "同一镇(街道)对同一事项只能登记一次承接情况",
        )
        existing = context.existing.get((unit.pk, item.pk))
        if existing is None:
            acceptance_record(
                actor=actor,
                unit=unit,
                item=item,
                status=values["status"],
                effective_on=values["effective_on"],
                reason=values["reason"],
                responsible_unit=values["responsible_unit"],
            )
            return "created"
        wrong = [
            name
            for name in ("status", "effective_on", "reason", "responsible_unit")
            if differs_from_stored(values[name], getattr(existing, name))
        ]
        if wrong:
            raise ValidationError(
                {
                    wrong[0]: f"{unit.name}已登记过“{item.name}”的承接情况"
                    f"(系统中为{existing.get_status_display()}, "
                    f"生效日期{existing.effective_on:%Y-%m-%d}), 导入不修改已有记录"
                }
            )
        return "unchanged"


class PowerUsageRegister(ServiceRegister):
    name = "power_usage"
    label = "赋权事项行使情况"
    description = (
        "镇(街道)在各期间行使已承接赋权事项的次数(录入或导入的次数; 同一期间再次导入时更正次数, "
        "执法案件结案自动计入的次数不在其中)"
    )
    layout = USAGE_LAYOUT
    list_url_name = "powers:item_list"
    filterset_class = PowerUsageFilterSet
    import_refusal = "您的角色不能登记行权情况"
    field_columns = {"item": "item_code"}

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_people)

    def references(self, user: Any) -> dict[str, Reference]:
        return {
            "unit": UnitReference(user=user, kinds=BASE_LEVEL_KINDS),
            "batch": BatchReference(),
        }

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        # Only counts recorded by hand or imported: counts other services feed in (one per
        # closed enforcement case, source "enforcement:<id>") are theirs to keep.
        return usage_list(user=user).filter(source=IMPORTED_USAGE)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            refs["unit"].label(obj.unit),
            obj.item.batch.doc_no,
            obj.item.code,
            obj.item.name,
            obj.period_start,
            obj.period_end,
            obj.count,
        ]

    def prepare(self, actor: Any, rows: list[tuple[int, dict[str, Any]]], refs: Any) -> Any:
        items = _items_of(rows)
        units = {values["unit"].pk for _row, values in rows}
        existing = PowerUsage.objects.filter(
            unit__in=units, item__in=[i.pk for i in items.values()], source=IMPORTED_USAGE
        ).select_related("unit", "item")
        return ImportContext(
            items=items,
            existing={(u.unit_id, u.item_id, u.period_start): u for u in existing},
        )

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        unit = values["unit"]
        item = _item(values, context)
        ensure_unit_access(
            user=actor, unit=unit, allowed=actor.may_edit_people, action="登记行权情况"
        )
        key = (unit.pk, item.pk, values["period_start"])
        _once(context, key, row, "period_start", "同一镇(街道)同一事项同一期间只登记一次行权次数")
        existing = context.existing.get(key)
        if existing is None:
            usage_record(
                actor=actor,
                unit=unit,
                item=item,
                period_start=values["period_start"],
                period_end=values["period_end"],
                count=values["count"],
                source=IMPORTED_USAGE,
            )
            return "created"
        if existing.period_end == values["period_end"] and existing.count == values["count"]:
            return "unchanged"
        usage_update(
            actor=actor, usage=existing, period_end=values["period_end"], count=values["count"]
        )
        return "updated"
