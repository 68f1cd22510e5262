"""Read access to approval requests, always restricted to what the user may see or decide."""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhenjie.core.roles import CAN_EDIT_PEOPLE, Role
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import county_of, scope_q, unit_list
from zhenjie.personnel.models import Enrolment

from .choices import ApproverLocation, RequestStatus, StepDecision
from .models import ApprovalDefinition, ApprovalRequest, ApprovalStage, ApprovalStep

# Who may ask for a change: the roles that keep registers (领导 only read and approve).
REQUESTER_ROLES = CAN_EDIT_PEOPLE

_RELATED = ("definition", "unit", "requester", "current_stage")


def user_may_request(user: Any) -> bool:
    return bool(user.is_superuser or user.role in REQUESTER_ROLES)


def definition_list() -> QuerySet[ApprovalDefinition]:
    """Active definitions, for the 'new request' menu."""
    return ApprovalDefinition.objects.filter(is_active=True).order_by("kind")


def request_list(*, user: Any) -> QuerySet[ApprovalRequest]:
    """Requests the user may see: their own, and the submitted ones of units in their scope."""
    visible = Q(requester=user) | (scope_q(user, "unit__") & ~Q(status=RequestStatus.DRAFT))
    return ApprovalRequest.objects.filter(visible).select_related(*_RELATED)


def request_get(*, user: Any, pk: int) -> ApprovalRequest:
    """One visible request, or ApprovalRequest.DoesNotExist (rendered as 404)."""
    return request_list(user=user).get(pk=pk)


def my_requests(*, user: Any) -> QuerySet[ApprovalRequest]:
    """我的申请: the requests the user made, newest first."""
    return (
        ApprovalRequest.objects.filter(requester=user)
        .select_related(*_RELATED)
        .order_by("-created_at", "-id")
    )


def _ancestor_paths(unit: Unit) -> list[str]:
    """The materialised paths of ``unit`` and every unit above it."""
    parts = [p for p in unit.path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _stage_location_q(user: Any) -> Q:
    """Requests whose current stage's location the user's unit satisfies (one SQL condition)."""
    unit = user.unit
    # The request's unit is in the user's subtree (SUBTREE: the approver sits in it or below).
    located = Q(
        current_stage__approver_location=ApproverLocation.SUBTREE,
        unit__path__in=_ancestor_paths(unit),
    )
    # county_of(request.unit) is the user's unit: counties do not nest, so the user's unit is a
    # county and the request's unit lies in its subtree.
    if unit.kind == UnitKind.COUNTY:
        located |= Q(
            current_stage__approver_location=ApproverLocation.COUNTY,
            unit__path__startswith=unit.path,
        )
    if unit.kind == UnitKind.PREFECTURE:
        located |= Q(
            current_stage__approver_location=ApproverLocation.PREFECTURE,
            unit__path__startswith=unit.path,
        )
    return located


def prefecture_of(unit: Unit) -> Unit | None:
    """The league or city (盟市) above ``unit``."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    return Unit.objects.filter(pk__in=ids, kind=UnitKind.PREFECTURE).first()


def inbox(*, user: Any) -> QuerySet[ApprovalRequest]:
    """待我审批: submitted requests whose current stage this user may decide, oldest first.

    Mirrors ``decision_refusal``: same role, the right place, not the user's own request and not
    a request where the user already decided another stage.
    """
    if not user.is_active or user.unit_id is None:
        return ApprovalRequest.objects.none()
    decided_by_user = ApprovalStep.objects.filter(
        request=OuterRef("pk"),
        actor=user,
        decision__in=[StepDecision.APPROVE, StepDecision.REJECT],
    )
    return (
        ApprovalRequest.objects.filter(
            _stage_location_q(user),
            ~Exists(decided_by_user),
            status=RequestStatus.SUBMITTED,
            current_stage__approver_role=user.role,
        )
        .exclude(requester=user)
        .select_related(*_RELATED)
        .order_by("submitted_at", "id")
    )


def stage_approver_text(*, stage: ApprovalStage, unit: Unit) -> str:
    """Who decides ``stage`` for a request of ``unit``, e.g. '阿尔山市的机构编制部门(编办)'."""
    role = Role(stage.approver_role).label
    if stage.approver_location == ApproverLocation.COUNTY:
        county = county_of(unit)
        return f"{county.name if county else '所在旗县(市、区)'}的{role}"
    if stage.approver_location == ApproverLocation.PREFECTURE:
        prefecture = prefecture_of(unit)
        return f"{prefecture.name if prefecture else '所在盟市'}的{role}"
    return f"{unit.name}或其下级机构的{role}"


def decision_refusal(*, user: Any, request: ApprovalRequest) -> str | None:
    """Why ``user`` may not decide the current stage of ``request``, or None if they may."""
    stage = request.current_stage
    if stage is None:
        return None
    if request.requester_id == user.pk:
        return "不能审批本人提出的申请"
    where = stage_approver_text(stage=stage, unit=request.unit)
    refusal = f"无权审批: “{stage.name}”须由{where}办理"
    if not user.is_active or user.unit is None or user.role != stage.approver_role:
        return refusal
    if stage.approver_location == ApproverLocation.COUNTY:
        county = county_of(request.unit)
        if county is None or user.unit_id != county.pk:
            return refusal
    elif stage.approver_location == ApproverLocation.PREFECTURE:
        prefecture = prefecture_of(request.unit)
        if prefecture is None or user.unit_id != prefecture.pk:
            return refusal
    elif not user.unit.path.startswith(request.unit.path):
        return refusal
    already = request.steps.filter(
        actor=user, decision__in=[StepDecision.APPROVE, StepDecision.REJECT]
    ).exists()
    if already:
        return "您已审批过此申请的其他环节, 同一人不能审批两个环节"
    return None


def request_actions(*, user: Any, request: ApprovalRequest) -> set[str]:
    """The buttons the request page shows ``user``: submit, approve/reject, withdraw."""
    from .services import TRANSITIONS  # the services import this module

    def allowed(action: str) -> bool:
        return request.status in TRANSITIONS[action].sources

    mine = request.requester_id == user.pk
    actions = {action for action in ("submit", "withdraw") if mine and allowed(action)}
    if not mine and allowed("approve") and decision_refusal(user=user, request=request) is None:
        actions.update({"approve", "reject"})
    return actions


def request_due_on(*, request: ApprovalRequest, days: int) -> dt.date | None:
    """The day a submitted request should be decided by: submitted date + ``days``."""
    if request.submitted_at is None:
        return None
    return timezone.localdate(request.submitted_at) + dt.timedelta(days=days)


def transfer_candidates(*, user: Any, unit: Unit, on: dt.date) -> QuerySet[Enrolment]:
    """Open enrolments on ``unit``'s quota on ``on`` (people who may move with a transfer)."""
    return (
        Enrolment.objects.active_on(on)
        .filter(scope_q(user, "unit__"), unit=unit, end_date__isnull=True)
        .select_related("person", "quota_type")
        .order_by("person__name", "person_id")
    )


def transfer_target_units(*, user: Any) -> QuerySet[Unit]:
    """Live units of the user's county that can hold quota: where a transfer may go."""
    county = county_of(user.unit) if user.unit is not None else None
    units = Unit.objects.in_subtree(county) if county is not None else unit_list(user=user)
    return (
        units.filter(abolished_on__isnull=True)
        .exclude(kind=UnitKind.OFFICE)
        .select_related("parent")
    )
