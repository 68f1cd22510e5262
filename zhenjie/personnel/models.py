"""The real-name register (实名制): people, their enrolments on quota and their posts."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from zhenjie.core.models import TimeStampedModel
from zhenjie.core.validators import mask_id_number, mask_phone
from zhenjie.organizations.models import Unit
from zhenjie.staffing.choices import LeadershipLevel
from zhenjie.staffing.models import QuotaTransfer, QuotaType

from .choices import Education, EntryChannel, ExitReason, Gender, PoliticalStatus, PostKind


class Person(TimeStampedModel):
    """A person in the real-name register (实名制人员)."""

    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField("出生日期", editable=False)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    major = models.CharField("所学专业", max_length=100, blank=True)
    political_status = models.CharField(
        "政治面貌", max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    notes = models.TextField("备注", blank=True)
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
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                name="person_id_number_unique",
                violation_error_message="该身份证号码已登记, 同一人不能重复登记",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("personnel:person_detail", args=[self.pk])


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def active_on(self, day: dt.date) -> "EnrolmentQuerySet":
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class Enrolment(TimeStampedModel):
    """A person's place on a unit's quota (入编), from entry to exit (出编)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="enrolments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="编制所在机构", on_delete=models.PROTECT, related_name="enrolments"
    )
    quota_type = models.ForeignKey(
        QuotaType, verbose_name="编制类型", on_delete=models.PROTECT, related_name="enrolments"
    )
    channel = models.CharField("进入形式", max_length=40, choices=EntryChannel.choices)
    doc_no = models.CharField("入编文号", max_length=100, blank=True)
    start_date = models.DateField("入编日期")
    end_date = models.DateField("出编日期", null=True, blank=True)
    exit_reason = models.CharField(
        "出编原因", max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_doc_no = models.CharField("出编文号", max_length=100, blank=True)
    transfer = models.ForeignKey(
        QuotaTransfer,
        verbose_name="随编划转",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "入编记录"
        verbose_name_plural = "入编记录"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["unit", "quota_type", "start_date"])]
        constraints = [
            models.CheckConstraint(
                name="enrolment_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="出编日期不能早于入编日期",
            ),
            models.CheckConstraint(
                name="enrolment_exit_has_reason",
                condition=Q(end_date__isnull=True, exit_reason="")
                | (Q(end_date__isnull=False) & ~Q(exit_reason="")),
                violation_error_message="出编须同时填写出编日期和出编原因",
            ),
            # 实名制: one person holds at most one quota place at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="enrolment_one_open_per_person",
                violation_error_message="该人员已在编, 须先办理出编",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.unit} ({self.quota_type})"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


class PostAssignmentQuerySet(models.QuerySet["PostAssignment"]):
    def active_on(self, day: dt.date) -> "PostAssignmentQuerySet":
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class PostAssignment(TimeStampedModel):
    """Where a person actually works (实际工作岗位) or serves concurrently (兼任)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="posts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="工作机构", on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField("岗位/职务", max_length=100)
    kind = models.CharField("岗位类型", max_length=20, choices=PostKind.choices)
    is_leadership = models.BooleanField("班子成员", default=False)
    leadership_level = models.CharField(
        "领导职级",
        max_length=20,
        blank=True,
        choices=LeadershipLevel.choices,
    )
    start_date = models.DateField("任职日期")
    end_date = models.DateField("离任日期", null=True, blank=True)
    doc_no = models.CharField("任职文号", max_length=100, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = PostAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "工作岗位"
        verbose_name_plural = "工作岗位"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["unit", "start_date"])]
        constraints = [
            models.CheckConstraint(
                name="post_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="离任日期不能早于任职日期",
            ),
            models.CheckConstraint(
                name="post_leadership_has_level",
                condition=Q(is_leadership=False, leadership_level="")
                | (Q(is_leadership=True) & ~Q(leadership_level="")),
                violation_error_message="班子成员须填写领导职级, 非班子成员不填",
            ),
            # A person actually works in one place at a time; other posts are 兼任.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True, kind="main"),
                name="post_one_open_main_per_person",
                violation_error_message="该人员已有在岗的实际工作岗位, 须先调整",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.unit} {self.title}"
