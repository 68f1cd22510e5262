"""Town opinions and annual scores owed show as reminders and disappear once given."""

import datetime as dt
from decimal import Decimal

from zhenjie.agencies.choices import AssessmentParty, MoveKind
from zhenjie.agencies.services import assessment_record, move_opinion_record, move_propose
from zhenjie.reminders.selectors import reminders_for

PROPOSED = dt.date(2025, 2, 1)


def agency_reminders(user, today):
    return [
        (r.title, r.due, r.level)
        for r in reminders_for(user=user, today=today)
        if r.source == "派出机构"
    ]


def test_the_host_town_is_reminded_of_an_opinion_it_owes(
    agencies, department_operator, tianchi_operator, bailang_operator, settings
):
    settings.ZHENJIE = {**settings.ZHENJIE, "AGENCY_OPINION_DUE_DAYS": 10}
    move = move_propose(
        actor=department_operator,
        agency=agencies.tianchi,
        kind=MoveKind.TRANSFER_OUT,
        person=agencies.clerk,
        description="调回局机关",
        proposed_on=PROPOSED,
    )
    today = dt.date(2025, 3, 1)
    owed = [r for r in agency_reminders(tianchi_operator, today) if "意见" in r[0]]
    assert owed == [
        (
            "派出机构人员调整待提出党(工)委意见: 天池镇市场监督管理所 人员调出 李科员",
            dt.date(2025, 2, 11),
            "danger",
        )
    ]
    # another town is not reminded; once the opinion is given the reminder goes
    assert [r for r in agency_reminders(bailang_operator, today) if "意见" in r[0]] == []
    move_opinion_record(
        actor=tianchi_operator, move=move, agrees=True, reason="", opinion_on=dt.date(2025, 2, 5)
    )
    assert [r for r in agency_reminders(tianchi_operator, today) if "意见" in r[0]] == []


def test_each_side_is_reminded_of_last_years_score_until_it_scores(
    agencies, tianchi_operator, department_operator
):
    today = dt.date(2025, 2, 1)
    assert agency_reminders(tianchi_operator, today) == [
        ("天池镇市场监督管理所2024年度考核待镇(街道)评分", dt.date(2025, 3, 31), "info")
    ]
    assert sorted(agency_reminders(department_operator, today)) == [
        ("天池镇市场监督管理所2024年度考核待主管部门评分", dt.date(2025, 3, 31), "info"),
        ("白狼镇市场监督管理所2024年度考核待主管部门评分", dt.date(2025, 3, 31), "info"),
    ]
    assessment_record(
        actor=tianchi_operator,
        agency=agencies.tianchi,
        year=2024,
        party=AssessmentParty.TOWN,
        score=Decimal("90"),
        scored_on=dt.date(2025, 1, 10),
    )
    assert agency_reminders(tianchi_operator, today) == []
    # the department's own score is still owed
    assert len(agency_reminders(department_operator, today)) == 2
