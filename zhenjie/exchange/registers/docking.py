"""The docking register (对接关系): which county departments each office (办) docks with."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhenjie.organizations.models import DockingLink
from zhenjie.organizations.services import docking_link_add

from ..filtersets import DockingLinkFilterSet
from ..references import UnitReference
from ..selectors import docking_link_list
from ..tabular import Column, ColumnKind, Layout, Reference
from .base import ServiceRegister

LAYOUT = Layout(
    title="对接关系",
    key=("office", "department"),
    columns=(
        Column(
            "office",
            "办",
            ColumnKind.REF,
            required=True,
            ref="unit",
            synonyms=("办名称", "内设机构", "镇(街道)办"),
            help="镇(街道)的办; 重名时写“镇名称/办名称”",
            width=30,
        ),
        Column(
            "department",
            "县直部门",
            ColumnKind.REF,
            required=True,
            ref="unit",
            synonyms=("对接部门", "市直部门", "旗直部门", "对接县直部门"),
            width=30,
        ),
        Column("notes", "对接事项", synonyms=("备注",), max_length=200, width=30),
    ),
)


class DockingRegister(ServiceRegister):
    name = "docking"
    label = "对接关系"
    description = "镇(街道)的办对接县直部门"
    layout = LAYOUT
    list_url_name = "organizations:docking"
    filterset_class = DockingLinkFilterSet
    import_refusal = "只有机构编制部门可以导入对接关系"

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_structure)

    def references(self, user: Any) -> dict[str, Reference]:
        return {"unit": UnitReference(user=user)}

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return docking_link_list(user=user)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [refs["unit"].label(obj.office), refs["unit"].label(obj.department), obj.notes]

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        link = DockingLink.objects.filter(
            office=values["office"], department=values["department"]
        ).first()
        if link is None:
            docking_link_add(
                actor=actor,
                office=values["office"],
                department=values["department"],
                notes=values["notes"],
            )
            return "created"
        if values["notes"] and values["notes"] != link.notes:
            raise ValidationError(
                {
                    "notes": f"{link.office.name}已对接{link.department.name}, "
                    f"导入不修改已有的对接事项(系统中为“{link.notes or '空'}”)"
                }
            )
        return "unchanged"
