"""Fixed choice sets of the approval engine (审批)."""

from django.db import models


class ApproverLocation(models.TextChoices):
    """Where the approver of a stage must sit, relative to the request's unit."""

    # The approver's own unit is the county (旗县) above the request's unit (county_of).
    COUNTY = "county", "申请机构所在旗县(市、区)"
    # The approver's own unit is the request's unit or one of its subordinate units.
    SUBTREE = "subtree", "申请机构本级或其下级机构"
    # The approver's own unit is the league or city (盟市) above the request's unit.
    PREFECTURE = "prefecture", "申请机构所在盟市"


class RequestStatus(models.TextChoices):
    """Status of an approval request (审批状态)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "审批中"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


class StepDecision(models.TextChoices):
    """What one step of the audit trail (审批记录) did."""

    SUBMIT = "submit", "提交"
    APPROVE = "approve", "同意"
    REJECT = "reject", "不同意"
    WITHDRAW = "withdraw", "撤回"


OPEN_STATUSES = {RequestStatus.DRAFT, RequestStatus.SUBMITTED}
CLOSED_STATUSES = {RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN}
