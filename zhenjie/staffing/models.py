"""Quota types, the append-only quota ledger, transfers, redistributions and leadership posts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel
from zhenjie.organizations.choices import UnitNature
from zhenjie.organizations.models import Unit

from .choices import NEGATIVE_KINDS, POSITIVE_KINDS, LeadershipLevel, MovementKind


class QuotaType(TimeStampedModel):
    """Type of staffing quota (编制类型), e.g. 行政编制 or 事业编制; a configurable table."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    nature = models.CharField(
        "适用机构性质",
        max_length=20,
        choices=[(UnitNature.ORGAN, "党政机关"), (UnitNature.INSTITUTION, "事业单位")],
        help_text="国务院令第486号第15条: 行政机构使用行政编制, 事业单位使用事业编制, 不得混用",
    )
    is_administrative = models.BooleanField(
        "属于行政编制", default=False, help_text="计算“办”可配行政人员时计入"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    description = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "编制类型"
        verbose_name_plural = "编制类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class QuotaTransfer(models.Model):
    """Transfer (划转) of quota, and the people on it, from one unit to another."""

    from_unit = models.ForeignKey(
        Unit, verbose_name="划出机构", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name="划入机构", on_delete=models.PROTECT, related_name="transfers_in"
    )
    quota_type = models.ForeignKey(QuotaType, verbose_name="编制类型", on_delete=models.PROTECT)
    amount = models.PositiveIntegerField("划转编制数")
    doc_no = models.CharField("文号", max_length=100)
    effective_on = models.DateField("生效日期")
    summary = models.CharField("摘要", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "编制划转"
        verbose_name_plural = "编制划转"
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="transfer_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message="划转编制数必须大于0",
            ),
            models.CheckConstraint(
                name="transfer_distinct_units",
                condition=~Q(from_unit=F("to_unit")),
                violation_error_message="划出机构与划入机构不能相同",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit} {self.quota_type} {self.amount}名"


class Redistribution(models.Model):
    """Redistribution (二次分配) of one quota type among units of one county; the total is kept."""

    county = models.ForeignKey(
        Unit, verbose_name="旗县(市、区)", on_delete=models.PROTECT, related_name="redistributions"
    )
    quota_type = models.ForeignKey(QuotaType, verbose_name="编制类型", on_delete=models.PROTECT)
    doc_no = models.CharField("文号", max_length=100)
    effective_on = models.DateField("生效日期")
    summary = models.CharField("摘要", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "编制二次分配"
        verbose_name_plural = "编制二次分配"
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.county} {self.quota_type} 二次分配 {self.doc_no}"


class QuotaMovement(models.Model):
    """One entry of the append-only quota ledger (编制台账); balances are sums as of a date."""

    unit = models.ForeignKey(
        Unit, verbose_name="机构", on_delete=models.PROTECT, related_name="quota_movements"
    )
    quota_type = models.ForeignKey(
        QuotaType, verbose_name="编制类型", on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField("变动类型", max_length=20, choices=MovementKind.choices)
    delta = models.IntegerField("变动数", help_text="增加为正, 减少为负")
    doc_no = models.CharField("批准文号", max_length=100)
    effective_on = models.DateField("生效日期")
    summary = models.CharField("变动摘要", max_length=300, blank=True)
    transfer = models.ForeignKey(
        QuotaTransfer,
        verbose_name="所属划转",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    redistribution = models.ForeignKey(
        Redistribution,
        verbose_name="所属二次分配",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "编制变动"
        verbose_name_plural = "编制台账"
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["unit", "quota_type", "effective_on"])]
        constraints = [
            # The sign of a movement follows its kind: 核定/核增/划入 add, 核减/划出 remove.
            models.CheckConstraint(
                name="movement_sign_matches_kind",
                condition=(
                    Q(kind__in=sorted(POSITIVE_KINDS), delta__gt=0)
                    | Q(kind__in=sorted(NEGATIVE_KINDS), delta__lt=0)
                    | (Q(kind=MovementKind.REDISTRIBUTE) & ~Q(delta=0))
                ),
                violation_error_message="变动数的正负与变动类型不符",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.quota_type} {self.get_kind_display()} {self.delta:+d}"


class LeadershipQuota(TimeStampedModel):
    """Approved leadership posts (领导职数) of a unit at one level, effective from a date."""

    unit = models.ForeignKey(
        Unit, verbose_name="机构", on_delete=models.PROTECT, related_name="leadership_quotas"
    )
    level = models.CharField("职级", max_length=20, choices=LeadershipLevel.choices)
    count = models.PositiveSmallIntegerField("核定职数")
    doc_no = models.CharField("批准文号", max_length=100)
    effective_on = models.DateField("生效日期")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "领导职数"
        verbose_name_plural = "领导职数"
        ordering = ["unit", "level", "-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "level", "effective_on"],
                name="leadership_quota_unique_per_day",
                violation_error_message="该机构此职级在同一生效日期已有核定记录",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_level_display()} {self.count}名"
