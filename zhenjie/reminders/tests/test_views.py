"""The reminders page and the home-page panel."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from zhenjie.reminders.registry import Reminder
from zhenjie.workflows.models import ApprovalRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(submitted):
    """The request, submitted today instead (pages read today's date)."""
    ApprovalRequest.objects.filter(pk=submitted.pk).update(submitted_at=timezone.now())
    submitted.refresh_from_db()
    return submitted


def test_reminders_page_lists_the_users_reminders(client, waiting, staffing_officer):
    # given a request waiting for the staffing office since today
    due = dt.date.today() + dt.timedelta(days=5)
    client.force_login(staffing_officer)

    # when the officer opens 待办提醒
    response = client.get("/reminders/")

    # then it lists the decision due in 5 days
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h3 mb-3">待办提醒</h1>' in html
    assert f'<td class="text-nowrap">{due:%Y-%m-%d}</td>' in html
    assert '<td><span class="badge text-bg-info">提示</span></td>' in html
    assert (
        f'<td><a href="/approvals/{waiting.pk}/">待审批(编办业务科室审核): 天池镇核增行政编制2名</a></td>'
        in html
    )
    assert '<td class="text-muted">审批</td>' in html


@pytest.mark.parametrize("who", ["leader", "tianchi_operator", "department_operator"])
def test_reminders_page_is_empty_for_users_with_nothing_due(request, client, waiting, who):
    client.force_login(request.getfixturevalue(who))

    html = client.get("/reminders/").content.decode()

    assert '<tr><td colspan="4" class="text-muted">暂无待办事项</td></tr>' in html


def test_the_panel_renders_the_reminders_it_is_given():
    # given two reminders passed in by the including page
    reminders = [
        Reminder(dt.date(2024, 7, 2), "后台任务失败: 导入人员", "/jobs/3/", "danger", "后台任务"),
        Reminder(
            dt.date(2024, 7, 6),
            "待审批(编委会审批): 天池镇核增行政编制2名",
            "/approvals/1/",
            "info",
            "审批",
        ),
    ]

    # when the include is rendered
    html = render_to_string("reminders/_panel.html", {"reminders": reminders})

    # then it shows their count, each with its level, link and due date, and a link to all
    assert '待办提醒 <span class="badge bg-danger">2</span>' in html
    assert (
        '<span><span class="badge text-bg-danger me-1">紧急</span><a href="/jobs/3/">后台任务失败: 导入人员</a></span>'
        in html
    )
    assert '<span class="small text-muted text-nowrap ms-2">2024-07-06</span>' in html
    assert '<a class="small" href="/reminders/">全部</a>' in html


def test_the_panel_says_when_nothing_is_due():
    html = render_to_string("reminders/_panel.html", {"reminders": []})

    assert '<li class="list-group-item py-1 text-muted">暂无待办事项</li>' in html


def test_the_panel_fragment_can_be_loaded_by_url(client, waiting, staffing_officer):
    client.force_login(staffing_officer)

    response = client.get("/reminders/panel/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert (
        f'<a href="/approvals/{waiting.pk}/">待审批(编办业务科室审核): 天池镇核增行政编制2名</a>'
        in html
    )
