"""Quota balances as of a date, computed from the ledger in one aggregated query."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Sum

from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import scope_q

from .models import LeadershipQuota, QuotaMovement, QuotaType


def quota_types() -> list[QuotaType]:
    return list(QuotaType.objects.filter(is_active=True))


def quota_balance(*, unit: Unit, quota_type: QuotaType, on: dt.date) -> int:
    """Approved quota (核定编制数) of one unit and type on ``on``."""
    total = QuotaMovement.objects.filter(
        unit=unit, quota_type=quota_type, effective_on__lte=on
    ).aggregate(s=Sum("delta"))["s"]
    return int(total or 0)


def quota_balances(*, unit_ids: Iterable[int], on: dt.date) -> dict[tuple[int, int], int]:
    """{(unit_id, quota_type_id): balance} for many units in one query."""
    rows = (
        QuotaMovement.objects.filter(unit_id__in=list(unit_ids), effective_on__lte=on)
        .values("unit_id", "quota_type_id")
        .annotate(total=Sum("delta"))
    )
    return {(r["unit_id"], r["quota_type_id"]): int(r["total"]) for r in rows}


def quota_min_balance_from(*, unit: Unit, quota_type: QuotaType, on: dt.date) -> int:
    """The lowest balance from ``on`` onwards (so a back-dated cut cannot drive a later day negative)."""
    balance = quota_balance(unit=unit, quota_type=quota_type, on=on)
    lowest = balance
    later = (
        QuotaMovement.objects.filter(unit=unit, quota_type=quota_type, effective_on__gt=on)
        .values("effective_on")
        .annotate(day_total=Sum("delta"))
        .order_by("effective_on")
    )
    for row in later:
        balance += int(row["day_total"])
        lowest = min(lowest, balance)
    return lowest


def movement_list(*, user: Any) -> Any:
    """Ledger entries in the user's scope."""
    return QuotaMovement.objects.filter(scope_q(user, "unit__")).select_related(
        "unit", "quota_type", "created_by", "transfer", "redistribution"
    )


def leadership_quotas(*, unit_ids: Iterable[int], on: dt.date) -> dict[tuple[int, str], int]:
    """{(unit_id, level): approved posts} using the latest record effective on ``on``."""
    result: dict[tuple[int, str], int] = {}
    rows = (
        LeadershipQuota.objects.filter(unit_id__in=list(unit_ids), effective_on__lte=on)
        .order_by("unit_id", "level", "-effective_on")
        .values("unit_id", "level", "count")
    )
    for row in rows:
        result.setdefault((row["unit_id"], row["level"]), row["count"])
    return result
