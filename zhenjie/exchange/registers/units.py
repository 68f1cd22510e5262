"""The units register (机构): create units, update their descriptive fields, abolish them."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhenjie.core.validators import normalize_code
from zhenjie.organizations.choices import UnitKind, UnitRank
from zhenjie.organizations.filtersets import UnitFilterSet
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_list
from zhenjie.organizations.services import unit_abolish, unit_create, unit_update

from ..references import DivisionReference, UnitReference
from ..tabular import Column, ColumnKind, Layout, Reference, lookup_key
from .base import ServiceRegister, differs

KIND_ALIASES = {
    "县直部门": UnitKind.DEPARTMENT,
    "部门": UnitKind.DEPARTMENT,
    "办": UnitKind.OFFICE,
    "内设机构": UnitKind.OFFICE,
    "中心": UnitKind.CENTER,
    "站所": UnitKind.STATION,
    "派出机构": UnitKind.DISPATCHED_AGENCY,
    "乡": UnitKind.TOWNSHIP,
    "苏木": UnitKind.TOWNSHIP,
    "旗县": UnitKind.COUNTY,
}

LAYOUT = Layout(
    title="机构",
    key=("parent", "name"),
    columns=(
        Column("name", "名称", required=True, synonyms=("机构名称",), max_length=100, width=30),
        Column(
            "parent",
            "上级机构",
            ColumnKind.REF,
            ref="unit",
            synonyms=("上级单位", "所属机构"),
            help="顶级机构不填; 重名时写“上级机构/机构名称”",
            width=24,
        ),
        Column("short_name", "简称", max_length=50),
        Column(
            "kind",
            "类别",
            ColumnKind.CHOICE,
            required=True,
            synonyms=("机构类别",),
            choices=tuple((v, str(label)) for v, label in UnitKind.choices),
            aliases=KIND_ALIASES,
            width=20,
        ),
        Column(
            "division",
            "区划代码",
            ColumnKind.REF,
            ref="division",
            synonyms=("行政区划代码", "行政区划"),
            help="旗县、镇、街道、乡填写其行政区划代码(如 152202100)",
            is_code=True,
        ),
        Column(
            "department",
            "主管部门",
            ColumnKind.REF,
            ref="unit",
            help="仅派出机构填写, 为其主管的县直部门",
            width=24,
        ),
        Column(
            "rank",
            "机构规格",
            ColumnKind.CHOICE,
            synonyms=("规格",),
            choices=tuple((v, str(label)) for v, label in UnitRank.choices),
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            synonyms=("信用代码",),
            max_length=18,
            is_code=True,
            width=22,
        ),
        Column(
            "established_on", "设立日期", ColumnKind.DATE, required=True, synonyms=("成立日期",)
        ),
        Column("established_doc", "设立文号", max_length=100, width=22),
        Column("abolished_on", "撤销日期", ColumnKind.DATE),
        Column("abolished_doc", "撤销文号", max_length=100, width=22),
        Column("sort_order", "排序", ColumnKind.INT, synonyms=("序号", "排序号"), width=8),
        Column("notes", "备注", width=30),
    ),
)

# Facts of a unit that only their own procedures change (设立, 撤销, 调整隶属).
FIXED = ("kind", "division", "department", "established_on")
EDITABLE = ("short_name", "rank", "credit_code", "established_doc", "sort_order", "notes")


class UnitRegister(ServiceRegister):
    name = "units"
    label = "机构"
    description = "机构名称、类别、上级机构、规格、统一社会信用代码、设立和撤销"
    layout = LAYOUT
    list_url_name = "organizations:unit_list"
    filterset_class = UnitFilterSet
    import_refusal = "只有机构编制部门可以导入机构"
    field_columns = {"abolished_doc": "abolished_doc", "path": "name"}

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_structure)

    def references(self, user: Any) -> dict[str, Reference]:
        return {"unit": UnitReference(user=user), "division": DivisionReference()}

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        # Tree order, so a parent is always written (and imported) before its children.
        return unit_list(user=user).order_by("path")

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        units = refs["unit"]
        return [
            obj.name,
            units.label(obj.parent),
            obj.short_name,
            obj.kind,
            obj.division.code if obj.division else "",
            units.label(obj.department),
            obj.rank,
            obj.credit_code,
            obj.established_on,
            obj.established_doc,
            obj.abolished_on,
            obj.abolished_doc,
            obj.sort_order,
            obj.notes,
        ]

    def _existing(self, values: dict[str, Any]) -> Unit | None:
        """The unit a row stands for: same parent and name (the live one, or the abolished one
        with the same abolition date)."""
        siblings = Unit.objects.filter(parent=values["parent"])
        candidates = list(siblings.filter(name=values["name"]))
        if not candidates:
            key = lookup_key(values["name"])
            candidates = [u for u in siblings if lookup_key(u.name) == key]
        if values["abolished_on"]:
            same = [u for u in candidates if u.abolished_on == values["abolished_on"]]
            if same:
                return same[0]
        live = [u for u in candidates if u.abolished_on is None]
        return live[0] if live else None

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        values["credit_code"] = normalize_code(values["credit_code"])
        unit = self._existing(values)
        if unit is None:
            unit = unit_create(
                actor=actor,
                name=values["name"],
                kind=values["kind"],
                parent=values["parent"],
                established_on=values["established_on"],
                established_doc=values["established_doc"],
                division=values["division"],
                department=values["department"],
                rank=values["rank"],
                credit_code=values["credit_code"],
                short_name=values["short_name"],
                sort_order=values["sort_order"] or 0,
                notes=values["notes"],
            )
            if values["abolished_on"]:
                unit = unit_abolish(
                    actor=actor,
                    unit=unit,
                    abolished_on=values["abolished_on"],
                    abolished_doc=values["abolished_doc"],
                )
            refs["unit"].add(unit)
            return "created"
        wrong = [
            name
            for name in FIXED
            if values[name] not in (None, "") and values[name] != getattr(unit, name)
        ]
        if wrong:
            headers = {c.name: c for c in self.layout.columns}
            raise ValidationError(
                {
                    name: f"导入不修改机构的{headers[name].header}"
                    f"(系统中为“{_show(headers[name], getattr(unit, name))}”), 请在机构页面办理"
                    for name in wrong
                }
            )
        changes = {
            name: values[name] for name in EDITABLE if differs(values[name], getattr(unit, name))
        }
        if changes:
            unit_update(actor=actor, unit=unit, reason="批量导入", **changes)
        if values["abolished_on"] and unit.abolished_on is None:
            unit_abolish(
                actor=actor,
                unit=unit,
                abolished_on=values["abolished_on"],
                abolished_doc=values["abolished_doc"],
            )
            return "updated"
        if values["abolished_on"] and unit.abolished_on != values["abolished_on"]:
            raise ValidationError(
                {"abolished_on": f"{unit.name}已于{unit.abolished_on}撤销, 导入不修改撤销日期"}
            )
        return "updated" if changes else "unchanged"


def _show(column: Column, value: Any) -> str:
    if value is None or value == "":
        return "空"
    if column.choices:
        return column.choice_label(value)
    if hasattr(value, "code"):
        return str(value.code)
    return str(value)
