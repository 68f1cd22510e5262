"""Payload builders and snapshots shared by the approval and reminder tests."""

import datetime as dt
from typing import Any

from zhenjie.staffing.models import QuotaMovement, QuotaTransfer
from zhenjie.workflows.models import ApprovalRequest, ApprovalStage, ApprovalStep

DOC = "阿机编发〔2024〕20号"
JUN = dt.date(2024, 6, 1)


def quota_payload(
    unit: Any, quota_type: Any, amount: int | str = 2, **extra: Any
) -> dict[str, Any]:
    """核增 / 核减 payload as a page or an API would send it (ids and an ISO date)."""
    return {
        "unit": unit.pk,
        "quota_type": quota_type.pk,
        "amount": amount,
        "doc_no": DOC,
        "effective_on": JUN.isoformat(),
        "summary": "承接新增职能",
        **extra,
    }


def transfer_payload(
    from_unit: Any, to_unit: Any, quota_type: Any, amount: int = 1, persons: Any = (), **extra: Any
) -> dict[str, Any]:
    return {
        "from_unit": from_unit.pk,
        "to_unit": to_unit.pk,
        "quota_type": quota_type.pk,
        "amount": amount,
        "persons": [p.pk for p in persons],
        "doc_no": DOC,
        "effective_on": JUN.isoformat(),
        "summary": "",
        **extra,
    }


def stage(request: ApprovalRequest, order: int) -> ApprovalStage:
    return request.definition.stages.get(order=order)


def snapshot(request: ApprovalRequest) -> dict[str, Any]:
    """Everything an approval may change, to prove a refused one changed nothing."""
    request.refresh_from_db()
    return {
        "status": request.status,
        "stage": request.current_stage_id,
        "closed_at": request.closed_at,
        "result": request.result,
        "steps": ApprovalStep.objects.count(),
        "history": ApprovalRequest.history.count(),
        "requests": ApprovalRequest.objects.count(),
        "movements": QuotaMovement.objects.count(),
        "transfers": QuotaTransfer.objects.count(),
    }
