"""Background jobs: progress, success, failure with a reason, and nothing half done."""

import datetime as dt
import socket
import subprocess
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhenjie.jobs import registry
from zhenjie.jobs.models import Job, JobStatus
from zhenjie.jobs.registry import JobError
from zhenjie.jobs.services import (
    job_execute,
    job_submit,
    job_sweep_interrupted,
    worker_identity,
)
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


# -- interrupted jobs ------------------------------------------------------------------------


def _running(actor, worker, started_ago=dt.timedelta(minutes=1)):
    return Job.objects.create(
        kind="test_count",
        title="导入",
        status=JobStatus.RUNNING,
        worker=worker,
        started_at=timezone.now() - started_ago,
        created_by=actor,
    )


def _ended_pid():
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_job_whose_worker_stopped_is_marked_interrupted(staffing_officer):
    # given a running job whose worker process on this host has ended, and one still alive
    stopped = _running(staffing_officer, f"{socket.gethostname()}:{_ended_pid()}")
    alive = _running(staffing_officer, worker_identity())

    # when running jobs are checked
    marked = job_sweep_interrupted()

    # then only the first failed, saying that nothing was written
    stopped.refresh_from_db()
    alive.refresh_from_db()
    assert marked == 1
    assert stopped.status == JobStatus.FAILED
    assert stopped.error == "任务执行中断: 后台进程在执行中停止, 未写入任何数据, 请重新提交"
    assert stopped.finished_at is not None
    assert alive.status == JobStatus.RUNNING


def test_a_job_on_another_server_is_interrupted_only_after_the_stale_limit(
    staffing_officer, settings
):
    # given jobs run by a worker on another server, one started long ago
    settings.ZHENJIE = {**settings.ZHENJIE, "JOB_STALE_AFTER": 3600}
    old = _running(staffing_officer, "other-server:4242", dt.timedelta(hours=2))
    recent = _running(staffing_officer, "other-server:4243", dt.timedelta(minutes=5))

    # when running jobs are checked
    job_sweep_interrupted()

    # then only the old one is taken as interrupted
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (JobStatus.FAILED, JobStatus.RUNNING)


def test_finished_jobs_are_left_alone(staffing_officer):
    job = job_submit(actor=staffing_officer, kind="test_count", title="计数", params={"n": 1})
    Job.objects.filter(pk=job.pk).update(worker=f"{socket.gethostname()}:{_ended_pid()}")

    assert job_sweep_interrupted() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_the_job_pages_show_an_interrupted_job_as_failed(client, staffing_officer):
    # given a job whose worker stopped
    job = _running(staffing_officer, f"{socket.gethostname()}:{_ended_pid()}")
    client.force_login(staffing_officer)

    # when its owner opens it
    page = client.get(job.get_absolute_url())

    # then the page says it was interrupted
    assert "任务执行中断" in page.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_the_pages_check_only_the_users_own_jobs(client, staffing_officer, leader):
    # given another user's job whose worker stopped
    theirs = _running(leader, f"{socket.gethostname()}:{_ended_pid()}")
    client.force_login(staffing_officer)

    # when this user opens their job list
    assert client.get(reverse("jobs:job_list")).status_code == 200

    # then the other user's job is left for its owner's pages to mark
    theirs.refresh_from_db()
    assert theirs.status == JobStatus.RUNNING
    assert job_sweep_interrupted(user=leader) == 1
