"""Pages of the dispatched agencies: scope, forms through the services, errors beside fields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenjie.agencies.choices import MoveKind
from zhenjie.agencies.models import Assessment
from zhenjie.agencies.services import move_propose, task_assign


@pytest.fixture
def move(agencies, department_operator):
    return move_propose(
        actor=department_operator,
        agency=agencies.tianchi,
        kind=MoveKind.TRANSFER_OUT,
        person=agencies.clerk,
        description="调回局机关",
        proposed_on=dt.date(2025, 2, 1),
    )


@pytest.fixture
def task(agencies, tianchi_operator):
    return task_assign(
        actor=tianchi_operator,
        agency=agencies.tianchi,
        title="节前食品安全检查",
        assigned_on=dt.date(2025, 1, 5),
        due_on=dt.date(2025, 1, 31),
    )


PAGES = [
    lambda a, m, t: "/agencies/",
    lambda a, m, t: f"/agencies/{a.tianchi.pk}/",
    lambda a, m, t: "/agencies/assessments/?year=2024",
    lambda a, m, t: "/agencies/moves/",
    lambda a, m, t: f"/agencies/moves/{m.pk}/",
    lambda a, m, t: "/agencies/tasks/",
    lambda a, m, t: f"/agencies/tasks/{t.pk}/",
]


@pytest.mark.parametrize(
    "user", ["staffing_officer", "tianchi_operator", "department_operator", "leader"]
)
@pytest.mark.parametrize("page", PAGES)
def test_pages_render_for_every_role_in_scope(request, client, agencies, move, task, user, page):
    client.force_login(request.getfixturevalue(user))
    assert client.get(page(agencies, move, task)).status_code == 200


@pytest.mark.parametrize("page", PAGES[1:2] + PAGES[4:5] + PAGES[6:7])
def test_another_towns_operator_gets_404(client, agencies, move, task, bailang_operator, page):
    client.force_login(bailang_operator)
    assert client.get(page(agencies, move, task)).status_code == 404


def test_the_list_shows_each_agency_with_its_status(client, agencies, staffing_officer):
    client.force_login(staffing_officer)
    html = client.get("/agencies/").content.decode()
    assert "天池镇市场监督管理所" in html and "白狼镇市场监督管理所" in html
    assert html.count("已登记") == 2


def test_a_town_operator_sees_only_their_towns_agencies(client, agencies, bailang_operator):
    client.force_login(bailang_operator)
    html = client.get("/agencies/").content.decode()
    assert "白狼镇市场监督管理所" in html and "天池镇市场监督管理所" not in html


def test_the_detail_shows_head_and_staff(client, agencies, tianchi_operator):
    client.force_login(tianchi_operator)
    html = client.get(f"/agencies/{agencies.tianchi.pk}/").content.decode()
    assert "王所长" in html and "李科员" in html and "负责人" in html


def test_the_town_scores_through_the_page(client, agencies, tianchi_operator):
    client.force_login(tianchi_operator)
    response = client.post(
        f"/agencies/{agencies.tianchi.pk}/",
        {
            "action": "assessment",
            "year": "2024",
            "party": "town",
            "score": "91.5",
            "scored_on": "2025-01-10",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().score == Decimal("91.5")


def test_a_duplicate_score_on_the_page_shows_the_error_and_changes_nothing(
    client, agencies, tianchi_operator, agency_counts
):
    client.force_login(tianchi_operator)
    data = {
        "action": "assessment",
        "year": "2024",
        "party": "town",
        "score": "91.5",
        "scored_on": "2025-01-10",
    }
    client.post(f"/agencies/{agencies.tianchi.pk}/", data)
    before = agency_counts()
    response = client.post(f"/agencies/{agencies.tianchi.pk}/", data)
    assert response.status_code == 400
    assert "每方每年只评一次" in response.content.decode()
    assert agency_counts() == before


def test_the_department_cannot_pick_the_town_as_party(
    client, agencies, department_operator, agency_counts
):
    client.force_login(department_operator)
    before = agency_counts()
    response = client.post(
        f"/agencies/{agencies.tianchi.pk}/",
        {
            "action": "assessment",
            "year": "2024",
            "party": "town",
            "score": "99",
            "scored_on": "2025-01-10",
        },
    )
    assert response.status_code == 400
    assert agency_counts() == before


def test_disagreement_without_reason_on_the_page(client, move, tianchi_operator, agency_counts):
    client.force_login(tianchi_operator)
    before = agency_counts()
    response = client.post(
        f"/agencies/moves/{move.pk}/",
        {"action": "opinion", "agrees": "0", "opinion_on": "2025-02-10"},
    )
    assert response.status_code == 400
    assert "不同意的, 须写明理由" in response.content.decode()
    assert agency_counts() == before


def test_the_opinion_then_the_decision_through_the_pages(
    client, move, tianchi_operator, department_operator
):
    client.force_login(tianchi_operator)
    response = client.post(
        f"/agencies/moves/{move.pk}/",
        {
            "action": "opinion",
            "agrees": "0",
            "reason": "辖区监管力量不足",
            "opinion_on": "2025-02-10",
        },
    )
    assert response.status_code == 302
    client.force_login(department_operator)
    response = client.post(
        f"/agencies/moves/{move.pk}/",
        {
            "action": "decide",
            "decision": "adopted",
            "decided_on": "2025-02-20",
            "reason": "全局统筹",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/agencies/moves/{move.pk}/").content.decode()
    assert "未采纳镇(街道)意见" in html


def test_a_town_operator_cannot_close_another_towns_task(
    client, task, bailang_operator, agency_counts
):
    client.force_login(bailang_operator)
    before = agency_counts()
    response = client.post(
        f"/agencies/tasks/{task.pk}/", {"completed": "1", "completed_on": "2025-01-20"}
    )
    assert response.status_code == 404
    assert agency_counts() == before


def test_the_department_cannot_close_a_task(client, task, department_operator, agency_counts):
    client.force_login(department_operator)
    before = agency_counts()
    response = client.post(
        f"/agencies/tasks/{task.pk}/", {"completed": "1", "completed_on": "2025-01-20"}
    )
    assert response.status_code == 403
    assert agency_counts() == before


def test_the_assessment_page_queries_do_not_grow_with_agencies(
    client, agencies, staffing_officer, tianchi_operator
):
    client.force_login(staffing_officer)
    with CaptureQueriesContext(connection) as few:
        client.get("/agencies/assessments/?year=2024")
    for i in range(3):
        task_assign(
            actor=tianchi_operator,
            agency=agencies.tianchi,
            title=f"任务{i}",
            assigned_on=dt.date(2024, 3, 1),
            due_on=dt.date(2024, 3, 31),
        )
    with CaptureQueriesContext(connection) as more:
        client.get("/agencies/assessments/?year=2024")
    assert len(more) == len(few)


def test_the_staffing_office_registers_an_unregistered_agency_from_the_list(
    client, org, root, staffing_officer
):
    from zhenjie.agencies.models import Agency
    from zhenjie.organizations.choices import UnitKind
    from zhenjie.organizations.services import unit_create

    # given a 司法所 not yet under dual management
    unit = unit_create(
        actor=root,
        name="天池镇司法所",
        kind=UnitKind.DISPATCHED_AGENCY,
        parent=org.tianchi,
        department=org.department,
        established_on=dt.date(2010, 1, 1),
    )
    client.force_login(staffing_officer)
    html = client.get("/agencies/").content.decode()
    assert "未登记" in html and f"/agencies/register/{unit.pk}/" in html

    # when it is registered through the page
    response = client.post(
        f"/agencies/register/{unit.pk}/",
        {"since": "2019-03-01", "basis_doc": "阿机编发〔2019〕4号"},
    )

    # then it is under dual management
    agency = Agency.objects.get(unit=unit)
    assert response.status_code == 302 and response.url == f"/agencies/{agency.pk}/"


def test_a_town_operator_cannot_register_dual_management(
    client, org, root, tianchi_operator, agency_counts
):
    from zhenjie.organizations.choices import UnitKind
    from zhenjie.organizations.services import unit_create

    unit = unit_create(
        actor=root,
        name="天池镇司法所",
        kind=UnitKind.DISPATCHED_AGENCY,
        parent=org.tianchi,
        department=org.department,
        established_on=dt.date(2010, 1, 1),
    )
    client.force_login(tianchi_operator)
    before = agency_counts()
    response = client.post(f"/agencies/register/{unit.pk}/", {"since": "2019-03-01"})
    assert response.status_code == 403
    assert agency_counts() == before
