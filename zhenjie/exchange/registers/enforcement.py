"""Law enforcement registers: certificates (行政执法证) and the equipment inventory (装备台账).

Both import through ``zhenjie.enforcement.services``: a new certificate is issued with the same
checks as the page (the holder must be an officer), a certificate's revocation can be entered;
a new inventory row is added, a disposal date can be entered. Recorded particulars are never
rewritten by import.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhenjie.enforcement import selectors, services
from zhenjie.enforcement.models import Certificate, Equipment, EquipmentKind
from zhenjie.organizations.choices import UnitKind
from zhenjie.personnel.models import Person
from zhenjie.personnel.selectors import person_list

from ..references import UnitReference
from ..tabular import CellError, Column, ColumnKind, Layout, Reference
from .base import ServiceRegister

YES_NO = (("yes", "是"), ("no", "否"))

CERTIFICATE_LAYOUT = Layout(
    title="行政执法证",
    key=("number",),
    columns=(
        Column("number", "证件编号", required=True, is_code=True, max_length=40, width=18),
        Column("name", "持证人", required=True, is_name=True, synonyms=("姓名",), width=10),
        Column(
            "id_number",
            "身份证号码",
            required=True,
            is_code=True,
            synonyms=("公民身份号码", "身份证号"),
            help="持证人须已在实名制人员中登记, 且在综合行政执法局工作",
            width=22,
        ),
        Column("issuer", "发证机关", required=True, max_length=100, width=20),
        Column("issued_on", "发证日期", ColumnKind.DATE, required=True),
        Column("expires_on", "有效期至", ColumnKind.DATE, help="不填按规定有效期计算"),
        Column("scope", "执法类别/区域", max_length=200, width=30),
        Column("revoked_on", "注销日期", ColumnKind.DATE),
        Column("revoke_reason", "注销原因", max_length=200, width=20),
    ),
)


class CertificateRegister(ServiceRegister):
    name = "enforcement_certificates"
    label = "行政执法证"
    description = "综合行政执法人员的行政执法证: 证号、发证机关、有效期、注销"
    layout = CERTIFICATE_LAYOUT
    list_url_name = "enforcement:certificate_list"
    field_columns = {"holder": "id_number", "reason": "revoke_reason"}

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_people)

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return selectors.certificate_list(user=user, on=on)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            obj.number,
            obj.holder.name,
            obj.holder.id_number,
            obj.issuer,
            obj.issued_on,
            obj.expires_on,
            obj.scope,
            obj.revoked_on,
            obj.revoke_reason,
        ]

    def prepare(self, actor: Any, rows: list[tuple[int, dict[str, Any]]], refs: Any) -> Any:
        numbers = [values["number"] for _, values in rows]
        ids = [values["id_number"] for _, values in rows]
        return {
            "certificates": {
                c.number: c
                for c in Certificate.objects.filter(number__in=numbers).select_related("holder")
            },
            "people": {p.id_number: p for p in person_list(user=actor).filter(id_number__in=ids)},
        }

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        holder: Person | None = context["people"].get(values["id_number"])
        if holder is None:
            raise ValidationError({"holder": "未找到该身份证号码的人员, 请先在实名制人员中登记"})
        if holder.name != values["name"]:
            raise ValidationError(
                {"holder": f"身份证号码对应的人员是{holder.name}, 与持证人“{values['name']}”不符"}
            )
        certificate: Certificate | None = context["certificates"].get(values["number"])
        if certificate is None:
            certificate = services.certificate_issue(
                actor=actor,
                holder=holder,
                number=values["number"],
                issuer=values["issuer"],
                issued_on=values["issued_on"],
                expires_on=values["expires_on"],
                scope=values["scope"],
            )
            context["certificates"][certificate.number] = certificate
            action = "created"
        else:
            recorded = (certificate.holder_id, certificate.issuer, certificate.issued_on)
            if recorded != (holder.pk, values["issuer"], values["issued_on"]) or (
                values["expires_on"] and values["expires_on"] != certificate.expires_on
            ):
                raise ValidationError(
                    {
                        "number": f"证件{certificate.number}已登记, 导入不修改已登记的持证人、发证机关和日期"
                    }
                )
            action = "unchanged"
        if values["revoked_on"] and certificate.revoked_on is None:
            services.certificate_revoke(
                actor=actor,
                certificate=certificate,
                revoked_on=values["revoked_on"],
                reason=values["revoke_reason"],
            )
            return "updated" if action == "unchanged" else action
        if values["revoked_on"] and values["revoked_on"] != certificate.revoked_on:
            raise ValidationError({"revoked_on": f"该证件已于{certificate.revoked_on}注销"})
        return action


class EquipmentKindReference:
    """Equipment kinds by name or code."""

    def __init__(self) -> None:
        self.kinds = list(EquipmentKind.objects.all())

    def resolve(self, text: str) -> EquipmentKind:
        for kind in self.kinds:
            if text in (kind.name, kind.code):
                return kind
        names = "、".join(k.name for k in self.kinds)
        raise CellError(f"“{text}”不是装备类别, 可选: {names}")

    def label(self, obj: EquipmentKind) -> str:
        return obj.name

    def options(self) -> list[str]:
        return [k.name for k in self.kinds]


EQUIPMENT_LAYOUT = Layout(
    title="执法装备台账",
    key=("bureau", "kind", "model_name", "plate_number", "acquired_on"),
    columns=(
        Column(
            "bureau",
            "综合行政执法局",
            ColumnKind.REF,
            required=True,
            ref="bureau",
            synonyms=("执法局", "单位"),
            help="写“镇名称/综合行政执法局”",
            width=30,
        ),
        Column("kind", "装备类别", ColumnKind.REF, required=True, ref="kind", width=20),
        Column("model_name", "品牌型号", max_length=100, width=16),
        Column("quantity", "数量", ColumnKind.INT, required=True, width=8),
        Column("plate_number", "车牌号", is_code=True, max_length=20, width=12),
        Column("has_dash_camera", "配行车记录仪", ColumnKind.CHOICE, choices=YES_NO, width=10),
        Column("acquired_on", "配备日期", ColumnKind.DATE, required=True),
        Column("disposed_on", "报废/调出日期", ColumnKind.DATE),
        Column("notes", "备注", max_length=200, width=24),
    ),
)


class EquipmentRegister(ServiceRegister):
    name = "enforcement_equipment"
    label = "执法装备台账"
    description = "各综合行政执法局的执法装备和执法车辆"
    layout = EQUIPMENT_LAYOUT
    list_url_name = "enforcement:overview"
    field_columns = {"reason": "notes"}

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_people)

    def references(self, user: Any) -> dict[str, Reference]:
        return {
            "bureau": UnitReference(user=user, kinds={UnitKind.ENFORCEMENT_BUREAU}),
            "kind": EquipmentKindReference(),
        }

    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return selectors.equipment_list(user=user)

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        return [
            refs["bureau"].label(obj.bureau),
            obj.kind.name,
            obj.model_name,
            obj.quantity,
            obj.plate_number,
            ("是" if obj.has_dash_camera else "否") if obj.kind.is_vehicle else "",
            obj.acquired_on,
            obj.disposed_on,
            obj.notes,
        ]

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        plate = (values["plate_number"] or "").upper()
        found = Equipment.objects.filter(
            bureau=values["bureau"],
            kind=values["kind"],
            model_name=values["model_name"],
            plate_number=plate,
            acquired_on=values["acquired_on"],
        ).first()
        if found is None:
            equipment = services.equipment_add(
                actor=actor,
                bureau=values["bureau"],
                kind=values["kind"],
                acquired_on=values["acquired_on"],
                quantity=values["quantity"] or 0,
                model_name=values["model_name"],
                plate_number=plate,
                has_dash_camera=values["has_dash_camera"] == "yes",
                notes=values["notes"],
            )
            if values["disposed_on"]:
                services.equipment_dispose(
                    actor=actor,
                    equipment=equipment,
                    disposed_on=values["disposed_on"],
                    reason=values["notes"] or "导入",
                )
            return "created"
        if values["quantity"] != found.quantity:
            raise ValidationError(
                {"quantity": f"该装备已登记数量{found.quantity}, 导入不修改已登记的数量"}
            )
        if values["disposed_on"] and found.disposed_on is None:
            services.equipment_dispose(
                actor=actor,
                equipment=found,
                disposed_on=values["disposed_on"],
                reason=values["notes"] or "报废",
            )
            return "updated"
        return "unchanged"
