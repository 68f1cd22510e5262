"""The three lists (职责事项清单, 共同承担事项责任清单, 职责准入管理办法) and consultation rounds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel
from zhenjie.organizations.models import Unit

from .choices import AdmissionStatus, DutyClass, EditionStatus, ListKind, MatterType, MeetingKind


class DutyList(TimeStampedModel):
    """A list or document kept in editions, e.g. a county's 职责事项清单."""

    kind = models.CharField("类别", max_length=20, choices=ListKind.choices)
    name = models.CharField("名称", max_length=200)
    county = models.ForeignKey(
        Unit, verbose_name="旗县(市、区)", on_delete=models.PROTECT, related_name="duty_lists"
    )

    class Meta:
        verbose_name = "清单"
        verbose_name_plural = "清单"
        ordering = ["county", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="duty_list_name_unique",
                violation_error_message="同名清单已存在",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Edition(TimeStampedModel):
    """One edition of a list (征求意见稿, 审定稿, 公布稿…)."""

    duty_list = models.ForeignKey(
        DutyList, verbose_name="清单", on_delete=models.PROTECT, related_name="editions"
    )
    label = models.CharField("版本", max_length=100)
    status = models.CharField(
        "状态", max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name="调整自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    doc_no = models.CharField("文号", max_length=100, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    text = models.TextField("正文", blank=True, help_text="办法类文件的正文")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"
        ordering = ["duty_list", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty_list"],
                condition=Q(status="published"),
                name="edition_one_published_per_list",
                violation_error_message="同一清单只能有一个现行公布版本",
            )
        ]

    def __str__(self) -> str:
        return f"{self.duty_list.name}({self.label})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("duties:edition_detail", args=[self.pk])


class DutyItem(models.Model):
    """An item of an edition; shared-responsibility items also carry each side's duties."""

    edition = models.ForeignKey(
        Edition, verbose_name="版本", on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField("编号", max_length=50)
    name = models.CharField("事项名称", max_length=300)
    area = models.CharField("领域", max_length=50, blank=True)
    duty_class = models.CharField("事项类别", max_length=20, choices=DutyClass.choices, blank=True)
    basis = models.TextField("依据", blank=True)
    responsible = models.CharField("责任主体", max_length=200, blank=True)
    lead_department = models.ForeignKey(
        Unit,
        verbose_name="牵头(主体责任)部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    county_duties = models.TextField("县级部门职责(主体责任)", blank=True)
    town_duties = models.TextField("镇(街道)职责(配合责任)", blank=True)
    cooperating = models.CharField("协同部门", max_length=300, blank=True)
    workflow = models.TextField("运行流程", blank=True)

    class Meta:
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="duty_item_code_unique",
                violation_error_message="同一版本中事项编号不能重复",
            )
        ]

    # Fields compared when two editions are diffed.
    COMPARED = (
        "name",
        "area",
        "duty_class",
        "basis",
        "responsible",
        "lead_department_id",
        "county_duties",
        "town_duties",
        "cooperating",
        "workflow",
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ConsultationRound(TimeStampedModel):
    """A round of soliciting opinions (征求意见) on an edition, sent to chosen parties."""

    edition = models.ForeignKey(
        Edition, verbose_name="征求意见稿", on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField("标题", max_length=200)
    sent_on = models.DateField("发出日期")
    due_on = models.DateField("反馈截止日期")
    parties = models.ManyToManyField(Unit, verbose_name="征求对象", related_name="consultations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="round_due_after_sent",
                condition=Q(due_on__gte=models.F("sent_on")),
                violation_error_message="反馈截止日期不能早于发出日期",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("duties:round_detail", args=[self.pk])


class Reply(TimeStampedModel):
    """A party's reply: an opinion on one item, on the whole, or "无修改意见"."""

    round = models.ForeignKey(
        ConsultationRound, verbose_name="征求意见", on_delete=models.CASCADE, related_name="replies"
    )
    party = models.ForeignKey(
        Unit, verbose_name="反馈单位", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        DutyItem,
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    no_changes = models.BooleanField("无修改意见", default=False)
    opinion = models.TextField("意见", blank=True)
    replied_on = models.DateField("反馈日期")

    class Meta:
        verbose_name = "反馈意见"
        verbose_name_plural = "反馈意见"
        ordering = ["round", "party", "id"]
        constraints = [
            models.CheckConstraint(
                name="reply_has_content",
                condition=Q(no_changes=True, opinion="", item__isnull=True)
                | (Q(no_changes=False) & ~Q(opinion="")),
                violation_error_message="反馈须为“无修改意见”, 或填写具体意见",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} {'无修改意见' if self.no_changes else self.opinion[:20]}"


class ReviewMeeting(TimeStampedModel):
    """A meeting that studied the draft: a party's leadership meeting or the directors' meeting."""

    round = models.ForeignKey(
        ConsultationRound,
        verbose_name="征求意见",
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    party = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("会议", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("日期")
    conclusion = models.TextField("结论")

    class Meta:
        verbose_name = "研究会议"
        verbose_name_plural = "研究会议"
        ordering = ["round", "held_on"]

    def __str__(self) -> str:
        return f"{self.party} {self.get_kind_display()} {self.held_on}"


class DutyAdmission(TimeStampedModel):
    """A county department's application for towns to take on a task (职责准入申请)."""

    department = models.ForeignKey(
        Unit, verbose_name="申请部门", on_delete=models.PROTECT, related_name="admissions"
    )
    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("工作内容")
    matter_type = models.CharField("事项性质", max_length=30, choices=MatterType.choices)
    legal_basis = models.TextField("依据")
    necessity = models.TextField("必要性说明", blank=True)
    is_temporary = models.BooleanField("阶段性、临时性任务", default=False)
    duty_class = models.CharField(
        "拟列入类别", max_length=20, choices=DutyClass.choices, default=DutyClass.COOPERATING
    )
    towns = models.ManyToManyField(Unit, verbose_name="承担的镇(街道)", related_name="+")
    people_stated = models.PositiveIntegerField("随事项下沉人员(人)", default=0)
    funds_stated = models.DecimalField(
        "随事项划拨经费(元)", max_digits=14, decimal_places=2, default=0
    )
    resources_note = models.TextField("人员和经费保障说明", blank=True)
    request = models.OneToOneField(
        "workflows.ApprovalRequest",
        verbose_name="审批申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission",
    )
    duty_item = models.ForeignKey(
        DutyItem,
        verbose_name="列入清单事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "职责准入申请"
        verbose_name_plural = "职责准入申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="admission_not_a_power",
                condition=~Q(matter_type__in=["penalty", "licensing", "coercion"]),
                violation_error_message="行政处罚、行政许可、行政强制等行政权力事项应通过赋权程序下放, 不适用职责准入",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("duties:admission_detail", args=[self.pk])

    @property
    def status(self) -> str:
        """Follows the approval request; before submission the towns are being consulted."""
        if self.request is None:
            return AdmissionStatus.DRAFT
        return {
            "draft": AdmissionStatus.DRAFT,
            "submitted": AdmissionStatus.SUBMITTED,
            "approved": AdmissionStatus.APPROVED,
            "rejected": AdmissionStatus.REJECTED,
            "withdrawn": AdmissionStatus.WITHDRAWN,
        }[self.request.status]

    def get_status_display(self) -> str:
        return str(AdmissionStatus(self.status).label)


class TownOpinion(TimeStampedModel):
    """A town's or street's opinion on an admission application (充分听取基层意见)."""

    admission = models.ForeignKey(
        DutyAdmission, verbose_name="准入申请", on_delete=models.CASCADE, related_name="opinions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="镇(街道)", on_delete=models.PROTECT, related_name="+"
    )
    agrees = models.BooleanField("同意承担")
    opinion = models.TextField("意见")
    recorded_on = models.DateField("日期")

    class Meta:
        verbose_name = "镇街意见"
        verbose_name_plural = "镇街意见"
        ordering = ["admission", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "unit"],
                name="town_opinion_once",
                violation_error_message="该镇(街道)已提出意见",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {'同意' if self.agrees else '不同意'}"


class TaskAssignment(TimeStampedModel):
    """A task a department hands to a town; only an admitted task may be assigned (职责准入)."""

    admission = models.ForeignKey(
        DutyAdmission, verbose_name="准入事项", on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="镇(街道)", on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField("交办日期")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "交办任务"
        verbose_name_plural = "交办任务"
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "unit"],
                name="assignment_once_per_admission_unit",
                violation_error_message="该准入事项已交由此镇(街道)承担, 不能重复交办",
            )
        ]

    def __str__(self) -> str:
        return f"{self.admission} → {self.unit}"
