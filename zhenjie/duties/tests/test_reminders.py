"""Consultation replies owed show as reminders and disappear once given."""

import datetime as dt

from zhenjie.duties.choices import ListKind
from zhenjie.duties.services import (
    duty_item_save,
    duty_list_create,
    edition_create,
    reply_record,
    round_start,
)
from zhenjie.reminders.selectors import reminders_for

SENT = dt.date(2025, 3, 1)


def open_round(staffing_officer, org):
    duty_list = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.DUTY, name="职责事项清单"
    )
    draft = edition_create(actor=staffing_officer, duty_list=duty_list, label="征求意见稿")
    duty_item_save(
        actor=staffing_officer, edition=draft, code="JB-01", name="基层党建", area="党的建设"
    )
    return round_start(
        actor=staffing_officer,
        edition=draft,
        title="征求意见函",
        sent_on=SENT,
        due_on=SENT + dt.timedelta(days=10),
        parties=[org.tianchi, org.bailang],
    )


def test_a_town_owing_a_reply_is_reminded_until_it_replies(staffing_officer, tianchi_operator, org):
    # given a round sent to 天池镇 and 白狼镇
    consultation = open_round(staffing_officer, org)

    # then 天池镇's operator is reminded, overdue after the due date
    owed = [
        r
        for r in reminders_for(user=tianchi_operator, today=SENT + dt.timedelta(days=11))
        if r.source == "征求意见"
    ]
    assert [(r.title, r.due, r.level) for r in owed] == [
        ("征求意见待反馈(天池镇): 征求意见函", SENT + dt.timedelta(days=10), "danger")
    ]

    # when 天池镇 replies
    reply_record(
        actor=tianchi_operator,
        consultation=consultation,
        party=org.tianchi,
        replied_on=SENT,
        no_changes=True,
    )

    # then the reminder is gone
    assert [
        r for r in reminders_for(user=tianchi_operator, today=SENT) if r.source == "征求意见"
    ] == []


def test_a_leader_is_not_reminded_to_reply(staffing_officer, leader, org):
    open_round(staffing_officer, org)
    assert [r for r in reminders_for(user=leader, today=SENT) if r.source == "征求意见"] == []
