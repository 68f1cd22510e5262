"""Delegated administrative powers (赋权事项): catalog, batches, acceptance, follow-through, usage."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel
from zhenjie.organizations.models import Unit

from .choices import AcceptanceStatus, DelegationMode, Grantee, GuidanceKind


class PowerCategory(models.Model):
    """Category of administrative power (权力类别); Inner Mongolia's ten, configurable."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "权力类别"
        verbose_name_plural = "权力类别"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class DelegationBatch(TimeStampedModel):
    """A decision delegating powers to towns and streets (赋权批次), e.g. the region's 99 items."""

    name = models.CharField("名称", max_length=200)
    issuer = models.CharField("发文机关", max_length=100)
    doc_no = models.CharField("文号", max_length=100, unique=True)
    issued_on = models.DateField("发文日期")
    notes = models.TextField("说明", blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "赋权批次"
        verbose_name_plural = "赋权批次"
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name}({self.doc_no})"


class PowerItem(TimeStampedModel):
    """One administrative power item (行政权力事项) delegated to towns and streets."""

    batch = models.ForeignKey(
        DelegationBatch, verbose_name="赋权批次", on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField("事项编码", max_length=50)
    name = models.CharField("事项名称", max_length=200)
    category = models.ForeignKey(PowerCategory, verbose_name="权力类别", on_delete=models.PROTECT)
    legal_basis = models.TextField("设定依据")
    department = models.ForeignKey(
        Unit,
        verbose_name="原实施主体",
        on_delete=models.PROTECT,
        related_name="delegated_powers",
        help_text="赋权前实施该事项的县直部门",
    )
    mode = models.CharField("赋权方式", max_length=20, choices=DelegationMode.choices)
    grantee = models.CharField("承接对象", max_length=10, choices=Grantee.choices)
    responsibility_items = models.TextField("责任事项", blank=True)
    accountability_cases = models.TextField("追责情形", blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "赋权事项"
        verbose_name_plural = "赋权事项"
        ordering = ["batch", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "code"],
                name="power_item_code_unique_in_batch",
                violation_error_message="同一赋权批次中事项编码不能重复",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("powers:item_detail", args=[self.pk])


class Acceptance(TimeStampedModel):
    """A town's or street's answer to one delegated power (承接记录)."""

    unit = models.ForeignKey(
        Unit, verbose_name="镇(街道)", on_delete=models.PROTECT, related_name="power_acceptances"
    )
    item = models.ForeignKey(
        PowerItem, verbose_name="赋权事项", on_delete=models.PROTECT, related_name="acceptances"
    )
    status = models.CharField("承接情况", max_length=20, choices=AcceptanceStatus.choices)
    reason = models.TextField("不承接或暂缓的书面理由", blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="powers_handled",
    )
    effective_on = models.DateField("生效日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "承接记录"
        verbose_name_plural = "承接记录"
        ordering = ["unit", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "item"],
                name="acceptance_once_per_unit_item",
                violation_error_message="该镇(街道)已登记过此事项的承接情况",
            ),
            # 不认领须书面说明原因.
            models.CheckConstraint(
                name="acceptance_reason_unless_accepted",
                condition=Q(status=AcceptanceStatus.ACCEPTED) | ~Q(reason=""),
                violation_error_message="不承接或暂缓承接须书面说明理由",
            ),
            # Only a power taken on has a handling unit (承办机构).
            models.CheckConstraint(
                name="acceptance_handler_only_if_accepted",
                condition=Q(status=AcceptanceStatus.ACCEPTED) | Q(responsible_unit__isnull=True),
                violation_error_message="暂缓承接或不承接的事项不设承办机构",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.item} {self.get_status_display()}"


class ResourcePledge(TimeStampedModel):
    """What should follow a department's delegated powers (编随事走、人随编走、费随事转)."""

    department = models.ForeignKey(
        Unit, verbose_name="县直部门", on_delete=models.PROTECT, related_name="resource_pledges"
    )
    batch = models.ForeignKey(DelegationBatch, verbose_name="赋权批次", on_delete=models.PROTECT)
    expected_quota = models.PositiveIntegerField("应下放编制(名)", default=0)
    expected_people = models.PositiveIntegerField("应下沉人员(人)", default=0)
    expected_funds = models.DecimalField(
        "应划拨经费(元)", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    funds_transferred = models.DecimalField(
        "已划拨经费(元)", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    notes = models.TextField("说明", blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "资源下沉安排"
        verbose_name_plural = "资源下沉安排"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "batch"],
                name="pledge_once_per_department_batch",
                violation_error_message="该部门在此批次已有资源下沉安排",
            ),
            models.CheckConstraint(
                name="pledge_funds_not_negative",
                condition=Q(expected_funds__gte=0) & Q(funds_transferred__gte=0),
                violation_error_message="经费金额不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.batch}"


class Guidance(TimeStampedModel):
    """Guidance, training or evaluation a department arranged after delegating (赋权后指导)."""

    department = models.ForeignKey(
        Unit, verbose_name="县直部门", on_delete=models.PROTECT, related_name="power_guidance"
    )
    item = models.ForeignKey(
        PowerItem,
        verbose_name="赋权事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guidance",
        help_text="不填表示针对该部门全部赋权事项",
    )
    kind = models.CharField("类型", max_length=20, choices=GuidanceKind.choices)
    held_on = models.DateField("日期")
    units = models.ManyToManyField(Unit, verbose_name="参加镇(街道)", related_name="+", blank=True)
    description = models.TextField("内容")

    class Meta:
        verbose_name = "赋权后指导"
        verbose_name_plural = "赋权后指导"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.department} {self.get_kind_display()} {self.held_on}"


class PowerUsage(TimeStampedModel):
    """How often a unit exercised an accepted power in a period (行权次数)."""

    unit = models.ForeignKey(
        Unit, verbose_name="镇(街道)", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        PowerItem, verbose_name="赋权事项", on_delete=models.PROTECT, related_name="usages"
    )
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    count = models.PositiveIntegerField("行权次数")
    source = models.CharField(
        "来源", max_length=50, default="manual", help_text="manual=录入或导入"
    )

    class Meta:
        verbose_name = "行权记录"
        verbose_name_plural = "行权记录"
        ordering = ["-period_start", "unit", "item"]
        constraints = [
            models.CheckConstraint(
                name="usage_period_in_order",
                condition=Q(period_end__gte=F("period_start")),
                violation_error_message="截止日期不能早于起始日期",
            ),
            models.UniqueConstraint(
                fields=["unit", "item", "period_start", "source"],
                name="usage_once_per_period",
                violation_error_message="该镇(街道)此事项在该期间已有行权记录",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.item} {self.count}"
