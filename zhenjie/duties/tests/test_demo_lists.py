"""The Arxan demo's three drafts: circulated to every department, town and street, all agreed."""

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest
from django.db import transaction

from zhenjie.demo.arxan import LISTS_SENT, build_demo
from zhenjie.demo.lists_catalog import (
    DUTY_ITEMS,
    DUTY_LIST_NAME,
    RULES_NAME,
    RULES_TEXT,
    SHARED_ITEMS,
    SHARED_LIST_NAME,
)
from zhenjie.duties.choices import EditionStatus, ListKind, MeetingKind
from zhenjie.duties.models import ConsultationRound, DutyList, Edition
from zhenjie.duties.services import round_status
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit

NAMES = {
    ListKind.DUTY: DUTY_LIST_NAME,
    ListKind.SHARED: SHARED_LIST_NAME,
    ListKind.RULES: RULES_NAME,
}
KINDS = list(NAMES)
DUE = LISTS_SENT + dt.timedelta(days=14)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_demo()
        yield built
        transaction.set_rollback(True)


def draft_of(kind: str) -> Edition:
    return Edition.objects.select_related("duty_list").get(duty_list__kind=kind)


def round_of(kind: str) -> ConsultationRound:
    return ConsultationRound.objects.get(edition__duty_list__kind=kind)


def expected_parties() -> list[str]:
    """The county's departments, then its towns and streets, in tree order."""
    return list(
        Unit.objects.filter(
            kind__in=[UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET]
        ).values_list("name", flat=True)
    )


def test_the_county_keeps_the_three_documents_of_the_report(demo, db):
    # given the demo county
    # when its lists are read
    lists = list(DutyList.objects.values_list("county", "kind", "name"))

    # then there are the two lists and the admission rules, under the report's names
    assert sorted(lists) == sorted(
        [
            (demo.county.pk, ListKind.DUTY, "关于苏木乡镇和街道职责事项指导清单"),
            (
                demo.county.pk,
                ListKind.SHARED,
                "旗县(市、区)部门和苏木乡镇(街道)共同承担事项责任清单指导目录",
            ),
            (demo.county.pk, ListKind.RULES, "关于苏木乡镇职责准入管理办法"),
        ]
    )


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_has_one_draft_for_opinions(demo, db, kind):
    # given one of the three documents
    # when its editions are read
    editions = list(
        Edition.objects.filter(duty_list__kind=kind).values_list(
            "label", "status", "based_on", "doc_no", "published_on"
        )
    )

    # then there is a single 征求意见稿, never published
    assert editions == [("征求意见稿", EditionStatus.DRAFT, None, "", None)]


def test_the_duty_list_draft_holds_basic_cooperating_and_returned_items(demo, db):
    # given the draft of the 职责事项清单
    draft = draft_of(ListKind.DUTY)

    # when its items are read
    items = list(
        draft.items.order_by("code").values_list(
            "code", "area", "duty_class", "name", "basis", "responsible"
        )
    )

    # then they are the catalog's items: 6 基本, 4 配合, 2 收回
    assert items == sorted(DUTY_ITEMS)
    assert Counter(i[2] for i in items) == Counter(basic=6, cooperating=4, returned=2)
    assert draft.text == ""


def test_the_shared_list_draft_splits_each_item_between_department_and_town(demo, db):
    # given the draft of the 共同承担事项责任清单
    draft = draft_of(ListKind.SHARED)

    # when its items are read with their lead departments
    items = list(
        draft.items.order_by("code").values_list(
            "code",
            "area",
            "name",
            "lead_department__name",
            "county_duties",
            "town_duties",
            "cooperating",
            "workflow",
        )
    )

    # then each catalog item has its county department leading and the town supporting
    assert items == [
        (code, area, name, f"阿尔山市{lead}", county, town, cooperating, flow)
        for code, area, name, lead, county, town, cooperating, flow in SHARED_ITEMS
    ]
    assert set(draft.items.values_list("lead_department__kind", "lead_department__parent")) == {
        (UnitKind.DEPARTMENT, demo.county.pk)
    }


def test_the_admission_rules_draft_is_a_text(demo, db):
    # given the draft of the 职责准入管理办法
    draft = draft_of(ListKind.RULES)

    # when it is read
    # then it is the rules' text, without items
    assert draft.text == RULES_TEXT
    assert draft.items.count() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_each_draft_was_sent_to_35_departments_and_8_towns_and_streets(demo, db, kind):
    # given the draft of one of the documents
    draft = draft_of(kind)

    # when its consultation rounds are read
    rounds = list(draft.rounds.all())
    parties = Counter(rounds[0].parties.values_list("kind", flat=True))

    # then one letter went to every department, town and street of the county
    assert [(r.title, r.sent_on, r.due_on) for r in rounds] == [
        (f"关于征求《{NAMES[kind]}(征求意见稿)》意见的函", LISTS_SENT, DUE)
    ]
    assert parties == Counter({UnitKind.DEPARTMENT: 35, UnitKind.TOWN: 4, UnitKind.STREET: 4})
    assert list(rounds[0].parties.order_by("path").values_list("name", flat=True)) == (
        expected_parties()
    )


@pytest.mark.parametrize("kind", KINDS)
def test_every_party_replied_no_changes(demo, db, kind):
    # given the round on one of the drafts
    consultation = round_of(kind)

    # when its status is taken
    status = round_status(consultation=consultation)

    # then all 43 parties replied once, 无修改意见, within the deadline, and none is pending
    assert len(status["parties"]) == 43
    assert status["pending"] == []
    assert status["opinions"] == []
    assert status["replied"] == status["parties"]
    assert Counter(r.party_id for r in status["replies"]) == Counter(
        {p.pk: 1 for p in status["parties"]}
    )
    assert {(r.no_changes, r.opinion, r.item_id) for r in status["replies"]} == {(True, "", None)}
    assert all(LISTS_SENT <= r.replied_on <= DUE for r in status["replies"])


@pytest.mark.parametrize("kind", KINDS)
def test_each_partys_leadership_meeting_studied_the_draft_before_it_replied(demo, db, kind):
    # given the round on one of the drafts
    consultation = round_of(kind)
    replied_on = dict(consultation.replies.values_list("party", "replied_on"))

    # when its leadership meetings are read
    meetings = list(
        consultation.meetings.filter(kind=MeetingKind.LEADERSHIP).values_list(
            "party", "held_on", "conclusion"
        )
    )

    # then every party held one, on the day it replied, and found nothing to change
    assert Counter(party for party, _, _ in meetings) == Counter(
        dict.fromkeys(consultation.parties.values_list("pk", flat=True), 1)
    )
    assert [
        (party, held_on) for party, held_on, _ in meetings if held_on != replied_on[party]
    ] == []
    assert {conclusion for _, _, conclusion in meetings} == {"经领导班子会议研究, 无修改意见"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_staffing_office_directors_met_after_all_replies(demo, db, kind):
    # given the round on one of the drafts
    consultation = round_of(kind)
    last_reply = max(consultation.replies.values_list("replied_on", flat=True))

    # when its directors' meetings are read
    meetings = list(
        consultation.meetings.filter(kind=MeetingKind.DIRECTORS).values_list(
            "party__name", "held_on", "conclusion"
        )
    )

    # then the 编办主任办公会 met once, after the last reply, and agreed with the draft
    assert meetings == [
        (
            "阿尔山市委机构编制委员会办公室",
            LISTS_SENT + dt.timedelta(days=15),
            "经市委编办主任办公会研究讨论, 对征求意见稿无修改意见",
        )
    ]
    assert meetings[0][1] > last_reply


@pytest.mark.parametrize("kind", KINDS)
def test_the_round_page_shows_everyone_agreed(demo, db, client, kind):
    # given the demo's staffing office
    client.force_login(demo.users["bianban"])

    # when the round page of one of the drafts is opened
    html = client.get(f"/duties/rounds/{round_of(kind).pk}/").content.decode()

    # then all 43 replied, none is pending, and there is no opinion
    assert "已反馈(43 / 43)" in html
    assert "未反馈(0)" in html
    assert re.search(r'data-testid="opinions">\s*<li[^>]*>各单位均无修改意见</li>', html)
    meetings = re.search(r'data-testid="meetings">(.*?)</ul>', html, re.S)
    assert meetings is not None
    kinds = Counter(re.findall(r" (领导班子会议|编办主任办公会): ", meetings[1]))
    assert kinds == Counter({"领导班子会议": 43, "编办主任办公会": 1})
