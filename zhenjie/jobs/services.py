"""Submit and execute background jobs; progress is written outside the job's own transaction."""

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
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
    job.worker = worker_identity()
    job.save(update_fields=["status", "started_at", "worker"])
    try:
        kind = registry.get(job.kind)
        result = kind.handler(job, _progress_writer(job, echo))
    except JobError as exc:
        job.status, job.error = JobStatus.FAILED, str(exc)
    except Exception as exc:  # any other failure: say so plainly, keep the detail in the log
        logger.exception("job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.error = f"任务执行出错, 未写入任何数据({type(exc).__name__})"
        # A dropped database connection took the job's writes with it; record the failure
        # on a new connection.
        if connection.connection is not None and not connection.is_usable():
            connection.close()
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


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str) -> bool | None:
    """Whether the worker process named "host:pid" has ended; None when it runs on another
    host (its process cannot be seen from here)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by another user
        return False
    return False


INTERRUPTED = "任务执行中断: 后台进程在执行中停止, 未写入任何数据, 请重新提交"


def job_sweep_interrupted(*, user: Any = None, now: dt.datetime | None = None) -> int:
    """Mark running jobs (of ``user``, or everyone's) whose worker has stopped as failed; how
    many were marked.

    A job's writes are one transaction, so a stopped worker wrote nothing and the job only
    needs to say so. A worker on this host is checked directly; one on another host is taken
    as stopped once the job has run longer than settings.ZHENJIE["JOB_STALE_AFTER"] (6 hours).
    """
    now = now or timezone.now()
    stale_after = dt.timedelta(seconds=int(str(settings.ZHENJIE.get("JOB_STALE_AFTER", 21600))))
    running = Job.objects.filter(status=JobStatus.RUNNING)
    if user is not None:
        running = running.filter(created_by=user)
    interrupted = []
    for job in running.only("pk", "worker", "started_at"):
        gone = _process_gone(job.worker) if job.worker else None
        if gone is None:
            gone = job.started_at is not None and now - job.started_at > stale_after
        if gone:
            interrupted.append(job.pk)
    if not interrupted:
        return 0
    return Job.objects.filter(pk__in=interrupted, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, error=INTERRUPTED, finished_at=now
    )


def job_list(*, user: Any) -> Any:
    """A user's own jobs (the staffing office sees everyone's in its scope later via admin)."""
    return Job.objects.filter(created_by=user).defer("input_data", "output_data")


def job_get(*, user: Any, pk: int) -> Job:
    return job_list(user=user).get(pk=pk)
