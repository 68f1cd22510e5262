"""Writes to divisions, units and docking links. Every write is atomic, checked and attributed."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from zhenjie.core.audit import attribute
from zhenjie.core.validators import normalize_code, validate_credit_code

from .choices import (
    ALLOWED_PARENT_KINDS,
    CODE_LENGTHS,
    DIVISION_LEVEL_OF_KIND,
    PARENT_LEVEL,
    TOWNSHIP_SEGMENTS,
    DivisionLevel,
    UnitKind,
)
from .models import Division, DockingLink, Unit
from .selectors import county_of, ensure_unit_access


def division_validate_code(*, code: str, level: str, parent: Division | None) -> None:
    """Check a division code against its level and parent (GB/T 2260, GB/T 10114)."""
    label = DivisionLevel(level).label
    if not code.isdigit():
        raise ValidationError({"code": "区划代码只能由数字组成"})
    expected = CODE_LENGTHS[level]
    if len(code) != expected:
        raise ValidationError({"code": f"{label}的区划代码应为{expected}位, 实为{len(code)}位"})
    parent_level = PARENT_LEVEL[level]
    if parent_level is None:
        if parent is not None:
            raise ValidationError({"parent": f"{label}不能有上级区划"})
        return
    if parent is None or parent.level != parent_level:
        raise ValidationError(
            {"parent": f"{label}的上级区划应为{DivisionLevel(parent_level).label}"}
        )
    if not code.startswith(parent.code):
        raise ValidationError({"code": f"区划代码{code}应以上级区划代码{parent.code}开头"})
    if level in TOWNSHIP_SEGMENTS:
        low, high = TOWNSHIP_SEGMENTS[level]
        segment = int(code[-3:])
        if not low <= segment <= high:
            raise ValidationError(
                {
                    "code": f"{label}的乡级代码段(第7-9位)应在{low:03d}-{high:03d}之间, "
                    f"{code}的代码段为{code[-3:]}"
                }
            )


@transaction.atomic
def division_create(
    *, code: str, name: str, level: str, parent: Division | None = None, source: str = ""
) -> Division:
    """Register an administrative division (行政区划) after checking its code."""
    code = normalize_code(code)
    division_validate_code(code=code, level=level, parent=parent)
    if Division.objects.filter(code=code).exists():
        raise ValidationError({"code": f"区划代码{code}已存在"})
    division = Division(code=code, name=name.strip(), level=level, parent=parent, source=source)
    division.full_clean()
    division.save()
    return division


def _validate_placement(
    *,
    kind: str,
    parent: Unit | None,
    division: Division | None,
    department: Unit | None,
    established_on: dt.date,
) -> None:
    allowed = ALLOWED_PARENT_KINDS[kind]
    kind_label = UnitKind(kind).label
    if parent is None:
        if allowed:
            raise ValidationError({"parent": f"{kind_label}必须指定上级机构"})
    else:
        if parent.kind not in allowed:
            names = "、".join(str(UnitKind(k).label) for k in sorted(allowed)) or "无"
            raise ValidationError(
                {"parent": f"{kind_label}的上级机构应为{names}, 不能是{parent.get_kind_display()}"}
            )
        if not parent.is_active_on(established_on):
            raise ValidationError(
                {"parent": f"上级机构{parent.name}在{established_on}不存在或已撤销"}
            )
    level = DIVISION_LEVEL_OF_KIND.get(kind)
    if level is not None:
        if division is None:
            raise ValidationError({"division": f"{kind_label}必须关联行政区划"})
        if division.level != level:
            raise ValidationError(
                {
                    "division": f"{kind_label}应关联{DivisionLevel(level).label}区划, "
                    f"{division} 是{division.get_level_display()}"
                }
            )
    elif division is not None:
        raise ValidationError({"division": f"{kind_label}不单独关联行政区划"})
    if (
        division is not None
        and parent is not None
        and parent.division_id is not None
        and division.parent_id != parent.division_id
    ):
        raise ValidationError({"division": f"行政区划{division}不属于{parent.name}"})
    if kind == UnitKind.DISPATCHED_AGENCY:
        if department is None or department.kind != UnitKind.DEPARTMENT:
            raise ValidationError({"department": "派出机构必须指定主管的县直部门"})
        if parent is not None and county_of(department) != county_of(parent):
            raise ValidationError({"department": "派出机构的主管部门须与所在镇(街道)属于同一旗县"})
    elif department is not None:
        raise ValidationError({"department": "只有派出机构才指定主管部门"})


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    parent: Unit | None,
    established_on: dt.date,
    established_doc: str = "",
    division: Division | None = None,
    department: Unit | None = None,
    rank: str = "",
    credit_code: str = "",
    short_name: str = "",
    sort_order: int = 0,
    notes: str = "",
) -> Unit:
    """Establish a unit (设立机构) under ``parent``."""
    if parent is not None:
        ensure_unit_access(
            user=actor, unit=parent, allowed=actor.may_edit_structure, action="设立机构"
        )
    elif not actor.is_superuser:
        raise ValidationError({"parent": "只有系统管理员可以设立顶级机构"})
    _validate_placement(
        kind=kind,
        parent=parent,
        division=division,
        department=department,
        established_on=established_on,
    )
    credit_code = normalize_code(credit_code)
    if credit_code:
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from None
    unit = Unit(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        division=division,
        department=department,
        rank=rank,
        credit_code=credit_code,
        established_on=established_on,
        established_doc=established_doc.strip(),
        sort_order=sort_order,
        notes=notes,
        depth=(parent.depth + 1) if parent else 0,
        path="/",
    )
    unit.full_clean(exclude=["path"])
    attribute(unit, actor, "设立机构")
    unit.save()
    # Zero-padded ids keep siblings in creation order when the path is sorted as text.
    unit.path = f"{parent.path if parent else '/'}{unit.pk:08d}/"
    # The path is derived from the new id; writing it is part of the creation, not a change.
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


UNIT_EDITABLE_FIELDS = {
    "name",
    "short_name",
    "rank",
    "credit_code",
    "established_doc",
    "sort_order",
    "notes",
}


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, reason: str = "", **changes: Any) -> Unit:
    """Change a unit's descriptive fields (更名、规格、信用代码…); placement has its own services."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_structure, action="修改机构")
    unknown = set(changes) - UNIT_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"不能通过此操作修改: {'、'.join(sorted(unknown))}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if "credit_code" in changes:
        changes["credit_code"] = normalize_code(changes["credit_code"])
        if changes["credit_code"]:
            try:
                validate_credit_code(changes["credit_code"])
            except ValidationError as exc:
                raise ValidationError({"credit_code": exc.messages}) from None
    changed = [f for f, v in changes.items() if getattr(unit, f) != v]
    if not changed:
        return unit
    for field in changed:
        setattr(unit, field, changes[field])
    unit.full_clean()
    attribute(unit, actor, reason or "修改机构信息")
    unit.save(update_fields=[*changed, "updated_at"])
    return unit


@transaction.atomic
def unit_abolish(*, actor: Any, unit: Unit, abolished_on: dt.date, abolished_doc: str) -> Unit:
    """Abolish a unit (撤销机构) once its children, quota and people are gone."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_structure, action="撤销机构")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.abolished_on is not None:
        raise ValidationError({"abolished_on": f"{unit.name}已于{unit.abolished_on}撤销"})
    if abolished_on < unit.established_on:
        raise ValidationError({"abolished_on": "撤销日期不能早于设立日期"})
    if not abolished_doc.strip():
        raise ValidationError({"abolished_doc": "撤销机构须填写文号"})
    if unit.children.filter(abolished_on__isnull=True).exists():
        raise ValidationError("该机构仍有在用的下级机构, 须先撤销或调整下级机构")
    # Quota and people must be moved first (编随事走、人随编走).
    if unit.quota_movements.filter(effective_on__gt=abolished_on).exists():
        raise ValidationError({"abolished_on": "撤销日期之后仍有编制变动记录, 不能撤销"})
    total = unit.quota_movements.aggregate(s=Sum("delta"))["s"]
    if total:
        raise ValidationError(f"该机构仍有{total}名编制, 须先划转或核减")
    after = Q(end_date__isnull=True) | Q(end_date__gt=abolished_on)
    if unit.enrolments.filter(after).exists():
        raise ValidationError("该机构仍有在编人员, 须先办理出编或随编划转")
    if unit.posts.filter(after).exists():
        raise ValidationError("该机构仍有在岗人员(含兼任), 须先调整其工作岗位")
    unit.abolished_on = abolished_on
    unit.abolished_doc = abolished_doc.strip()
    attribute(unit, actor, "撤销机构")
    unit.save(update_fields=["abolished_on", "abolished_doc", "updated_at"])
    return unit


@transaction.atomic
def docking_link_add(*, actor: Any, office: Unit, department: Unit, notes: str = "") -> DockingLink:
    """Record that an office (办) docks with a county department."""
    ensure_unit_access(
        user=actor, unit=office, allowed=actor.may_edit_structure, action="设置对接关系"
    )
    if office.kind != UnitKind.OFFICE:
        raise ValidationError({"office": f"{office.name}不是“办”, 只有办对接县直部门"})
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError({"department": f"{department.name}不是县直部门"})
    if DockingLink.objects.filter(office=office, department=department).exists():
        raise ValidationError({"department": f"{office.name}已对接{department.name}"})
    link = DockingLink(office=office, department=department, notes=notes.strip())
    attribute(link, actor, "新增对接关系")
    link.save()
    return link


@transaction.atomic
def docking_link_remove(*, actor: Any, link: DockingLink) -> None:
    ensure_unit_access(
        user=actor, unit=link.office, allowed=actor.may_edit_structure, action="删除对接关系"
    )
    attribute(link, actor, "删除对接关系")
    link.delete()
