"""Fixed choice sets of the dispatched agencies app (派出机构)."""

from django.db import models


class AssessmentParty(models.TextChoices):
    """Who scores an agency in its annual assessment (年度工作考核)."""

    TOWN = "town", "镇(街道)"
    DEPARTMENT = "department", "主管部门"


class MoveKind(models.TextChoices):
    """A personnel move of an agency (人员调整) that the host town is heard on."""

    APPOINT_HEAD = "appoint_head", "任命负责人"
    REMOVE_HEAD = "remove_head", "免去负责人"
    TRANSFER_IN = "transfer_in", "人员调入"
    TRANSFER_OUT = "transfer_out", "人员调出"
    OTHER = "other", "其他人员调整"


HEAD_MOVES = {MoveKind.APPOINT_HEAD, MoveKind.REMOVE_HEAD}


class MoveStatus(models.TextChoices):
    PENDING_OPINION = "pending_opinion", "待镇(街道)党(工)委意见"
    PENDING_DECISION = "pending_decision", "待主管部门决定"
    DECIDED = "decided", "已决定"
    WITHDRAWN = "withdrawn", "已撤回"


# Allowed status transitions; anything else is refused by the services.
MOVE_TRANSITIONS: dict[str, set[str]] = {
    MoveStatus.PENDING_OPINION: {MoveStatus.PENDING_DECISION, MoveStatus.WITHDRAWN},
    MoveStatus.PENDING_DECISION: {MoveStatus.DECIDED, MoveStatus.WITHDRAWN},
    MoveStatus.DECIDED: set(),
    MoveStatus.WITHDRAWN: set(),
}


class MoveDecision(models.TextChoices):
    """The managing department's final decision on a move."""

    ADOPTED = "adopted", "决定实施"
    DROPPED = "dropped", "决定不实施"


class TaskOutcome(models.TextChoices):
    """How a task assigned under unified command (统一指挥协调) ended; blank while open."""

    ON_TIME = "on_time", "按时完成"
    LATE = "late", "逾期完成"
    NOT_DONE = "not_done", "未完成"


COMPLETED_OUTCOMES = {TaskOutcome.ON_TIME, TaskOutcome.LATE}
