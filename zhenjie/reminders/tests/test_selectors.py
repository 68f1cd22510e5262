"""Reminders appear and disappear with the work behind them, earliest due first."""

import datetime as dt

import pytest

from zhenjie.jobs.models import Job, JobStatus
from zhenjie.reminders import registry
from zhenjie.reminders.registry import Reminder
from zhenjie.reminders.selectors import reminders_for
from zhenjie.workflows.services import request_approve, request_reject, request_withdraw
from zhenjie.workflows.tests.factories import stage

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db

JUL_3 = dt.date(2024, 7, 3)
JUL_6 = dt.date(2024, 7, 6)


def approval(request, stage_name, due=JUL_6, level="info"):
    return Reminder(
        due=due,
        title=f"待审批({stage_name}): 天池镇核增行政编制2名",
        url=f"/approvals/{request.pk}/",
        level=level,
        source="审批",
    )


def test_approval_reminders_follow_the_request_from_stage_to_stage(
    submitted, staffing_officer, leader, tianchi_operator
):
    # given a request submitted on 2024-07-01 at the staffing-office stage
    # then on 2024-07-03 the staffing officer is reminded, due 5 days after submission
    assert reminders_for(user=staffing_officer, today=JUL_3) == [
        approval(submitted, "编办业务科室审核")
    ]
    assert reminders_for(user=leader, today=JUL_3) == []
    assert reminders_for(user=tianchi_operator, today=JUL_3) == []

    # when the staffing office agrees, the reminder moves to the leader
    request_approve(actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk)
    assert reminders_for(user=staffing_officer, today=JUL_3) == []
    assert reminders_for(user=leader, today=JUL_3) == [approval(submitted, "编委会审批")]

    # when the leader agrees, it is gone
    request_approve(actor=leader, request=submitted, stage_id=stage(submitted, 2).pk)
    assert reminders_for(user=leader, today=JUL_3) == []


@pytest.mark.parametrize("end", ["reject", "withdraw"])
def test_a_closed_request_reminds_nobody(submitted, staffing_officer, tianchi_operator, end):
    if end == "reject":
        request_reject(
            actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk, reason="否"
        )
    else:
        request_withdraw(actor=tianchi_operator, request=submitted)

    assert reminders_for(user=staffing_officer, today=JUL_3) == []


@pytest.mark.parametrize(
    ("today", "level"),
    [(dt.date(2024, 7, 5), "info"), (JUL_6, "warning"), (dt.date(2024, 7, 7), "danger")],
    ids=["before", "due-today", "overdue"],
)
def test_the_level_follows_the_due_date(submitted, staffing_officer, today, level):
    assert reminders_for(user=staffing_officer, today=today) == [
        approval(submitted, "编办业务科室审核", level=level)
    ]


def test_the_due_days_are_read_from_settings_at_call_time(submitted, staffing_officer, settings):
    # given the office allows 2 days instead of 5
    settings.ZHENJIE = {**settings.ZHENJIE, "APPROVAL_DUE_DAYS": 2}

    # then the same request is due on 2024-07-03, today
    assert reminders_for(user=staffing_officer, today=JUL_3) == [
        approval(submitted, "编办业务科室审核", due=JUL_3, level="warning")
    ]


def failed_job(user, title, finished, status=JobStatus.FAILED):
    return Job.objects.create(
        kind="import",
        title=title,
        status=status,
        created_by=user,
        finished_at=dt.datetime(*finished).replace(tzinfo=SHANGHAI),
        error="第3行: 身份证号码校验位错误",
    )


def test_failed_jobs_of_the_last_seven_days_are_reminded(staffing_officer, leader):
    # given jobs that failed 7 days ago, 8 days ago, today; one that succeeded; one of another user
    week = failed_job(staffing_officer, "导入人员", (2024, 7, 3, 0, 5))
    failed_job(staffing_officer, "导入机构", (2024, 7, 2, 23, 55))
    today_job = failed_job(staffing_officer, "导出台账", (2024, 7, 10, 18, 0))
    failed_job(staffing_officer, "导出人员", (2024, 7, 9, 8, 0), status=JobStatus.SUCCEEDED)
    failed_job(leader, "导入岗位", (2024, 7, 9, 8, 0))

    # when the officer's reminders on 2024-07-10 are read
    found = reminders_for(user=staffing_officer, today=dt.date(2024, 7, 10))

    # then only their own failures within the week remain, oldest first
    assert found == [
        Reminder(
            dt.date(2024, 7, 3), "后台任务失败: 导入人员", f"/jobs/{week.pk}/", "danger", "后台任务"
        ),
        Reminder(
            dt.date(2024, 7, 10),
            "后台任务失败: 导出台账",
            f"/jobs/{today_job.pk}/",
            "danger",
            "后台任务",
        ),
    ]


def test_reminders_of_all_sources_are_sorted_by_due_date(submitted, staffing_officer):
    # given a job that failed on 07-02 and a decision due on 07-06
    job = failed_job(staffing_officer, "导入人员", (2024, 7, 2, 12, 0))

    # then the job comes first
    assert reminders_for(user=staffing_officer, today=JUL_3) == [
        Reminder(
            dt.date(2024, 7, 2), "后台任务失败: 导入人员", f"/jobs/{job.pk}/", "danger", "后台任务"
        ),
        approval(submitted, "编办业务科室审核"),
    ]


def test_an_app_adds_reminders_by_registering_a_provider(org, leader, monkeypatch):
    # given another app declaring a due date for every leader
    def annual_report(user, today):
        if user.role == "leader":
            yield Reminder(
                dt.date(2024, 12, 31), "报送年度机构编制统计", "/reports/", "info", "统计"
            )

    monkeypatch.setitem(registry._PROVIDERS, "reports.annual", annual_report)

    # then it is among the leader's reminders
    assert reminders_for(user=leader, today=JUL_3) == [
        Reminder(dt.date(2024, 12, 31), "报送年度机构编制统计", "/reports/", "info", "统计")
    ]


def test_every_app_registers_its_providers_at_start_up():
    assert sorted(registry.providers()) == [
        "agencies.opinions_owed",
        "agencies.scores_owed",
        "duties.replies_owed",
        "enforcement.case_deadlines_due",
        "enforcement.certificates_due",
        "jobs.failed",
        "workflows.approvals",
    ]
