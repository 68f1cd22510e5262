"""Comprehensive administrative law enforcement (综合行政执法): teams, certificates, equipment,
funding and the penalty case register.

The bureau itself is the organizations ``Unit`` of kind ``ENFORCEMENT_BUREAU``; officers are
people of the real-name register whose post (``PostAssignment``) is in a bureau.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.personnel.models import Person, PostAssignment
from zhenjie.powers.models import PowerItem

from .choices import DecisionKind, PartyKind, PenaltyKind, Procedure, Stage


class EnforcementTeam(TimeStampedModel):
    """A team (执法中队) of a town's enforcement bureau."""

    bureau = models.ForeignKey(
        Unit,
        verbose_name="综合行政执法局",
        on_delete=models.PROTECT,
        related_name="enforcement_teams",
        limit_choices_to={"kind": UnitKind.ENFORCEMENT_BUREAU},
    )
    name = models.CharField("名称", max_length=100)
    established_on = models.DateField("成立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "执法中队"
        verbose_name_plural = "执法中队"
        ordering = ["bureau__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "name"],
                name="enforcement_team_name_unique_in_bureau",
                violation_error_message="该执法局已有同名的执法中队",
            ),
            models.CheckConstraint(
                name="enforcement_team_dissolved_after_established",
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("established_on")),
                violation_error_message="撤销日期不能早于成立日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bureau.parent.name if self.bureau.parent else ''}{self.name}"


class TeamMemberQuerySet(models.QuerySet["TeamMember"]):
    def active_on(self, day: dt.date) -> "TeamMemberQuerySet":
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class TeamMember(TimeStampedModel):
    """An officer's membership of a team (中队队员)."""

    team = models.ForeignKey(
        EnforcementTeam, verbose_name="执法中队", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name="执法人员", on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("离开日期", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "中队队员"
        verbose_name_plural = "中队队员"
        ordering = ["team", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(left_on__isnull=True),
                name="team_member_once_per_team",
                violation_error_message="该人员已在此执法中队",
            ),
            models.CheckConstraint(
                name="team_member_left_after_joined",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                violation_error_message="离开日期不能早于加入日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.person}"


def in_enforcement_q(day: dt.date, person_ref: str = "holder") -> Exists:
    """The person (``OuterRef(person_ref)``) holds a post in an enforcement bureau on ``day``."""
    return Exists(
        PostAssignment.objects.active_on(day).filter(
            person=OuterRef(person_ref), unit__kind=UnitKind.ENFORCEMENT_BUREAU
        )
    )


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def with_validity(self, day: dt.date) -> "CertificateQuerySet":
        """Annotate the four conditions of a valid certificate on ``day`` (and ``is_valid``).

        A certificate is valid only if it is in force (issued, not expired), its review is not
        overdue, it is not revoked, and its holder still works in an enforcement bureau.
        """
        last_review_due = (
            CertificateReview.objects.filter(
                certificate=OuterRef("pk"), passed=True, reviewed_on__lte=day
            )
            .order_by("-reviewed_on", "-id")
            .values("next_due")[:1]
        )
        in_force = Q(issued_on__lte=day, expires_on__gt=day)
        not_revoked = Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)
        return self.annotate(
            review_due_on=Coalesce(Subquery(last_review_due), F("first_review_due")),
            is_in_force=models.ExpressionWrapper(in_force, output_field=models.BooleanField()),
            is_not_revoked=models.ExpressionWrapper(
                not_revoked, output_field=models.BooleanField()
            ),
            holder_in_enforcement=in_enforcement_q(day),
        ).annotate(
            is_review_on_time=models.ExpressionWrapper(
                Q(review_due_on__gte=day), output_field=models.BooleanField()
            ),
            is_valid=models.ExpressionWrapper(
                in_force & not_revoked & Q(review_due_on__gte=day) & Q(holder_in_enforcement=True),
                output_field=models.BooleanField(),
            ),
        )

    def valid_on(self, day: dt.date) -> "CertificateQuerySet":
        return self.with_validity(day).filter(is_valid=True)  # type: ignore[misc]


class Certificate(TimeStampedModel):
    """An administrative law enforcement certificate (行政执法证)."""

    holder = models.ForeignKey(
        Person, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField("证件编号", max_length=40, unique=True)
    issuer = models.CharField("发证机关", max_length=100)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至", help_text="此日起证件失效")
    first_review_due = models.DateField("首次审验期限", help_text="发证后应在此日前审验注册")
    scope = models.CharField("执法类别/区域", max_length=200, blank=True)
    revoked_on = models.DateField("注销日期", null=True, blank=True)
    revoke_reason = models.CharField("注销原因", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "行政执法证"
        verbose_name_plural = "行政执法证"
        ordering = ["holder__name", "number", "id"]
        constraints = [
            models.CheckConstraint(
                name="certificate_expires_after_issue",
                condition=Q(expires_on__gt=F("issued_on")),
                violation_error_message="有效期须晚于发证日期",
            ),
            models.CheckConstraint(
                name="certificate_revoked_has_reason",
                condition=Q(revoked_on__isnull=True, revoke_reason="")
                | (Q(revoked_on__isnull=False) & ~Q(revoke_reason="")),
                violation_error_message="注销须同时填写注销日期和原因",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder.name}({self.number})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enforcement:certificate_detail", args=[self.pk])


class CertificateReview(TimeStampedModel):
    """A periodic review of a certificate (审验注册)."""

    certificate = models.ForeignKey(
        Certificate, verbose_name="行政执法证", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField("审验日期")
    passed = models.BooleanField("审验通过", default=True)
    next_due = models.DateField("下次审验期限")
    notes = models.CharField("审验意见", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "执法证审验"
        verbose_name_plural = "执法证审验"
        ordering = ["certificate", "-reviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "reviewed_on"],
                name="certificate_review_once_a_day",
                violation_error_message="该证件当日已有审验记录",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} {self.reviewed_on}"


class EquipmentKind(models.Model):
    """A kind of enforcement equipment (执法装备) and its default standard per bureau."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    measure = models.CharField("计量单位", max_length=10, default="台")
    is_vehicle = models.BooleanField("执法车辆", default=False)
    per_officer = models.BooleanField(
        "按人配备", default=False, help_text="配备标准按每名执法人员计算"
    )
    default_quantity = models.PositiveIntegerField("默认配备标准")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "装备类别"
        verbose_name_plural = "装备类别"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class EquipmentStandard(TimeStampedModel):
    """A bureau's own standard for one kind, replacing the kind's default (配备标准)."""

    bureau = models.ForeignKey(
        Unit, verbose_name="综合行政执法局", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(EquipmentKind, verbose_name="装备类别", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField("应配数量")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "装备配备标准"
        verbose_name_plural = "装备配备标准"
        ordering = ["bureau__path", "kind__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "kind"],
                name="equipment_standard_once_per_bureau_kind",
                violation_error_message="该执法局已设此类装备的配备标准",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bureau} {self.kind} {self.quantity}"


class EquipmentQuerySet(models.QuerySet["Equipment"]):
    def in_service_on(self, day: dt.date) -> "EquipmentQuerySet":
        return self.filter(acquired_on__lte=day).filter(
            Q(disposed_on__isnull=True) | Q(disposed_on__gt=day)
        )


class Equipment(TimeStampedModel):
    """Equipment or a vehicle a bureau holds (装备台账)."""

    bureau = models.ForeignKey(
        Unit, verbose_name="综合行政执法局", on_delete=models.PROTECT, related_name="equipment"
    )
    kind = models.ForeignKey(EquipmentKind, verbose_name="装备类别", on_delete=models.PROTECT)
    model_name = models.CharField("品牌型号", max_length=100, blank=True)
    quantity = models.PositiveIntegerField("数量", default=1)
    plate_number = models.CharField("车牌号", max_length=20, blank=True)
    has_dash_camera = models.BooleanField("配行车记录仪", default=False)
    acquired_on = models.DateField("配备日期")
    disposed_on = models.DateField("报废/调出日期", null=True, blank=True)
    notes = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = EquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = "执法装备"
        verbose_name_plural = "执法装备"
        ordering = ["bureau__path", "kind__sort_order", "acquired_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="equipment_quantity_positive",
                condition=Q(quantity__gte=1),
                violation_error_message="数量至少为1",
            ),
            models.CheckConstraint(
                name="equipment_disposed_after_acquired",
                condition=Q(disposed_on__isnull=True) | Q(disposed_on__gte=F("acquired_on")),
                violation_error_message="报废日期不能早于配备日期",
            ),
            models.UniqueConstraint(
                fields=["plate_number"],
                condition=~Q(plate_number=""),
                name="equipment_plate_unique",
                violation_error_message="该车牌号已登记",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.plate_number or self.model_name}".strip()


class Funding(TimeStampedModel):
    """A bureau's enforcement funds in one year (执法经费)."""

    bureau = models.ForeignKey(
        Unit, verbose_name="综合行政执法局", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    in_county_budget = models.BooleanField("纳入市级财政预算", default=False)
    requested = models.DecimalField(
        "申请经费(元)", default=Decimal("0"), max_digits=12, decimal_places=2
    )
    granted = models.DecimalField(
        "到位经费(元)", default=Decimal("0"), max_digits=12, decimal_places=2
    )
    spent = models.DecimalField("支出(元)", default=Decimal("0"), max_digits=12, decimal_places=2)
    notes = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "执法经费"
        verbose_name_plural = "执法经费"
        ordering = ["bureau__path", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "year"],
                name="funding_once_per_bureau_year",
                violation_error_message="该执法局此年度已登记经费",
            ),
            models.CheckConstraint(
                name="funding_amounts_not_negative",
                condition=Q(requested__gte=0) & Q(granted__gte=0) & Q(spent__gte=0),
                violation_error_message="经费金额不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bureau} {self.year}"


class Case(TimeStampedModel):
    """A penalty case in the register (行政处罚案件); the steps record who did what and when."""

    number = models.CharField("案号", max_length=60, unique=True)
    town = models.ForeignKey(
        Unit, verbose_name="镇(街道)", on_delete=models.PROTECT, related_name="enforcement_cases"
    )
    bureau = models.ForeignKey(
        Unit, verbose_name="办案机构", on_delete=models.PROTECT, related_name="+"
    )
    power = models.ForeignKey(
        PowerItem, verbose_name="处罚事项", on_delete=models.PROTECT, related_name="cases"
    )
    party_name = models.CharField("当事人", max_length=100)
    party_kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    summary = models.TextField("案情摘要")
    procedure = models.CharField("程序", max_length=10, choices=Procedure.choices)
    is_major = models.BooleanField(
        "重大或疑难复杂", default=False, help_text="行政处罚法第58条: 须经法制审核"
    )
    stage = models.CharField("环节", max_length=20, choices=Stage.choices, default=Stage.FILED)
    opened_on = models.DateField("立案日期")
    decision_due = models.DateField("决定期限")
    noticed_on = models.DateField("告知日期", null=True, blank=True)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_notified_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_host = models.ForeignKey(
        Person,
        verbose_name="听证主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_reviewed_on = models.DateField("法制审核日期", null=True, blank=True)
    decision_kind = models.CharField(
        "处理决定", max_length=30, choices=DecisionKind.choices, blank=True
    )
    penalty_kind = models.CharField(
        "处罚种类", max_length=20, choices=PenaltyKind.choices, blank=True
    )
    fine = models.DecimalField("罚款(元)", null=True, blank=True, max_digits=12, decimal_places=2)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    delivery_due = models.DateField("送达期限", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    paid_on = models.DateField("缴款日期", null=True, blank=True)
    surcharge = models.DecimalField(
        "加处罚款(元)", null=True, blank=True, max_digits=12, decimal_places=2
    )
    paid_amount = models.DecimalField(
        "实缴金额(元)", null=True, blank=True, max_digits=12, decimal_places=2
    )
    closed_on = models.DateField("结案日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["town", "stage"]), models.Index(fields=["power"])]
        constraints = [
            models.CheckConstraint(
                name="case_fine_not_negative",
                condition=Q(fine__isnull=True) | Q(fine__gte=0),
                violation_error_message="罚款金额不能为负数",
            ),
            models.CheckConstraint(
                name="case_decided_after_opened",
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("opened_on")),
                violation_error_message="决定日期不能早于立案日期",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enforcement:case_detail", args=[self.pk])


class CaseStep(models.Model):
    """One recorded act of a case (办案环节记录) with the officers who carried it out."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    happened_on = models.DateField("日期")
    certificates = models.ManyToManyField(
        Certificate, verbose_name="执法人员(证件)", related_name="case_steps", blank=True
    )
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "办案环节"
        verbose_name_plural = "办案环节"
        ordering = ["case", "happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_stage_display()} {self.happened_on}"


class CaseExtension(models.Model):
    """An approved extension of the decision deadline (延长办案期限)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField("延长天数")
    approved_on = models.DateField("批准日期")
    approved_by = models.CharField("批准人", max_length=50)
    reason = models.CharField("延期理由", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "办案期限延长"
        verbose_name_plural = "办案期限延长"
        ordering = ["case", "approved_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="case_extension_days_positive",
                condition=Q(days__gte=1),
                violation_error_message="延长天数至少为1天",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} +{self.days}"
