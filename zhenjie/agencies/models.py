"""Dispatched agencies (派出机构) under dual management (双重管理): the record extending the
agency's Unit, annual assessments by both sides, personnel moves heard by the host town, and
tasks the town assigns under unified command."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel
from zhenjie.organizations.models import Unit
from zhenjie.personnel.models import Person

from .choices import AssessmentParty, MoveDecision, MoveKind, MoveStatus, TaskOutcome


class Agency(TimeStampedModel):
    """Dual management (双重管理) of a dispatched agency (派出机构), one per agency unit.

    The unit itself keeps the structure: its parent is the host town or street, its
    ``department`` the managing county department (以部门管理为主).
    """

    unit = models.OneToOneField(
        Unit, verbose_name="派出机构", on_delete=models.PROTECT, related_name="agency"
    )
    since = models.DateField("实行双重管理日期")
    basis_doc = models.CharField("依据文件文号", max_length=100, blank=True)
    head = models.ForeignKey(
        Person,
        verbose_name="负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_agencies",
    )
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "派出机构双重管理"
        verbose_name_plural = "派出机构双重管理"
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.unit.name

    @property
    def host(self) -> Unit:
        """The town or street the agency is dispatched into."""
        assert self.unit.parent is not None
        return self.unit.parent

    @property
    def department(self) -> Unit:
        """The county department managing the agency."""
        assert self.unit.department is not None
        return self.unit.department

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:agency_detail", args=[self.pk])


class Assessment(TimeStampedModel):
    """One party's score in an agency's annual assessment (年度工作考核)."""

    agency = models.ForeignKey(
        Agency, verbose_name="派出机构", on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    party = models.CharField("评分方", max_length=20, choices=AssessmentParty.choices)
    score = models.DecimalField("评分", max_digits=4, decimal_places=1)
    comment = models.TextField("评价意见", blank=True)
    scored_on = models.DateField("评分日期")
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评分人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "年度考核评分"
        verbose_name_plural = "年度考核评分"
        ordering = ["-year", "agency", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "party"],
                name="assessment_once_per_party_year",
                violation_error_message="该派出机构本年度已由此评分方评分, 每方每年只评一次",
            ),
            models.CheckConstraint(
                name="assessment_score_range",
                condition=Q(score__gte=0) & Q(score__lte=100),
                violation_error_message="评分须在0至100分之间",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年 {self.get_party_display()} {self.score}"


class PersonnelMove(TimeStampedModel):
    """A personnel move of an agency (人员调整, 负责人任免), heard by the host town's party
    committee (镇(街道)党(工)委) before the managing department decides."""

    agency = models.ForeignKey(
        Agency, verbose_name="派出机构", on_delete=models.PROTECT, related_name="moves"
    )
    kind = models.CharField("调整类型", max_length=20, choices=MoveKind.choices)
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="agency_moves"
    )
    description = models.TextField("调整事项说明")
    proposed_on = models.DateField("提出日期")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=20, choices=MoveStatus.choices, default=MoveStatus.PENDING_OPINION
    )
    town_agrees = models.BooleanField("镇(街道)党(工)委意见", null=True, blank=True)
    town_reason = models.TextField("意见理由", blank=True)
    town_opinion_on = models.DateField("意见日期", null=True, blank=True)
    town_opinion_doc = models.CharField("会议纪要或文号", max_length=100, blank=True)
    decision = models.CharField(
        "主管部门决定", max_length=20, choices=MoveDecision.choices, blank=True
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_doc = models.CharField("决定文号", max_length=100, blank=True)
    decision_reason = models.TextField("决定说明", blank=True)
    followed_opinion = models.BooleanField("决定与镇(街道)意见一致", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "派出机构人员调整"
        verbose_name_plural = "派出机构人员调整"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            # 不同意 must say why.
            models.CheckConstraint(
                name="move_disagreement_has_reason",
                condition=~Q(town_agrees=False, town_reason=""),
                violation_error_message="镇(街道)党(工)委不同意的, 须写明理由",
            ),
            # 人员调整征求镇(街道)意见 (report 一.2): no decision without the opinion.
            models.CheckConstraint(
                name="move_decided_after_opinion",
                condition=~Q(status="decided")
                | (
                    Q(town_agrees__isnull=False)
                    & ~Q(decision="")
                    & Q(decided_on__isnull=False)
                    & Q(followed_opinion__isnull=False)
                ),
                violation_error_message="须先记录镇(街道)党(工)委意见, 才能作出决定",
            ),
            models.CheckConstraint(
                name="move_decision_only_when_decided",
                condition=Q(status="decided") | Q(decision="", followed_opinion__isnull=True),
                violation_error_message="尚未决定的调整不能记录决定结果",
            ),
            models.CheckConstraint(
                name="move_decided_not_before_opinion",
                condition=Q(decided_on__isnull=True)
                | Q(town_opinion_on__isnull=True)
                | Q(decided_on__gte=F("town_opinion_on")),
                violation_error_message="决定日期不能早于镇(街道)意见日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_kind_display()} {self.person}"

    @property
    def town_opinion_label(self) -> str:
        if self.town_agrees is None:
            return "未提出"
        return "同意" if self.town_agrees else "不同意"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:move_detail", args=[self.pk])


class CommandTask(TimeStampedModel):
    """A task the host town assigns to the agency under unified command (统一指挥协调)."""

    agency = models.ForeignKey(
        Agency, verbose_name="派出机构", on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField("任务名称", max_length=200)
    content = models.TextField("任务内容", blank=True)
    assigned_on = models.DateField("交办日期")
    due_on = models.DateField("完成时限")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("办理结果", max_length=20, choices=TaskOutcome.choices, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    outcome_note = models.TextField("办理情况", blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "统一指挥协调任务"
        verbose_name_plural = "统一指挥协调任务"
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="task_due_not_before_assigned",
                condition=Q(due_on__gte=F("assigned_on")),
                violation_error_message="完成时限不能早于交办日期",
            ),
            models.CheckConstraint(
                name="task_completion_date_matches_outcome",
                condition=(Q(outcome__in=["on_time", "late"]) & Q(completed_on__isnull=False))
                | (Q(outcome__in=["", "not_done"]) & Q(completed_on__isnull=True)),
                violation_error_message="已完成的任务须填写完成日期, 未完成的不填",
            ),
            models.CheckConstraint(
                name="task_completed_not_before_assigned",
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("assigned_on")),
                violation_error_message="完成日期不能早于交办日期",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.outcome == ""

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:task_detail", args=[self.pk])
