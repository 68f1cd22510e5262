"""The approval engine (审批): create, submit, approve, reject and withdraw requests.

Every transition runs in one transaction, locks the request, checks ``TRANSITIONS``, saves the
request with its history record and writes an ``ApprovalStep`` (the audit trail). When the last
stage approves, the kind's handler applies the change through the owning app's service inside
the same transaction, so either both the approval and the change are kept or neither is.

The change is recorded with ``actor`` = the approver of the stage held by the handler's
``applier_role`` (the staffing office for quota changes): the owning services check that
user's ``may_edit_quotas`` and scope, and the ledger names them as its author. The final
approval step records that user in ``applied_by``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhenjie.core.audit import attribute
from zhenjie.core.roles import Role

from . import registry
from .choices import RequestStatus, StepDecision
from .models import ApprovalDefinition, ApprovalRequest, ApprovalStage, ApprovalStep
from .registry import RequestKind
from .selectors import decision_refusal, user_may_request


@dataclass(frozen=True)
class Transition:
    """An action on a request: the statuses it starts from and those it may lead to."""

    label: str
    sources: frozenset[str]
    targets: frozenset[str]


# Every allowed move of a request's status. Approving a stage that is not the last keeps the
# request SUBMITTED (at the next stage); approving the last makes it APPROVED.
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        "提交", frozenset({RequestStatus.DRAFT}), frozenset({RequestStatus.SUBMITTED})
    ),
    "approve": Transition(
        "审批",
        frozenset({RequestStatus.SUBMITTED}),
        frozenset({RequestStatus.SUBMITTED, RequestStatus.APPROVED}),
    ),
    "reject": Transition(
        "审批", frozenset({RequestStatus.SUBMITTED}), frozenset({RequestStatus.REJECTED})
    ),
    "withdraw": Transition(
        "撤回",
        frozenset({RequestStatus.DRAFT, RequestStatus.SUBMITTED}),
        frozenset({RequestStatus.WITHDRAWN}),
    ),
}


def _check_transition(request: ApprovalRequest, action: str) -> None:
    """Refuse ``action`` unless the transition table allows it from the request's status."""
    if request.status not in TRANSITIONS[action].sources:
        label = RequestStatus(request.status).label
        raise ValidationError(f"该申请当前状态为“{label}”, 不能{TRANSITIONS[action].label}")


def _move(request: ApprovalRequest, action: str, status: str) -> None:
    if status not in TRANSITIONS[action].targets:  # a programming error, never user input
        raise RuntimeError(f"{action} may not lead to {status}")
    request.status = status


def _lock(request: ApprovalRequest) -> ApprovalRequest:
    """Re-read the request under a row lock, so two decisions cannot both pass their checks."""
    return (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("definition", "unit", "current_stage")
        .get(pk=request.pk)
    )


def _definition(kind: str) -> ApprovalDefinition:
    definition = ApprovalDefinition.objects.filter(kind=kind).first()
    if definition is None:
        raise ValidationError({"kind": f"未知的申请类型: {kind}"})
    if not definition.is_active:
        raise ValidationError({"kind": f"“{definition.name}”审批流程已停用"})
    return definition


def _check_stage(request: ApprovalRequest, stage_id: int) -> ApprovalStage:
    """The decision is about the stage the approver saw; a stale page must not decide another."""
    if request.current_stage is None or request.current_stage.pk != stage_id:
        raise ValidationError("该申请已进入其他环节或已办结, 请刷新页面后再办理")
    return request.current_stage


def _check_decider(actor: Any, request: ApprovalRequest) -> None:
    refusal = decision_refusal(user=actor, request=request)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _close(request: ApprovalRequest, action: str, status: str) -> None:
    _move(request, action, status)
    request.current_stage = None
    request.closed_at = timezone.now()


def _save(request: ApprovalRequest, actor: Any, reason: str, fields: list[str]) -> None:
    attribute(request, actor, reason)
    request.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def request_create(
    *,
    actor: Any,
    kind: str,
    payload: Mapping[str, Any],
    title: str = "",
    submit: bool = False,
) -> ApprovalRequest:
    """Create a request (draft) whose payload passed its kind's checks; optionally submit it."""
    if not user_may_request(actor):
        raise PermissionDenied("您的角色不能提出审批申请")
    definition = _definition(kind)
    cleaned = registry.get(kind).clean(actor=actor, data=payload)
    request = ApprovalRequest(
        definition=definition,
        title=title.strip() or cleaned.title,
        unit=cleaned.unit,
        payload=cleaned.payload,
        requester=actor,
    )
    request.full_clean()
    attribute(request, actor, "创建申请")
    request.save()
    if submit:
        request = request_submit(actor=actor, request=request)
    return request


@transaction.atomic
def request_submit(*, actor: Any, request: ApprovalRequest) -> ApprovalRequest:
    """Send a draft to its first stage; the payload is checked again against today's data."""
    request = _lock(request)
    if request.requester_id != actor.pk:
        raise PermissionDenied("只有申请人可以提交此申请")
    _check_transition(request, "submit")
    definition = _definition(request.definition.kind)
    first = definition.stages.order_by("order").first()
    if first is None:
        raise ValidationError(f"“{definition.name}”审批流程尚未设置审批环节")
    cleaned = registry.get(definition.kind).clean(actor=actor, data=request.payload)
    request.payload = cleaned.payload
    _move(request, "submit", RequestStatus.SUBMITTED)
    request.current_stage = first
    request.submitted_at = timezone.now()
    _save(request, actor, "提交申请", ["payload", "status", "current_stage", "submitted_at"])
    ApprovalStep.objects.create(request=request, actor=actor, decision=StepDecision.SUBMIT)
    return request


def _applier(
    request: ApprovalRequest, handler: RequestKind, actor: Any, stage: ApprovalStage
) -> Any:
    """The approver whose authority records the change: the one of the ``applier_role`` stage."""
    if stage.approver_role == handler.applier_role:
        return actor
    step = (
        request.steps.filter(
            decision=StepDecision.APPROVE, stage__approver_role=handler.applier_role
        )
        .select_related("actor")
        .order_by("-stage__order")
        .first()
    )
    if step is None:
        role = Role(handler.applier_role).label
        raise ValidationError(
            f"“{request.definition.name}”审批流程没有由{role}审批的环节, 无法办理"
        )
    return step.actor


@transaction.atomic
def request_approve(
    *, actor: Any, request: ApprovalRequest, stage_id: int, comment: str = ""
) -> ApprovalRequest:
    """Approve the current stage; after the last one, apply the change in the same transaction.

    If the owning service refuses the change (say the balance moved meanwhile), its error is
    raised and nothing is recorded: the request stays at its stage.
    """
    request = _lock(request)
    _check_transition(request, "approve")
    stage = _check_stage(request, stage_id)
    _check_decider(actor, request)
    step = ApprovalStep(
        request=request,
        stage=stage,
        stage_name=stage.name,
        actor=actor,
        decision=StepDecision.APPROVE,
        comment=comment.strip(),
    )
    following = request.definition.stages.filter(order__gt=stage.order).order_by("order").first()
    if following is not None:
        _move(request, "approve", RequestStatus.SUBMITTED)
        request.current_stage = following
        _save(request, actor, f"同意: {stage.name}", ["current_stage"])
    else:
        handler = registry.get(request.definition.kind)
        applier = _applier(request, handler, actor, stage)
        try:
            result = handler.apply(actor=applier, request=request)
        except ValidationError as exc:
            raise ValidationError(f"办理失败, 审批未记录: {'; '.join(exc.messages)}") from exc
        except PermissionDenied as exc:
            raise ValidationError(f"办理失败, 审批未记录: {exc}") from exc
        _close(request, "approve", RequestStatus.APPROVED)
        request.result = result
        step.applied_by = applier
        _save(
            request,
            actor,
            f"同意: {stage.name}, 审批通过",
            ["status", "current_stage", "closed_at", "result"],
        )
    step.save()
    return request


@transaction.atomic
def request_reject(
    *, actor: Any, request: ApprovalRequest, stage_id: int, reason: str
) -> ApprovalRequest:
    """Refuse the request at its current stage; the reason is required and ends the request."""
    request = _lock(request)
    _check_transition(request, "reject")
    stage = _check_stage(request, stage_id)
    _check_decider(actor, request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "不同意须填写理由"})
    _close(request, "reject", RequestStatus.REJECTED)
    _save(request, actor, f"不同意: {stage.name}", ["status", "current_stage", "closed_at"])
    ApprovalStep.objects.create(
        request=request,
        stage=stage,
        stage_name=stage.name,
        actor=actor,
        decision=StepDecision.REJECT,
        comment=reason,
    )
    return request


@transaction.atomic
def request_withdraw(*, actor: Any, request: ApprovalRequest, reason: str = "") -> ApprovalRequest:
    """The requester takes back a draft or a request under approval (before the decision)."""
    request = _lock(request)
    if request.requester_id != actor.pk:
        raise PermissionDenied("只有申请人可以撤回此申请")
    _check_transition(request, "withdraw")
    stage = request.current_stage
    _close(request, "withdraw", RequestStatus.WITHDRAWN)
    _save(request, actor, "撤回申请", ["status", "current_stage", "closed_at"])
    ApprovalStep.objects.create(
        request=request,
        stage=stage,
        stage_name=stage.name if stage else "",
        actor=actor,
        decision=StepDecision.WITHDRAW,
        comment=reason.strip(),
    )
    return request
