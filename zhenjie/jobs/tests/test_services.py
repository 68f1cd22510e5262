"""Background jobs: progress, success, failure with a reason, and nothing half done."""

from typing import Any

import pytest
from django.db import transaction

from zhenjie.jobs import registry
from zhenjie.jobs.models import Job, JobStatus
from zhenjie.jobs.registry import JobError
from zhenjie.jobs.services import job_execute, job_submit
from zhenjie.organizations.models import DockingLink


@registry.register("test_count", "测试计数")
def _count(job: Job, progress: Any) -> dict[str, Any]:
    total = int(job.params["n"])
    progress(0, total, "计数")
    for i in range(1, total + 1):
        progress(i)
    return {"summary": f"共计数{total}次"}


@registry.register("test_refuse", "测试拒绝")
def _refuse(job: Job, progress: Any) -> dict[str, Any]:
    raise JobError("文件中没有可识别的表头")


@registry.register("test_half_write", "测试中途失败")
def _half_write(job: Job, progress: Any) -> dict[str, Any]:
    from zhenjie.organizations.models import Unit

    office = Unit.objects.get(pk=job.params["office"])
    department = Unit.objects.get(pk=job.params["department"])
    with transaction.atomic():
        DockingLink.objects.create(office=office, department=department)
        progress(1, 2, "写入")
        raise RuntimeError("disk full")


def test_job_runs_and_reports_progress_and_result(staffing_officer):
    # given a job that counts to 3
    # when it is submitted (tests run jobs at once)
    job = job_submit(actor=staffing_officer, kind="test_count", title="计数", params={"n": 3})

    # then it finished with its totals and summary
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.stage) == (3, 3, "计数")
    assert job.result == {"summary": "共计数3次"}
    assert job.percent == 100
    assert job.started_at is not None and job.finished_at is not None


def test_job_error_is_shown_as_written(staffing_officer):
    # given a job whose handler refuses its input
    job = job_submit(actor=staffing_officer, kind="test_refuse", title="导入")

    # then it failed with the handler's own Chinese reason
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "文件中没有可识别的表头"


def test_unexpected_failure_leaves_nothing_written(staffing_officer, org):
    # given a job that writes a row and then crashes inside its transaction
    before = DockingLink.objects.count()
    job = job_submit(
        actor=staffing_officer,
        kind="test_half_write",
        title="写入",
        params={"office": org.tianchi_office.pk, "department": org.department.pk},
    )

    # then the job failed with a plain reason and the row it wrote is gone
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "任务执行出错, 未写入任何数据(RuntimeError)"
    assert DockingLink.objects.count() == before


def test_unknown_kind_is_refused(staffing_officer):
    # when a job of an unregistered kind is submitted
    with pytest.raises(JobError) as exc:
        job_submit(actor=staffing_officer, kind="no_such_kind", title="x")

    # then nothing is queued
    assert str(exc.value) == "未知的任务类型: no_such_kind"
    assert Job.objects.count() == 0


def test_a_finished_job_is_not_run_again(staffing_officer):
    # given a finished job
    job = job_submit(actor=staffing_officer, kind="test_count", title="计数", params={"n": 2})

    # when the worker is handed it again
    again = job_execute(job_id=job.pk)

    # then it is left as it was
    assert again.status == JobStatus.SUCCEEDED
    assert again.finished_at == Job.objects.get(pk=job.pk).finished_at


def test_execute_echoes_progress_for_the_command_line(staffing_officer):
    # given a queued job (created without the queue)
    job = Job.objects.create(
        kind="test_count", title="计数", params={"n": 2}, created_by=staffing_officer
    )
    seen: list[tuple[int, int]] = []

    # when it is executed with an echo callback (what a command's progress bar uses)
    job_execute(job_id=job.pk, echo=lambda j: seen.append((j.done, j.total)))

    # then every step was reported
    assert seen == [(0, 2), (1, 2), (2, 2)]
