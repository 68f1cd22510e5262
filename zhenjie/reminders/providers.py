"""Reminders this app declares itself: the user's background jobs that failed recently."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from zhenjie.jobs.models import Job, JobStatus

from .registry import Reminder

FAILED_JOB_DAYS = 7


def failed_jobs(user: Any, today: dt.date) -> Iterator[Reminder]:
    """我的后台任务失败: jobs of ``user`` that failed within the last 7 days up to ``today``."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(today - dt.timedelta(days=FAILED_JOB_DAYS), dt.time.min, tz)
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tz)
    jobs = (
        Job.objects.filter(
            created_by=user,
            status=JobStatus.FAILED,
            finished_at__gte=since,
            finished_at__lt=until,
        )
        .only("pk", "title", "finished_at")
        .order_by("finished_at", "pk")
    )
    for job in jobs:
        assert job.finished_at is not None
        yield Reminder(
            due=timezone.localdate(job.finished_at),
            title=f"后台任务失败: {job.title}",
            url=job.get_absolute_url(),
            level="danger",
            source="后台任务",
        )
