"""The dispatched agencies' API: scores by each side, moves heard by the town, tasks, results."""

from decimal import Decimal

import pytest

from zhenjie.agencies.models import Agency, Assessment, CommandTask, PersonnelMove


@pytest.fixture
def agency_counts(row_counts):
    def take():
        models = [Agency, Assessment, PersonnelMove, CommandTask]
        return {
            **row_counts(),
            **{m._meta.label: m.objects.count() for m in models},
            **{f"{m._meta.label}.history": m.history.count() for m in models},
        }

    return take


def score(client, agency, party, value="88.5", year=2024):
    return client.post(
        "/api/v1/agency-assessments/",
        {
            "agency": agency.pk,
            "year": year,
            "party": party,
            "score": value,
            "scored_on": "2025-01-20",
        },
        format="json",
    )


def test_the_department_scores_its_agency_and_the_result_combines_both(
    api, agency_records, department_operator, staffing_officer
):
    # given 天池镇 scored 90.5 for 2024; when the department scores 80
    response = score(api(department_operator), agency_records.agencies[0], "department", "80")
    assert response.status_code == 201
    assert (response.json()["party"], response.json()["score"]) == ("department", "80.0")

    # then the year's result combines both with the default weight 0.4: 90.5*0.4 + 80*0.6 = 84.2
    rows = api(staffing_officer).get("/api/v1/agencies/results/?year=2024").json()
    tianchi = next(r for r in rows if r["agency_name"] == "天池镇市场监督管理所")
    assert (tianchi["town_score"], tianchi["department_score"], tianchi["combined"]) == (
        "90.5",
        "80.0",
        "84.2",
    )
    assert tianchi["tasks"]["total"] == 0


def test_a_second_score_by_the_same_side_is_a_chinese_400_and_changes_nothing(
    api, agency_records, tianchi_operator, agency_counts
):
    before = agency_counts()
    response = score(api(tianchi_operator), agency_records.agencies[0], "town", "95")
    assert response.status_code == 400
    assert response.json() == {
        "party": ["天池镇市场监督管理所2024年度已有镇(街道)评分, 每方每年只评一次"]
    }
    assert agency_counts() == before


def test_a_town_cannot_score_another_towns_agency(
    api, agency_records, tianchi_operator, agency_counts
):
    before = agency_counts()
    response = score(api(tianchi_operator), agency_records.agencies[1], "town")
    assert response.status_code == 400
    assert "agency" in response.json()
    assert agency_counts() == before


def test_a_town_cannot_score_as_the_department(
    api, agency_records, tianchi_operator, agency_counts
):
    before = agency_counts()
    response = score(api(tianchi_operator), agency_records.agencies[0], "department")
    assert response.status_code == 403
    assert agency_counts() == before


def test_no_decision_before_the_towns_opinion_then_after_it(
    api, agency_records, department_operator, tianchi_operator, agency_counts
):
    move = agency_records.move
    before = agency_counts()
    decision = {"decision": "adopted", "decided_on": "2025-02-20"}
    response = api(department_operator).post(
        f"/api/v1/agency-moves/{move.pk}/decide/", decision, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["尚未收到镇(街道)党(工)委意见, 不能作出决定"]}
    assert agency_counts() == before

    # the town disagrees without a reason: refused
    response = api(tianchi_operator).post(
        f"/api/v1/agency-moves/{move.pk}/opinion/",
        {"agrees": False, "opinion_on": "2025-02-10"},
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"reason": ["不同意的, 须写明理由"]})

    # with a reason it is recorded; a decision against it must explain, then follows=false
    response = api(tianchi_operator).post(
        f"/api/v1/agency-moves/{move.pk}/opinion/",
        {"agrees": False, "reason": "编制已满", "opinion_on": "2025-02-10"},
        format="json",
    )
    assert response.json()["status"] == "pending_decision"
    response = api(department_operator).post(
        f"/api/v1/agency-moves/{move.pk}/decide/",
        {**decision, "reason": "全局统筹"},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["followed_opinion"]) == ("decided", False)


def test_the_town_closes_a_task_and_it_counts(
    api, agency_records, tianchi_operator, staffing_officer
):
    response = api(tianchi_operator).post(
        f"/api/v1/agency-tasks/{agency_records.task.pk}/close/",
        {"completed": True, "completed_on": "2025-02-03"},
        format="json",
    )
    assert (response.status_code, response.json()["outcome"]) == (200, "late")
    rows = api(staffing_officer).get("/api/v1/agencies/results/?year=2025").json()
    tianchi = next(r for r in rows if r["agency_name"] == "天池镇市场监督管理所")
    assert tianchi["tasks"] == {
        "total": 1,
        "on_time": 0,
        "late": 1,
        "not_done": 0,
        "open": 0,
        "completion_rate": "100.0",
        "on_time_rate": "0.0",
    }


def test_a_town_lists_only_its_own_agency(api, agency_records, bailang_operator):
    rows = api(bailang_operator).get("/api/v1/agencies/").json()["results"]
    assert [r["unit"]["name"] for r in rows] == ["白狼镇市场监督管理所"]
    assert (
        api(bailang_operator).get(f"/api/v1/agency-moves/{agency_records.move.pk}/").status_code
        == 404
    )


def test_weight_in_results_is_the_setting(api, agency_records, staffing_officer, settings):
    settings.ZHENJIE = {**settings.ZHENJIE, "AGENCY_TOWN_WEIGHT": "0.3"}
    rows = api(staffing_officer).get("/api/v1/agencies/results/?year=2024").json()
    assert {r["weight"] for r in rows} == {str(Decimal("0.300"))}
