"""Writes for delegated powers: batches, items, acceptance, resource pledges, guidance, usage."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhenjie.core.audit import attribute
from zhenjie.organizations.choices import BASE_LEVEL_KINDS, UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import county_of, ensure_unit_access

from .choices import REASON_REQUIRED, AcceptanceStatus, Grantee, GuidanceKind
from .models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerCategory,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)

GRANTEE_KINDS: dict[str, set[str]] = {
    Grantee.TOWN: {UnitKind.TOWN, UnitKind.TOWNSHIP},
    Grantee.STREET: {UnitKind.STREET},
    Grantee.BOTH: set(BASE_LEVEL_KINDS),
}


def _require_catalog_editor(actor: Any) -> None:
    # The catalog is kept by the staffing office (编办牵头梳理权责清单).
    if not actor.may_edit_structure:
        raise PermissionDenied("只有机构编制部门可以维护赋权事项目录")


@transaction.atomic
def batch_create(
    *, actor: Any, name: str, issuer: str, doc_no: str, issued_on: dt.date, notes: str = ""
) -> DelegationBatch:
    """Register a delegation decision (赋权批次)."""
    _require_catalog_editor(actor)
    doc_no = doc_no.strip()
    if not doc_no:
        raise ValidationError({"doc_no": "请填写文号"})
    if DelegationBatch.objects.filter(doc_no=doc_no).exists():
        raise ValidationError({"doc_no": f"文号{doc_no}已登记"})
    batch = DelegationBatch(
        name=name.strip(), issuer=issuer.strip(), doc_no=doc_no, issued_on=issued_on, notes=notes
    )
    batch.full_clean()
    attribute(batch, actor, "登记赋权批次")
    batch.save()
    return batch


@transaction.atomic
def power_item_create(
    *,
    actor: Any,
    batch: DelegationBatch,
    code: str,
    name: str,
    category: PowerCategory,
    legal_basis: str,
    department: Unit,
    mode: str,
    grantee: str,
    responsibility_items: str = "",
    accountability_cases: str = "",
) -> PowerItem:
    """Add a power item to a batch; it names its legal basis and the department that held it."""
    _require_catalog_editor(actor)
    ensure_unit_access(user=actor, unit=department, allowed=True, action="登记赋权事项")
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError({"department": f"{department.name}不是县直部门"})
    if not legal_basis.strip():
        raise ValidationError({"legal_basis": "赋权事项须写明设定依据"})
    code = code.strip()
    if PowerItem.objects.filter(batch=batch, code=code).exists():
        raise ValidationError({"code": f"事项编码{code}在该批次中已存在"})
    item = PowerItem(
        batch=batch,
        code=code,
        name=name.strip(),
        category=category,
        legal_basis=legal_basis.strip(),
        department=department,
        mode=mode,
        grantee=grantee,
        responsibility_items=responsibility_items,
        accountability_cases=accountability_cases,
    )
    item.full_clean()
    attribute(item, actor, "登记赋权事项")
    item.save()
    return item


@transaction.atomic
def acceptance_record(
    *,
    actor: Any,
    unit: Unit,
    item: PowerItem,
    status: str,
    effective_on: dt.date,
    reason: str = "",
    responsible_unit: Unit | None = None,
) -> Acceptance:
    """Record a town's or street's answer to a power (承接 / 暂缓 / 不承接)."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_people, action="登记承接情况")
    if unit.kind not in BASE_LEVEL_KINDS:
        raise ValidationError({"unit": f"{unit.name}不是镇或街道, 不能承接赋权事项"})
    if unit.kind not in GRANTEE_KINDS[item.grantee]:
        raise ValidationError(
            {"item": f"该事项只赋予{Grantee(item.grantee).label}, {unit.name}不能承接"}
        )
    if status not in AcceptanceStatus.values:
        raise ValidationError({"status": "承接情况无效"})
    reason = reason.strip()
    if status in REASON_REQUIRED and not reason:
        # 不认领须书面说明原因.
        raise ValidationError({"reason": "不承接或暂缓承接须书面说明理由"})
    if status == AcceptanceStatus.ACCEPTED and responsible_unit is None:
        raise ValidationError({"responsible_unit": "承接的事项须明确承办机构"})
    # Only a power taken on has a handling unit; a named one is refused rather than dropped.
    if status != AcceptanceStatus.ACCEPTED and responsible_unit is not None:
        label = AcceptanceStatus(status).label
        raise ValidationError({"responsible_unit": f"{label}的事项不设承办机构, 请清空承办机构"})
    if responsible_unit is not None and responsible_unit.parent_id != unit.pk:
        raise ValidationError({"responsible_unit": f"承办机构须是{unit.name}的内设机构或所属单位"})
    if not unit.is_active_on(effective_on):
        raise ValidationError({"unit": f"{unit.name}在{effective_on}不存在或已撤销"})
    if responsible_unit is not None and not responsible_unit.is_active_on(effective_on):
        raise ValidationError(
            {"responsible_unit": f"{responsible_unit.name}在{effective_on}不存在或已撤销"}
        )
    if effective_on < item.batch.issued_on:
        raise ValidationError(
            {"effective_on": f"生效日期不能早于赋权文件发文日期{item.batch.issued_on}"}
        )
    if Acceptance.objects.filter(unit=unit, item=item).exists():
        raise ValidationError({"item": f"{unit.name}已登记过“{item.name}”的承接情况"})
    acceptance = Acceptance(
        unit=unit,
        item=item,
        status=status,
        reason=reason,
        responsible_unit=responsible_unit,
        effective_on=effective_on,
        decided_by=actor,
    )
    acceptance.full_clean()
    attribute(acceptance, actor, "登记承接情况")
    acceptance.save()
    return acceptance


@transaction.atomic
def pledge_set(
    *,
    actor: Any,
    department: Unit,
    batch: DelegationBatch,
    expected_quota: int,
    expected_people: int,
    expected_funds: Decimal,
    funds_transferred: Decimal = Decimal("0"),
    notes: str = "",
) -> ResourcePledge:
    """Record what should follow a department's powers, and the funds that did (费随事转)."""
    _require_catalog_editor(actor)
    ensure_unit_access(user=actor, unit=department, allowed=True, action="登记资源下沉")
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError({"department": f"{department.name}不是县直部门"})
    if min(expected_quota, expected_people) < 0 or min(expected_funds, funds_transferred) < 0:
        raise ValidationError("数量和金额不能为负数")
    pledge = (
        ResourcePledge.objects.select_for_update()
        .filter(department=department, batch=batch)
        .first()
    )
    if pledge is None:
        pledge = ResourcePledge(department=department, batch=batch)
    pledge.expected_quota = expected_quota
    pledge.expected_people = expected_people
    pledge.expected_funds = expected_funds
    pledge.funds_transferred = funds_transferred
    pledge.notes = notes
    pledge.full_clean()
    attribute(pledge, actor, "登记资源下沉安排")
    pledge.save()
    return pledge


@transaction.atomic
def guidance_record(
    *,
    actor: Any,
    department: Unit,
    kind: str,
    held_on: dt.date,
    description: str,
    units: list[Unit],
    item: PowerItem | None = None,
) -> Guidance:
    """Record guidance, training or an evaluation after delegation (行政处罚法 第24条: 定期组织评估)."""
    ensure_unit_access(
        user=actor, unit=department, allowed=actor.may_edit_people, action="登记赋权后指导"
    )
    if kind not in GuidanceKind.values:
        raise ValidationError({"kind": "类型无效"})
    if item is not None and item.department_id != department.pk:
        raise ValidationError({"item": "只能登记本部门下放的事项"})
    if not description.strip():
        raise ValidationError({"description": "请填写指导内容"})
    county = county_of(department)
    prefix = county.path if county is not None else department.path
    for unit in units:
        if unit.kind not in BASE_LEVEL_KINDS or not unit.path.startswith(prefix):
            raise ValidationError({"units": f"{unit.name}不是本旗县的镇(街道)"})
    guidance = Guidance.objects.create(
        department=department,
        item=item,
        kind=kind,
        held_on=held_on,
        description=description.strip(),
    )
    guidance.units.set(units)
    return guidance


@transaction.atomic
def usage_record(
    *,
    actor: Any,
    unit: Unit,
    item: PowerItem,
    period_start: dt.date,
    period_end: dt.date,
    count: int,
    source: str = "manual",
) -> PowerUsage:
    """Record how often an accepted power was exercised in a period (行权次数)."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_people, action="登记行权情况")
    if period_end < period_start:
        raise ValidationError({"period_end": "截止日期不能早于起始日期"})
    if count < 0:
        raise ValidationError({"count": "行权次数不能为负数"})
    accepted = Acceptance.objects.filter(
        unit=unit, item=item, status=AcceptanceStatus.ACCEPTED, effective_on__lte=period_end
    ).exists()
    if not accepted:
        raise ValidationError({"item": f"{unit.name}未承接“{item.name}”, 不能登记行权"})
    if PowerUsage.objects.filter(
        unit=unit, item=item, period_start=period_start, source=source
    ).exists():
        raise ValidationError({"period_start": "该镇(街道)此事项在该期间已有行权记录"})
    usage = PowerUsage(
        unit=unit,
        item=item,
        period_start=period_start,
        period_end=period_end,
        count=count,
        source=source,
    )
    usage.full_clean()
    usage.save()
    return usage


# Particulars of a catalog item that may change after it was registered; batch and code stay.
ITEM_EDITABLE = {
    "name",
    "category",
    "legal_basis",
    "department",
    "mode",
    "grantee",
    "responsibility_items",
    "accountability_cases",
}


@transaction.atomic
def power_item_update(
    *, actor: Any, item: PowerItem, reason: str = "修改赋权事项", **changes: Any
) -> PowerItem:
    """Change the particulars of a catalog item (赋权事项); its batch and code stay."""
    _require_catalog_editor(actor)
    unknown = set(changes) - ITEM_EDITABLE
    if unknown:
        raise ValidationError(f"不能修改: {'、'.join(sorted(unknown))}")
    item = PowerItem.objects.select_for_update().select_related("department").get(pk=item.pk)
    ensure_unit_access(user=actor, unit=item.department, allowed=True, action="修改赋权事项")
    department = changes.get("department")
    if department is not None:
        ensure_unit_access(user=actor, unit=department, allowed=True, action="修改赋权事项")
        if department.kind != UnitKind.DEPARTMENT:
            raise ValidationError({"department": f"{department.name}不是县直部门"})
    if "legal_basis" in changes and not changes["legal_basis"].strip():
        raise ValidationError({"legal_basis": "赋权事项须写明设定依据"})
    grantee = changes.get("grantee")
    if grantee is not None and grantee not in Grantee.values:
        raise ValidationError({"grantee": "承接对象无效"})
    if grantee is not None and grantee != item.grantee:
        # Towns and streets that already answered must remain ones the power is granted to.
        answered = (
            Acceptance.objects.filter(item=item)
            .exclude(unit__kind__in=GRANTEE_KINDS[grantee])
            .order_by("unit__path")
            .values_list("unit__name", flat=True)
        )
        names = list(answered)
        if names:
            raise ValidationError(
                {
                    "grantee": f"{'、'.join(names)}已登记该事项的承接情况, "
                    f"承接对象不能改为{Grantee(grantee).label}"
                }
            )
    for name, value in changes.items():
        setattr(item, name, value.strip() if name in ("name", "legal_basis") else value)
    item.full_clean()
    attribute(item, actor, reason)
    item.save(update_fields=[*changes, "updated_at"])
    return item


@transaction.atomic
def usage_update(*, actor: Any, usage: PowerUsage, period_end: dt.date, count: int) -> PowerUsage:
    """Correct a recorded exercise count (行权次数) or the end of its period."""
    ensure_unit_access(
        user=actor, unit=usage.unit, allowed=actor.may_edit_people, action="登记行权情况"
    )
    usage = PowerUsage.objects.select_for_update().select_related("unit", "item").get(pk=usage.pk)
    if period_end < usage.period_start:
        raise ValidationError({"period_end": "截止日期不能早于起始日期"})
    if count < 0:
        raise ValidationError({"count": "行权次数不能为负数"})
    accepted = Acceptance.objects.filter(
        unit=usage.unit,
        item=usage.item,
        status=AcceptanceStatus.ACCEPTED,
        effective_on__lte=period_end,
    ).exists()
    if not accepted:
        raise ValidationError({"item": f"{usage.unit.name}未承接“{usage.item.name}”, 不能登记行权"})
    usage.period_end, usage.count = period_end, count
    usage.full_clean()
    usage.save(update_fields=["period_end", "count", "updated_at"])
    return usage
