"""Pages of the three lists: the index, an edition, a comparison and a consultation round."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.duties.choices import DutyClass, EditionStatus, ListKind, MeetingKind
from zhenjie.duties.models import (
    ConsultationRound,
    DutyItem,
    DutyList,
    Edition,
    Reply,
    ReviewMeeting,
)
from zhenjie.duties.services import (
    duty_item_save,
    duty_list_create,
    edition_create,
    edition_transition,
    meeting_record,
    reply_record,
    round_start,
)

pytestmark = pytest.mark.django_db

LIST_NAME = "关于苏木乡镇和街道职责事项指导清单"
ROUND_TITLE = "关于征求《职责事项指导清单(征求意见稿)》意见的函"
SENT = dt.date(2022, 11, 1)
DUE = dt.date(2022, 11, 15)
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"

DUTY_MODELS = [
    DutyList,
    Edition,
    Edition.history.model,
    DutyItem,
    ConsultationRound,
    ConsultationRound.parties.through,
    Reply,
    ReviewMeeting,
]


def field_errors(html: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, message in re.findall(
        r'<div class="invalid-feedback d-block" data-field="([^"]*)">([^<]*)</div>', html
    ):
        errors.setdefault(name, []).append(message)
    return errors


def list_texts(html: str, testid: str) -> list[str]:
    """Texts of the <li> of the list marked with ``data-testid``, tags stripped."""
    match = re.search(rf'<ul[^>]*data-testid="{testid}">(.*?)</ul>', html, re.S)
    assert match is not None, testid
    return [
        re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", match[1])
    ]


def options(html: str, name: str) -> list[str]:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match is not None, name
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", match[1])


@pytest.fixture
def counts(row_counts: Callable[[], dict[str, int]]) -> Callable[[], dict[str, int]]:
    """The shared row counts plus every table of the duties app."""

    def take() -> dict[str, int]:
        return {**row_counts(), **{m._meta.label: m.objects.count() for m in DUTY_MODELS}}

    return take


@pytest.fixture
def duty_list(org: Any, staffing_officer: User) -> DutyList:
    return duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.DUTY, name=LIST_NAME
    )


def add_item(actor: User, edition: Edition, code: str, name: str, **extra: Any) -> DutyItem:
    return duty_item_save(
        actor=actor,
        edition=edition,
        code=code,
        name=name,
        area="党的建设",
        duty_class=extra.pop("duty_class", DutyClass.BASIC),
        responsible="基层党的建设办公室",
        **extra,
    )


@pytest.fixture
def draft(duty_list: DutyList, staffing_officer: User) -> Edition:
    edition = edition_create(actor=staffing_officer, duty_list=duty_list, label="征求意见稿")
    add_item(staffing_officer, edition, "JB-01", "落实基层党建工作责任制")
    add_item(staffing_officer, edition, "JB-02", "做好党员发展、教育、管理和监督")
    return edition


@pytest.fixture
def consultation(org: Any, draft: Edition, staffing_officer: User) -> ConsultationRound:
    return round_start(
        actor=staffing_officer,
        edition=draft,
        title=ROUND_TITLE,
        sent_on=SENT,
        due_on=DUE,
        parties=[org.department, org.tianchi, org.bailang, org.linhai],
    )


@pytest.fixture
def elsewhere(other_county: Any) -> Any:
    """乌兰浩特市's staffing office, its own list with a draft and a round."""
    officer = User.objects.create_user(
        "wlht", password="wlht-password", role=Role.STAFFING_OFFICE, unit=other_county.county
    )
    duty_list = duty_list_create(
        actor=officer, county=other_county.county, kind=ListKind.DUTY, name="乌兰浩特市职责清单"
    )
    edition = edition_create(actor=officer, duty_list=duty_list, label="乌兰浩特征求意见稿")
    add_item(officer, edition, "JB-01", "乌兰浩特事项")
    consultation = round_start(
        actor=officer,
        edition=edition,
        title="乌兰浩特市征求意见函",
        sent_on=SENT,
        due_on=DUE,
        parties=[other_county.town],
    )
    second = edition_create(actor=officer, duty_list=duty_list, label="乌兰浩特第二稿")
    return type(
        "Elsewhere",
        (),
        {"officer": officer, "edition": edition, "second": second, "round": consultation},
    )


def reply_data(party: Any, **overrides: Any) -> dict[str, Any]:
    data = {"party": party.pk, "opinion": "", "item": "", "replied_on": "2022-11-08"}
    data.update(overrides)
    return data


# ------------------------------------------------------------------ pages render


PAGES = {
    "index": (lambda e, r, o: "/duties/", "<title>职责清单 · 镇街</title>"),
    "edition": (
        lambda e, r, o: f"/duties/editions/{e.pk}/",
        f"<title>{LIST_NAME}(征求意见稿) · 镇街</title>",
    ),
    "compare": (
        lambda e, r, o: f"/duties/editions/{e.pk}/compare/?old={o.pk}",
        "<title>版本比较 · 镇街</title>",
    ),
    "round": (lambda e, r, o: f"/duties/rounds/{r.pk}/", f"<title>{ROUND_TITLE} · 镇街</title>"),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("user", ["staffing_officer", "tianchi_operator"])
def test_pages_render_for_the_staffing_office_and_a_town_operator(
    request, client, consultation, draft, duty_list, staffing_officer, user, page
):
    # given a draft sent for opinions, a second edition of the list, and the user logged in
    other = edition_create(actor=staffing_officer, duty_list=duty_list, label="第二稿")
    client.force_login(request.getfixturevalue(user))
    url, marker = PAGES[page]

    # when the page is opened
    response = client.get(url(draft, consultation, other))

    # then it renders
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_the_index_shows_the_lists_with_their_editions(client, draft, tianchi_operator):
    # given a town operator of the county
    client.force_login(tianchi_operator)

    # when the index is opened
    html = client.get("/duties/").content.decode()

    # then the county's list is shown with its draft
    assert f"{LIST_NAME} <span" in html
    assert list_texts(html, "editions") == ["征求意见稿 征求意见稿"]


def test_the_edition_page_shows_items_and_rounds(client, consultation, draft, staffing_officer):
    # given a draft with two items sent to four parties
    client.force_login(staffing_officer)

    # when its page is opened
    html = client.get(f"/duties/editions/{draft.pk}/").content.decode()

    # then the status, the items and the round with its replies count are shown
    assert '<span class="badge bg-info text-dark" data-testid="status">征求意见稿</span>' in html
    assert re.findall(r"<tr><td>(JB-\d+)</td>", html) == ["JB-01", "JB-02"]
    assert list_texts(html, "rounds") == [f"{ROUND_TITLE} 2022-11-01 · 已反馈 0 / 4"]


@pytest.mark.parametrize(
    "url",
    [
        lambda x: f"/duties/editions/{x.edition.pk}/",
        lambda x: f"/duties/editions/{x.edition.pk}/compare/?old={x.second.pk}",
        lambda x: f"/duties/rounds/{x.round.pk}/",
    ],
    ids=["edition", "compare", "round"],
)
@pytest.mark.parametrize("user", ["staffing_officer", "tianchi_operator"])
def test_another_countys_list_is_not_visible(request, client, elsewhere, draft, user, url):
    # given 乌兰浩特市's list and a user of 阿尔山市
    client.force_login(request.getfixturevalue(user))

    # when its pages are opened
    response = client.get(url(elsewhere))

    # then they are missing
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("user", "names"),
    [
        ("staffing_officer", [LIST_NAME]),
        ("tianchi_operator", [LIST_NAME]),
        ("elsewhere", ["乌兰浩特市职责清单"]),
    ],
)
def test_the_index_shows_only_the_users_county(request, client, elsewhere, draft, user, names):
    # given a list in each county
    actor = elsewhere.officer if user == "elsewhere" else request.getfixturevalue(user)
    client.force_login(actor)

    # when the index is opened
    html = client.get("/duties/").content.decode()

    # then only the user's county's list is shown
    assert re.findall(r'<div class="card-header">([^<]+) <span', html) == names


def test_the_staffing_office_of_another_county_does_not_see_this_one(
    client, elsewhere, draft, consultation
):
    # given 乌兰浩特市's staffing office logged in
    client.force_login(elsewhere.officer)

    # when it opens 阿尔山市's edition and round
    responses = [
        client.get(f"/duties/editions/{draft.pk}/").status_code,
        client.get(f"/duties/rounds/{consultation.pk}/").status_code,
    ]

    # then both are missing
    assert responses == [404, 404]


# ------------------------------------------------------------------ compare


def test_the_compare_page_lists_added_removed_and_changed(
    client, draft, duty_list, staffing_officer
):
    # given the draft and a second edition without JB-02, with JB-03 and JB-01 renamed
    second = edition_create(actor=staffing_officer, duty_list=duty_list, label="第二稿")
    add_item(staffing_officer, second, "JB-01", "落实党建责任制")
    add_item(staffing_officer, second, "JB-03", "新增事项")
    client.force_login(staffing_officer)

    # when the second is compared with the draft
    html = client.get(f"/duties/editions/{second.pk}/compare/", {"old": draft.pk}).content.decode()

    # then the three changes are listed
    assert list_texts(html, "added") == ["JB-03 新增事项"]
    assert list_texts(html, "removed") == ["JB-02 做好党员发展、教育、管理和监督"]
    assert list_texts(html, "changed") == ["JB-01 落实党建责任制: 事项名称"]


@pytest.mark.parametrize("old", ["", "abc", "999999"], ids=["empty", "not-a-number", "missing"])
def test_the_compare_page_needs_a_visible_old_edition(client, draft, staffing_officer, old):
    # given the staffing office
    client.force_login(staffing_officer)

    # when the compare page is opened with a bad old edition
    response = client.get(f"/duties/editions/{draft.pk}/compare/", {"old": old})

    # then it is missing
    assert response.status_code == 404


def test_editions_of_different_lists_are_not_compared(client, draft, org, staffing_officer):
    # given an edition of another list of the county
    other_list = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.SHARED, name="共同承担事项"
    )
    other = edition_create(actor=staffing_officer, duty_list=other_list, label="征求意见稿")
    client.force_login(staffing_officer)

    # when the draft is compared with it
    response = client.get(f"/duties/editions/{draft.pk}/compare/", {"old": other.pk})

    # then it is missing
    assert response.status_code == 404


# ------------------------------------------------------------------ edition status


def test_the_staffing_office_approves_the_draft_on_its_page(client, draft, staffing_officer):
    # given the staffing office on the draft's page, which offers the change
    client.force_login(staffing_officer)
    page = client.get(f"/duties/editions/{draft.pk}/").content.decode()

    # when it approves the draft
    response = client.post(f"/duties/editions/{draft.pk}/", {"to": EditionStatus.APPROVED})

    # then it is redirected back and the draft is approved
    assert "变更状态" in page
    assert response.status_code == 302
    assert response["Location"] == f"/duties/editions/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == EditionStatus.APPROVED


def test_the_staffing_office_publishes_with_number_and_date(client, draft, staffing_officer):
    # given an approved edition
    edition_transition(actor=staffing_officer, edition=draft, to=EditionStatus.APPROVED)
    client.force_login(staffing_officer)

    # when it is published on its page
    response = client.post(
        f"/duties/editions/{draft.pk}/",
        {
            "to": EditionStatus.PUBLISHED,
            "doc_no": "阿党办发〔2023〕5号",
            "published_on": "2023-03-01",
        },
    )

    # then it is published with the number and date
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.doc_no, draft.published_on) == (
        EditionStatus.PUBLISHED,
        "阿党办发〔2023〕5号",
        dt.date(2023, 3, 1),
    )


@pytest.mark.parametrize(
    ("status", "data", "errors"),
    [
        (
            EditionStatus.APPROVED,
            {"to": EditionStatus.PUBLISHED, "doc_no": "", "published_on": "2023-03-01"},
            {"doc_no": ["公布须填写文号和公布日期"]},
        ),
        (
            EditionStatus.DRAFT,
            {"to": EditionStatus.PUBLISHED, "doc_no": "阿党办发〔2023〕5号"},
            {"to": [f"选择一个有效的选项。 {EditionStatus.PUBLISHED} 不在可用的选项中。"]},
        ),
    ],
    ids=["publish-without-number", "draft-to-published"],
)
def test_a_refused_status_change_shows_the_error_and_changes_nothing(
    client, draft, staffing_officer, counts, status, data, errors
):
    # given an edition with the status
    if status == EditionStatus.APPROVED:
        edition_transition(actor=staffing_officer, edition=draft, to=status)
    client.force_login(staffing_officer)
    before = counts()

    # when the change is posted
    response = client.post(f"/duties/editions/{draft.pk}/", data)

    # then the page shows the error beside its field and nothing changes
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == errors
    assert counts() == before
    draft.refresh_from_db()
    assert draft.status == status


def test_a_town_operator_cannot_change_the_status(client, draft, tianchi_operator, counts):
    # given a town operator on the draft's page, which does not offer the change
    client.force_login(tianchi_operator)
    page = client.get(f"/duties/editions/{draft.pk}/").content.decode()
    before = counts()

    # when it posts the approval anyway
    response = client.post(f"/duties/editions/{draft.pk}/", {"to": EditionStatus.APPROVED})

    # then it is forbidden and the draft stays a draft
    assert "变更状态" not in page
    assert response.status_code == 403
    assert counts() == before
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT


# ------------------------------------------------------------------ replies


def test_a_town_operator_replies_for_its_own_town(client, consultation, org, tianchi_operator):
    # given the operator of 天池镇 on the round page, which offers only 天池镇
    client.force_login(tianchi_operator)
    page = client.get(f"/duties/rounds/{consultation.pk}/").content.decode()

    # when it replies 无修改意见
    response = client.post(
        f"/duties/rounds/{consultation.pk}/", reply_data(org.tianchi, no_changes="on")
    )

    # then the reply is kept and the page lists 天池镇 as replied
    assert options(page, "party") == ["天池镇"]
    assert response.status_code == 302
    assert response["Location"] == f"/duties/rounds/{consultation.pk}/"
    assert list(Reply.objects.values_list("party", "no_changes", "opinion", "item")) == [
        (org.tianchi.pk, True, "", None)
    ]
    html = client.get(f"/duties/rounds/{consultation.pk}/").content.decode()
    assert list_texts(html, "replied") == ["天池镇"]
    assert list_texts(html, "pending") == ["阿尔山市农牧和科技局", "白狼镇", "林海街道"]


def test_an_opinion_on_an_item_is_shown_on_the_round_page(
    client, consultation, draft, org, bailang_operator
):
    # given the operator of 白狼镇
    item = draft.items.get(code="JB-02")
    client.force_login(bailang_operator)

    # when it posts an opinion on JB-02
    response = client.post(
        f"/duties/rounds/{consultation.pk}/",
        reply_data(org.bailang, item=item.pk, opinion="建议明确党员教育的牵头单位"),
    )

    # then the opinion is listed with the item's code
    assert response.status_code == 302
    html = client.get(f"/duties/rounds/{consultation.pk}/").content.decode()
    assert list_texts(html, "opinions") == ["白狼镇(JB-02): 建议明确党员教育的牵头单位"]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"no_changes": "on", "opinion": "建议修改"},
            {"opinion": ["选择“无修改意见”时不填写具体意见"]},
        ),
        ({"no_changes": "on", "item": "JB-01"}, {"opinion": ["选择“无修改意见”时不填写具体意见"]}),
        ({}, {"opinion": ["请填写意见, 或选择“无修改意见”"]}),
        ({"opinion": "   "}, {"opinion": ["请填写意见, 或选择“无修改意见”"]}),
        (
            {"no_changes": "on", "replied_on": "2022-10-31"},
            {"replied_on": ["反馈日期不能早于发出日期"]},
        ),
        ({"no_changes": "on", "replied_on": ""}, {"replied_on": ["该字段是必填项。"]}),
        ({"no_changes": "on", "party": "bailang"}, {"party": [INVALID_CHOICE]}),
        ({"opinion": "意见", "item": "other"}, {"item": [INVALID_CHOICE]}),
    ],
    ids=[
        "no-changes-with-opinion",
        "no-changes-with-item",
        "nothing",
        "blank-opinion",
        "before-sent",
        "no-date",
        "another-towns-party",
        "item-of-another-edition",
    ],
)
def test_a_bad_reply_shows_the_error_and_saves_nothing(
    client,
    consultation,
    draft,
    duty_list,
    org,
    staffing_officer,
    tianchi_operator,
    counts,
    data,
    errors,
):
    # given the operator of 天池镇 and another draft of the list with its own JB-01
    other = edition_create(actor=staffing_officer, duty_list=duty_list, label="第二稿")
    add_item(staffing_officer, other, "JB-01", "另一稿的事项")
    data = dict(data)
    if "item" in data:
        data["item"] = (other if data["item"] == "other" else draft).items.get(code="JB-01").pk
    party = getattr(org, data.pop("party", "tianchi"))
    client.force_login(tianchi_operator)
    before = counts()

    # when the reply is posted
    response = client.post(f"/duties/rounds/{consultation.pk}/", reply_data(party, **data))

    # then the page shows the error beside its field and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == errors
    assert counts() == before


def test_a_second_no_changes_reply_is_refused_on_the_page(
    client, consultation, org, tianchi_operator, counts
):
    # given 天池镇 replied 无修改意见
    reply_record(
        actor=tianchi_operator,
        consultation=consultation,
        party=org.tianchi,
        replied_on=dt.date(2022, 11, 5),
        no_changes=True,
    )
    client.force_login(tianchi_operator)
    before = counts()

    # when it posts 无修改意见 again
    response = client.post(
        f"/duties/rounds/{consultation.pk}/", reply_data(org.tianchi, no_changes="on")
    )

    # then the page says so beside the party and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == {"party": ["天池镇已反馈无修改意见"]}
    assert counts() == before


def test_a_leader_cannot_reply_on_the_page(client, consultation, org, leader, counts):
    # given a county leader, who sees every party of the round
    client.force_login(leader)
    before = counts()

    # when the leader posts 天池镇's reply
    response = client.post(
        f"/duties/rounds/{consultation.pk}/", reply_data(org.tianchi, no_changes="on")
    )

    # then it is forbidden and nothing is saved
    assert response.status_code == 403
    assert counts() == before


# ------------------------------------------------------------------ query count


def fill(consultation: ConsultationRound, actor: User, parties: list[Any]) -> None:
    """Every party gives an opinion on JB-01 after its leadership meeting."""
    item = consultation.edition.items.get(code="JB-01")
    for party in parties:
        meeting_record(
            actor=actor,
            consultation=consultation,
            party=party,
            kind=MeetingKind.LEADERSHIP,
            held_on=dt.date(2022, 11, 4),
            conclusion="研究提出意见",
        )
        reply_record(
            actor=actor,
            consultation=consultation,
            party=party,
            replied_on=dt.date(2022, 11, 5),
            opinion=f"{party.name}的意见",
            item=item,
        )


@pytest.mark.parametrize("size", ["one-party", "seven-parties"])
def test_the_round_page_takes_a_bounded_number_of_queries(
    client, draft, org, staffing_officer, django_assert_max_num_queries, size
):
    # given a round sent to one party or to seven, each of which replied after a meeting
    parties = {
        "one-party": [org.tianchi],
        "seven-parties": [
            org.department,
            org.tianchi,
            org.tianchi_office,
            org.tianchi_center,
            org.bailang,
            org.bailang_center,
            org.linhai,
        ],
    }[size]
    consultation = round_start(
        actor=staffing_officer,
        edition=draft,
        title=ROUND_TITLE,
        sent_on=SENT,
        due_on=DUE,
        parties=parties,
    )
    fill(consultation, staffing_officer, parties)
    client.force_login(staffing_officer)

    # when the round page is opened
    with django_assert_max_num_queries(10):
        html = client.get(f"/duties/rounds/{consultation.pk}/").content.decode()

    # then every party's opinion is shown within the same number of queries
    assert len(list_texts(html, "opinions")) == len(parties)
