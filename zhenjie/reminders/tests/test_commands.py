"""manage.py send_reminders: one digest mail per active user with reminders and an address."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from zhenjie.jobs.models import Job, JobStatus
from zhenjie.workflows.services import request_approve
from zhenjie.workflows.tests.factories import stage

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def send(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def addresses(staffing_officer, leader, tianchi_operator):
    """The officer and the leader have mail addresses; the town operator has none."""
    for user, email in ((staffing_officer, "bianban@aes.gov.cn"), (leader, "lingdao@aes.gov.cn")):
        user.email = email
        user.save(update_fields=["email"])


def test_the_digest_lists_each_reminder_with_its_link(
    submitted, addresses, staffing_officer, settings
):
    # given a decision due on 07-06 and a job that failed on 07-07, both the officer's
    settings.ZHENJIE = {**settings.ZHENJIE, "SITE_URL": "https://bianzhi.aes.gov.cn/"}
    job = Job.objects.create(
        kind="import",
        title="导入人员",
        status=JobStatus.FAILED,
        created_by=staffing_officer,
        finished_at=dt.datetime(2024, 7, 7, 16, 0, tzinfo=SHANGHAI),
    )

    # when the digest of 2024-07-08 is sent
    output = send("--date", "2024-07-08")

    # then the officer gets one mail; the leader (nothing due) and the operator (no address) none
    assert output == "2024-07-08: 已发送1封待办提醒邮件\n"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to, message.from_email) == (
        "【镇街】2024-07-08 待办提醒(2项)",
        ["bianban@aes.gov.cn"],
        "webmaster@localhost",
    )
    assert message.body == (
        "bianban, 您好:\n"
        "\n"
        "截至2024年7月8日, 您有2项待办提醒:\n"
        "\n"
        "1. 【紧急】2024-07-06 待审批(编办业务科室审核): 天池镇核增行政编制2名\n"
        f"   https://bianzhi.aes.gov.cn/approvals/{submitted.pk}/\n"
        "\n"
        "2. 【紧急】2024-07-07 后台任务失败: 导入人员\n"
        f"   https://bianzhi.aes.gov.cn/jobs/{job.pk}/\n"
        "\n"
        "请登录系统及时办理。此邮件由镇街系统自动发送, 请勿回复。\n"
    )


def test_the_digest_follows_the_request_to_the_next_approver(
    submitted, addresses, staffing_officer, leader
):
    # given the staffing office agreed, so the leader now decides
    request_approve(actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk)

    # when the digest of 2024-07-04 is sent (no SITE_URL: links are paths)
    output = send("--date", "2024-07-04")

    # then only the leader gets a mail, with the decision still two days off
    assert output == "2024-07-04: 已发送1封待办提醒邮件\n"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["lingdao@aes.gov.cn"], "【镇街】2024-07-04 待办提醒(1项)")
    ]
    assert mail.outbox[0].body == (
        "lingdao, 您好:\n"
        "\n"
        "截至2024年7月4日, 您有1项待办提醒:\n"
        "\n"
        "1. 【提示】2024-07-06 待审批(编委会审批): 天池镇核增行政编制2名\n"
        f"   /approvals/{submitted.pk}/\n"
        "\n"
        "请登录系统及时办理。此邮件由镇街系统自动发送, 请勿回复。\n"
    )


def test_inactive_users_get_no_digest(submitted, addresses, staffing_officer):
    staffing_officer.is_active = False
    staffing_officer.save(update_fields=["is_active"])

    output = send("--date", "2024-07-08")

    assert output == "2024-07-08: 已发送0封待办提醒邮件\n"
    assert mail.outbox == []


def test_nothing_is_sent_when_nothing_is_due(org, addresses):
    output = send("--date", "2024-07-08")

    assert output == "2024-07-08: 已发送0封待办提醒邮件\n"
    assert mail.outbox == []


def test_a_malformed_date_is_refused(org):
    with pytest.raises(CommandError) as exc:
        send("--date", "2024/07/08")

    assert str(exc.value) == "Error: argument --date: 日期格式应为YYYY-MM-DD: 2024/07/08"
    assert mail.outbox == []
