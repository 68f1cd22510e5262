"""Submit and execute background jobs; progress is written outside the job's own transaction."""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import registry
from .models import Job, JobStatus
from .registry import JobError

logger = logging.getLogger(__name__)


@transaction.atomic
def job_submit(
    *,
    actor: Any,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    input_name: str = "",
    input_data: bytes | None = None,
) -> Job:
    """Queue a job; the worker (or, in tests, the immediate backend) runs it."""
    registry.get(kind)
    job = Job.objects.create(
        kind=kind,
        title=title,
        params=params or {},
        input_name=input_name,
        input_data=input_data,
        created_by=actor,
    )
    from .tasks import run_job

    run_job.enqueue(job.pk)
    return job


def _progress_writer(job: Job, echo: Callable[[Job], None] | None) -> registry.Progress:
    def progress(done: int, total: int | None = None, stage: str | None = None) -> None:
        fields: dict[str, Any] = {"done": done}
        job.done = done
        if total is not None:
            fields["total"] = job.total = total
        if stage is not None:
            fields["stage"] = job.stage = stage
        Job.objects.filter(pk=job.pk).update(**fields)
        if echo is not None:
            echo(job)

    return progress


def job_execute(*, job_id: int, echo: Callable[[Job], None] | None = None) -> Job:
    """Run a queued job to the end; a failure is recorded with its reason, never half applied."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        kind = registry.get(job.kind)
        result = kind.handler(job, _progress_writer(job, echo))
    except JobError as exc:
        job.status, job.error = JobStatus.FAILED, str(exc)
    except Exception as exc:  # any other failure: say so plainly, keep the detail in the log
        logger.exception("job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.error = f"任务执行出错, 未写入任何数据({type(exc).__name__})"
    else:
        job.status, job.result = JobStatus.SUCCEEDED, result or {}
        if job.total:
            job.done = job.total
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "error",
            "result",
            "done",
            "finished_at",
            "output_name",
            "output_data",
        ]
    )
    return job


def job_list(*, user: Any) -> Any:
    """A user's own jobs (the staffing office sees everyone's in its scope later via admin)."""
    return Job.objects.filter(created_by=user).defer("input_data", "output_data")


def job_get(*, user: Any, pk: int) -> Job:
    return job_list(user=user).get(pk=pk)
