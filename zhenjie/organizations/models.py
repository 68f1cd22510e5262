"""Administrative divisions, units (机构) and office-department docking."""

import datetime as dt

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel

from .choices import UNIT_NATURE, DivisionLevel, UnitKind, UnitRank


class Division(models.Model):
    """Administrative division (行政区划) identified by its GB/T 2260 + GB/T 10114 code."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=20, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"


class UnitQuerySet(models.QuerySet["Unit"]):
    def active_on(self, day: dt.date) -> "UnitQuerySet":
        """Units established on or before ``day`` and not yet abolished."""
        return self.filter(established_on__lte=day).filter(
            Q(abolished_on__isnull=True) | Q(abolished_on__gt=day)
        )

    def in_subtree(self, root: "Unit") -> "UnitQuerySet":
        return self.filter(path__startswith=root.path)


class Unit(TimeStampedModel):
    """A unit (机构): a government, department, town, street, office, center or station."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类别", max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of zero-padded ids ("/00000001/00000005/") so a subtree is one
    # indexed prefix query.
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级深度", default=0, editable=False)
    division = models.ForeignKey(
        Division,
        verbose_name="行政区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    department = models.ForeignKey(
        "self",
        verbose_name="主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_agencies",
        help_text="派出机构实行双重管理，以该部门管理为主",
    )
    rank = models.CharField("机构规格", max_length=30, choices=UnitRank.choices, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    established_on = models.DateField("设立日期")
    established_doc = models.CharField("设立文号", max_length=100, blank=True)
    abolished_on = models.DateField("撤销日期", null=True, blank=True)
    abolished_doc = models.CharField("撤销文号", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                name="unit_abolished_after_established",
                condition=Q(abolished_on__isnull=True)
                | Q(abolished_on__gte=models.F("established_on")),
                violation_error_message="撤销日期不能早于设立日期",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="unit_credit_code_unique",
                violation_error_message="统一社会信用代码已被其他机构使用",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(abolished_on__isnull=True),
                name="unit_live_name_unique_in_parent",
                violation_error_message="同一上级机构下已有同名的在用机构",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def nature(self) -> str:
        return UNIT_NATURE[self.kind]

    def get_nature_display(self) -> str:
        from .choices import UnitNature

        return str(UnitNature(self.nature).label)

    def is_active_on(self, day: dt.date) -> bool:
        return self.established_on <= day and (self.abolished_on is None or self.abolished_on > day)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("organizations:unit_detail", args=[self.pk])


class DockingLink(TimeStampedModel):
    """An office (办) docking with a county department (对接市直部门)."""

    office = models.ForeignKey(
        Unit, verbose_name="办", on_delete=models.CASCADE, related_name="docking_links"
    )
    department = models.ForeignKey(
        Unit, verbose_name="县直部门", on_delete=models.PROTECT, related_name="docked_offices"
    )
    notes = models.CharField("对接事项", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "对接关系"
        verbose_name_plural = "对接关系"
        ordering = ["office", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "department"],
                name="docking_link_unique",
                violation_error_message="该办已对接此部门",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} ↔ {self.department}"
