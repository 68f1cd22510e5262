"""Approval definitions (审批流程) with ordered stages, requests and their audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel
from zhenjie.core.roles import Role
from zhenjie.organizations.models import Unit

from .choices import ApproverLocation, RequestStatus, StepDecision


class ApprovalDefinition(TimeStampedModel):
    """How one kind of request is approved (审批流程): its name and its ordered stages.

    The ``kind`` names an apply handler in ``zhenjie.workflows.registry``; the stages are
    configuration, edited in the admin.
    """

    kind = models.SlugField("申请类型代码", max_length=50, unique=True)
    name = models.CharField("申请类型", max_length=50)
    is_active = models.BooleanField("启用", default=True)
    description = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "审批流程"
        verbose_name_plural = "审批流程"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.name


class ApprovalStage(models.Model):
    """One stage (审批环节) of a definition: who decides it, and where they must sit."""

    definition = models.ForeignKey(
        ApprovalDefinition, verbose_name="审批流程", on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节名称", max_length=50)
    approver_role = models.CharField("审批人角色", max_length=30, choices=Role.choices)
    approver_location = models.CharField(
        "审批人所在机构",
        max_length=20,
        choices=ApproverLocation.choices,
        default=ApproverLocation.COUNTY,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "审批环节"
        verbose_name_plural = "审批环节"
        ordering = ["definition", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "order"],
                name="approval_stage_order_unique",
                violation_error_message="同一审批流程中环节顺序不能重复",
            ),
            models.CheckConstraint(
                name="approval_stage_order_positive",
                condition=Q(order__gte=1),
                violation_error_message="环节顺序从1开始",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ApprovalRequest(TimeStampedModel):
    """A request (申请) for a change that takes effect only when every stage has approved it.

    ``payload`` holds the change itself, validated by the kind's handler when the request is
    created and applied through the owning app's service when the last stage approves.
    """

    definition = models.ForeignKey(
        ApprovalDefinition,
        verbose_name="申请类型",
        on_delete=models.PROTECT,
        related_name="requests",
    )
    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name="申请机构", on_delete=models.PROTECT, related_name="approval_requests"
    )
    payload = models.JSONField("申请内容", default=dict)
    status = models.CharField(
        "状态", max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    current_stage = models.ForeignKey(
        ApprovalStage,
        verbose_name="当前环节",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # What the apply handler did, e.g. {"movement": 12} or {"transfer": 3}.
    result = models.JSONField("办理结果", default=dict, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "审批申请"
        verbose_name_plural = "审批申请"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "current_stage"]),
            models.Index(fields=["requester", "-created_at"]),
        ]
        constraints = [
            # Only a request under approval stands at a stage.
            models.CheckConstraint(
                name="approval_request_stage_iff_submitted",
                condition=Q(status=RequestStatus.SUBMITTED, current_stage__isnull=False)
                | (~Q(status=RequestStatus.SUBMITTED) & Q(current_stage__isnull=True)),
                violation_error_message="只有审批中的申请才有当前环节",
            ),
            # A finished request records when it was finished; an open one does not.
            models.CheckConstraint(
                name="approval_request_closed_iff_finished",
                condition=Q(
                    status__in=[RequestStatus.DRAFT, RequestStatus.SUBMITTED],
                    closed_at__isnull=True,
                )
                | (
                    ~Q(status__in=[RequestStatus.DRAFT, RequestStatus.SUBMITTED])
                    & Q(closed_at__isnull=False)
                ),
                violation_error_message="办结时间与申请状态不符",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        return self.definition.kind

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("workflows:request_detail", args=[self.pk])


class ApprovalStep(models.Model):
    """One entry of a request's audit trail (审批记录): who did what, at which stage, and why."""

    request = models.ForeignKey(
        ApprovalRequest, verbose_name="申请", on_delete=models.PROTECT, related_name="steps"
    )
    stage = models.ForeignKey(
        ApprovalStage,
        verbose_name="审批环节",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
    )
    # The stage name as it was, so later edits of the definition do not rewrite the trail.
    stage_name = models.CharField("环节名称", max_length=50, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        on_delete=models.PROTECT,
        related_name="approval_steps",
    )
    decision = models.CharField("操作", max_length=20, choices=StepDecision.choices)
    comment = models.TextField("意见", blank=True)
    # On the last approval: whose quota authority the change was recorded under (the approver
    # of the staffing-office stage), since the owning services check ``may_edit_quotas``.
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记账人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="approval_step_reject_has_reason",
                condition=~Q(decision=StepDecision.REJECT) | ~Q(comment=""),
                violation_error_message="不同意须填写理由",
            ),
            # One decision per stage: a second approve or reject of the same stage is refused.
            models.UniqueConstraint(
                fields=["request", "stage"],
                condition=Q(decision__in=[StepDecision.APPROVE, StepDecision.REJECT]),
                name="approval_step_one_decision_per_stage",
                violation_error_message="该环节已审批, 不能重复审批",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.get_decision_display()}"
