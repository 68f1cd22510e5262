"""Writes to the quota ledger: approvals, increases, decreases and redistributions.

Transfers move people as well as quota and live in ``personnel.services.quota_transfer``.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from zhenjie.core.audit import attribute
from zhenjie.organizations.choices import UnitKind, UnitNature
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import ensure_unit_access

from .choices import DIRECT_KINDS, NEGATIVE_KINDS, LeadershipLevel, MovementKind
from .models import LeadershipQuota, QuotaMovement, QuotaType, Redistribution
from .selectors import quota_min_balance_from


def quota_type_check_unit(*, quota_type: QuotaType, unit: Unit, field: str = "unit") -> None:
    """国务院令第486号 第15条: a quota type may only be held by units of its nature (no 混编)."""
    if unit.nature == UnitNature.INTERNAL:
        parent = unit.parent.name if unit.parent else "所属机构"
        raise ValidationError({field: f"{unit.name}是内设机构, 不单独核定编制; 请在{parent}核定"})
    if unit.nature != quota_type.nature:
        raise ValidationError(
            {
                field: f"{quota_type.name}只能用于{quota_type.get_nature_display()}, "
                f"{unit.name}是{unit.get_nature_display()}"
            }
        )


def _lock_units(units: list[Unit]) -> None:
    """Serialise quota changes per unit (row lock on PostgreSQL; SQLite locks the database)."""
    list(Unit.objects.select_for_update().filter(pk__in=sorted(u.pk for u in units)))


def _check_active(unit: Unit, on: dt.date, field: str = "unit") -> None:
    if not unit.is_active_on(on):
        raise ValidationError({field: f"{unit.name}在{on}不存在或已撤销"})


def _require_doc(doc_no: str) -> str:
    doc_no = doc_no.strip()
    if not doc_no:
        raise ValidationError({"doc_no": "编制变动须填写批准文号"})
    return doc_no


@transaction.atomic
def quota_movement_record(
    *,
    actor: Any,
    unit: Unit,
    quota_type: QuotaType,
    kind: str,
    amount: int,
    doc_no: str,
    effective_on: dt.date,
    summary: str = "",
) -> QuotaMovement:
    """Record 核定, 核增 or 核减 of ``amount`` places; the balance may never go negative."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_quotas, action="变动编制")
    if kind not in DIRECT_KINDS:
        raise ValidationError({"kind": "划转和二次分配须通过专门的办理流程"})
    if amount <= 0:
        raise ValidationError({"amount": "变动数必须是正整数"})
    doc_no = _require_doc(doc_no)
    quota_type_check_unit(quota_type=quota_type, unit=unit)
    _check_active(unit, effective_on)
    _lock_units([unit])
    delta = -amount if kind in NEGATIVE_KINDS else amount
    if delta < 0:
        lowest = quota_min_balance_from(unit=unit, quota_type=quota_type, on=effective_on)
        if lowest + delta < 0:
            raise ValidationError(
                {
                    "amount": f"核减{amount}名后{unit.name}的{quota_type.name}将为负数(现有{lowest}名)"
                }
            )
    movement = QuotaMovement(
        unit=unit,
        quota_type=quota_type,
        kind=kind,
        delta=delta,
        doc_no=doc_no,
        effective_on=effective_on,
        summary=summary.strip(),
        created_by=actor,
    )
    movement.full_clean()
    movement.save()
    return movement


@transaction.atomic
def quota_redistribute(
    *,
    actor: Any,
    county: Unit,
    quota_type: QuotaType,
    lines: list[tuple[Unit, int]],
    doc_no: str,
    effective_on: dt.date,
    summary: str = "",
) -> Redistribution:
    """二次分配: move places of one type among units of one county; the county total is kept."""
    ensure_unit_access(
        user=actor, unit=county, allowed=actor.may_edit_quotas, action="二次分配编制"
    )
    if county.kind != UnitKind.COUNTY:
        raise ValidationError({"county": "二次分配须在旗县(市、区)范围内进行"})
    doc_no = _require_doc(doc_no)
    merged: dict[int, int] = defaultdict(int)
    units: dict[int, Unit] = {}
    for unit, delta in lines:
        merged[unit.pk] += delta
        units[unit.pk] = unit
    merged = {pk: d for pk, d in merged.items() if d != 0}
    if len(merged) < 2:
        raise ValidationError({"lines": "二次分配至少涉及两个机构"})
    if sum(merged.values()) != 0:
        raise ValidationError(
            {"lines": f"二次分配前后编制总数须相等, 现增减合计为{sum(merged.values()):+d}"}
        )
    for pk in merged:
        unit = units[pk]
        if not unit.path.startswith(county.path):
            raise ValidationError({"lines": f"{unit.name}不属于{county.name}"})
        quota_type_check_unit(quota_type=quota_type, unit=unit, field="lines")
        _check_active(unit, effective_on, field="lines")
    _lock_units(list(units.values()))
    for pk, delta in merged.items():
        if delta < 0:
            lowest = quota_min_balance_from(unit=units[pk], quota_type=quota_type, on=effective_on)
            if lowest + delta < 0:
                raise ValidationError(
                    {
                        "lines": f"{units[pk].name}的{quota_type.name}只有{lowest}名, 不能调出{-delta}名"
                    }
                )
    batch = Redistribution.objects.create(
        county=county,
        quota_type=quota_type,
        doc_no=doc_no,
        effective_on=effective_on,
        summary=summary.strip(),
        created_by=actor,
    )
    QuotaMovement.objects.bulk_create(
        [
            QuotaMovement(
                unit_id=pk,
                quota_type=quota_type,
                kind=MovementKind.REDISTRIBUTE,
                delta=delta,
                doc_no=doc_no,
                effective_on=effective_on,
                summary=summary.strip() or "编制二次分配",
                redistribution=batch,
                created_by=actor,
            )
            for pk, delta in sorted(merged.items())
        ]
    )
    return batch


@transaction.atomic
def leadership_quota_set(
    *, actor: Any, unit: Unit, level: str, count: int, doc_no: str, effective_on: dt.date
) -> LeadershipQuota:
    """Approve the leadership posts (领导职数) of a unit at one level from a date."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_quotas, action="核定领导职数")
    if level not in LeadershipLevel.values:
        raise ValidationError({"level": "职级无效"})
    if count < 0:
        raise ValidationError({"count": "领导职数不能为负数"})
    record = LeadershipQuota(
        unit=unit, level=level, count=count, doc_no=_require_doc(doc_no), effective_on=effective_on
    )
    record.full_clean()
    attribute(record, actor, "核定领导职数")
    record.save()
    return record
