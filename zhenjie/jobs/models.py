"""Background jobs (后台任务) with progress, run by the tasks worker."""

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """One run of long work (import, export, report, diagnostics) and how far it has got."""

    kind = models.CharField("任务类型", max_length=50)
    title = models.CharField("名称", max_length=200)
    status = models.CharField(
        "状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    stage = models.CharField("当前步骤", max_length=50, blank=True)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    params = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("失败原因", blank=True)
    # Input and output travel in the database so any worker on any server can pick the job up.
    input_name = models.CharField("上传文件名", max_length=200, blank=True)
    input_data = models.BinaryField("上传文件", null=True, blank=True)
    output_name = models.CharField("结果文件名", max_length=200, blank=True)
    output_data = models.BinaryField("结果文件", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    # The process running the job ("host:pid"), to tell a job in progress from one whose
    # worker was stopped half way.
    worker = models.CharField("执行进程", max_length=200, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                name="job_done_within_total",
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                violation_error_message="已处理数不能超过总数",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
