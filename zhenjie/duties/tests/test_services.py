"""The three lists: lists, editions and their items, status changes, comparison and consultation."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
    edition_compare,
    edition_create,
    edition_transition,
    meeting_record,
    reply_record,
    round_start,
    round_status,
)

pytestmark = pytest.mark.django_db

LIST_NAME = "关于苏木乡镇和街道职责事项指导清单"
SENT = dt.date(2022, 11, 1)
DUE = dt.date(2022, 11, 15)
DOC = "阿党办发〔2023〕5号"
PUBLISHED_ON = dt.date(2023, 3, 1)

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

# Every (from, to) pair of statuses; EDITION_TRANSITIONS allows exactly these four.
ALLOWED = [
    (EditionStatus.DRAFT, EditionStatus.APPROVED),
    (EditionStatus.APPROVED, EditionStatus.DRAFT),
    (EditionStatus.APPROVED, EditionStatus.PUBLISHED),
    (EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED),
]
DISALLOWED = [
    (old, new)
    for old in EditionStatus
    for new in EditionStatus
    if (old, new) not in ALLOWED
    and (old, new) != (EditionStatus.PUBLISHED, EditionStatus.PUBLISHED)
]


def denied(action: str, unit_name: str) -> str:
    return f"无权{action}: {unit_name}不在您的管理范围内或您的角色不允许此操作"


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


def add_items(actor: User, edition: Edition, *codes: str) -> list[DutyItem]:
    return [
        duty_item_save(
            actor=actor,
            edition=edition,
            code=code,
            name=f"事项{code}",
            area="党的建设",
            duty_class=DutyClass.BASIC,
            basis="《中国共产党农村基层组织工作条例》",
            responsible="基层党的建设办公室",
        )
        for code in codes
    ]


@pytest.fixture
def draft(duty_list: DutyList, staffing_officer: User) -> Edition:
    """The 征求意见稿 with two items."""
    edition = edition_create(actor=staffing_officer, duty_list=duty_list, label="征求意见稿")
    add_items(staffing_officer, edition, "JB-01", "JB-02")
    return edition


def bring(actor: User, edition: Edition, status: str) -> Edition:
    """Move a draft along the allowed path until it has ``status``."""
    path = {
        EditionStatus.DRAFT: [],
        EditionStatus.APPROVED: [EditionStatus.APPROVED],
        EditionStatus.PUBLISHED: [EditionStatus.APPROVED, EditionStatus.PUBLISHED],
        EditionStatus.SUPERSEDED: [
            EditionStatus.APPROVED,
            EditionStatus.PUBLISHED,
            EditionStatus.SUPERSEDED,
        ],
    }[EditionStatus(status)]
    for to in path:
        edition = edition_transition(
            actor=actor, edition=edition, to=to, doc_no=DOC, published_on=PUBLISHED_ON
        )
    return edition


@pytest.fixture
def published(draft: Edition, staffing_officer: User) -> Edition:
    return bring(staffing_officer, draft, EditionStatus.PUBLISHED)


@pytest.fixture
def consultation(org: Any, draft: Edition, staffing_officer: User) -> ConsultationRound:
    """The draft sent to the department, 天池镇, 白狼镇 and 林海街道."""
    return round_start(
        actor=staffing_officer,
        edition=draft,
        title="关于征求《职责事项指导清单(征求意见稿)》意见的函",
        sent_on=SENT,
        due_on=DUE,
        parties=[org.department, org.tianchi, org.bailang, org.linhai],
    )


def reply(actor: User, consultation: ConsultationRound, party: Any, **extra: Any) -> Reply:
    return reply_record(
        actor=actor,
        consultation=consultation,
        party=party,
        replied_on=extra.pop("replied_on", dt.date(2022, 11, 8)),
        **extra,
    )


# ---------------------------------------------------------------- duty_list_create


@pytest.mark.parametrize("kind", list(ListKind))
def test_staffing_office_opens_each_kind_of_list_on_its_county(org, staffing_officer, kind):
    # given the county staffing office
    # when it opens a list of the kind, the name padded with spaces
    duty_list = duty_list_create(
        actor=staffing_officer, county=org.county, kind=kind, name=f"  {kind.label}  "
    )

    # then the list is kept for the county under the trimmed name
    assert list(DutyList.objects.values_list("county", "kind", "name")) == [
        (org.county.pk, kind.value, kind.label)
    ]
    assert duty_list.editions.count() == 0


@pytest.mark.parametrize(
    ("user", "unit_name"),
    [
        ("tianchi_operator", "阿尔山市"),
        ("department_operator", "阿尔山市"),
        ("leader", "阿尔山市"),
    ],
)
def test_only_the_staffing_office_opens_a_list(request, org, counts, user, unit_name):
    # given a user of another role
    actor = request.getfixturevalue(user)
    before = counts()

    # when the user opens a list on the county
    with pytest.raises(PermissionDenied) as exc:
        duty_list_create(actor=actor, county=org.county, kind=ListKind.DUTY, name=LIST_NAME)

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("维护清单", unit_name)
    assert counts() == before


def test_another_countys_staffing_office_cannot_open_a_list_here(org, other_county, counts):
    # given the staffing office of 乌兰浩特市
    actor = User.objects.create_user(
        "wlht", password="wlht-password", role=Role.STAFFING_OFFICE, unit=other_county.county
    )
    before = counts()

    # when it opens a list on 阿尔山市
    with pytest.raises(PermissionDenied) as exc:
        duty_list_create(actor=actor, county=org.county, kind=ListKind.DUTY, name=LIST_NAME)

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("维护清单", "阿尔山市")
    assert counts() == before


@pytest.mark.parametrize("unit", ["department", "tianchi", "linhai", "tianchi_office"])
def test_a_list_is_opened_only_on_a_county_unit(org, staffing_officer, counts, unit):
    # given a unit inside the county that is not the county itself
    before = counts()

    # when the staffing office opens a list on it
    with pytest.raises(ValidationError) as exc:
        duty_list_create(
            actor=staffing_officer, county=getattr(org, unit), kind=ListKind.DUTY, name=LIST_NAME
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"county": ["清单按旗县(市、区)编制"]}
    assert counts() == before


def test_a_county_cannot_have_two_lists_of_the_same_name(duty_list, org, staffing_officer, counts):
    # given a list of the county
    before = counts()

    # when a second list with the same name is opened
    with pytest.raises(ValidationError) as exc:
        duty_list_create(
            actor=staffing_officer, county=org.county, kind=ListKind.SHARED, name=f"{LIST_NAME} "
        )

    # then it is refused and nothing is saved
    assert exc.value.messages == ["同名清单已存在"]
    assert counts() == before


# ---------------------------------------------------------------- edition_create


def test_a_new_edition_starts_as_an_empty_draft(duty_list, staffing_officer):
    # given a list without editions
    # when the staffing office creates an edition
    edition = edition_create(actor=staffing_officer, duty_list=duty_list, label=" 征求意见稿 ")

    # then it is an empty draft, recorded in the history with its author and reason
    edition.refresh_from_db()
    assert (edition.label, edition.status, edition.based_on, edition.text) == (
        "征求意见稿",
        EditionStatus.DRAFT,
        None,
        "",
    )
    assert edition.items.count() == 0
    assert list(edition.history.values_list("history_user", "history_change_reason")) == [
        (staffing_officer.pk, "新建版本")
    ]


def test_an_edition_based_on_the_published_one_copies_its_items(duty_list, org, staffing_officer):
    # given a published edition with a basic item and a shared item with every field filled in
    first = edition_create(actor=staffing_officer, duty_list=duty_list, label="2023年版")
    add_items(staffing_officer, first, "JB-01")
    duty_item_save(
        actor=staffing_officer,
        edition=first,
        code="GT-01",
        name="重大动物疫病防控",
        area="动物防疫",
        duty_class=DutyClass.COOPERATING,
        basis="《中华人民共和国动物防疫法》",
        responsible="乡村振兴办公室",
        lead_department=org.department,
        county_duties="制定防控方案",
        town_duties="组织免疫",
        cooperating="卫生健康委员会",
        workflow="部门部署 -> 镇街组织实施",
    )
    first = bring(staffing_officer, first, EditionStatus.PUBLISHED)
    compared = ["code", *DutyItem.COMPARED]

    # when a new edition is based on it (动态调整)
    revision = edition_create(
        actor=staffing_officer, duty_list=duty_list, label="2024年调整稿", based_on=first
    )

    # then the new draft holds its own copy of every item, and the published items stay
    assert (revision.status, revision.based_on_id) == (EditionStatus.DRAFT, first.pk)
    copies = list(revision.items.order_by("code").values_list(*compared))
    originals = list(first.items.order_by("code").values_list(*compared))
    assert copies == originals
    assert [(c[0], c[6]) for c in copies] == [("GT-01", org.department.pk), ("JB-01", None)]
    assert first.items.count() == 2
    assert set(revision.items.values_list("pk", flat=True)).isdisjoint(
        first.items.values_list("pk", flat=True)
    )


def test_an_edition_based_on_a_published_document_copies_its_text(org, staffing_officer):
    # given a published rules document
    rules = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.RULES, name="职责准入管理办法"
    )
    first = edition_create(actor=staffing_officer, duty_list=rules, label="初稿", text="第一条")
    first = bring(staffing_officer, first, EditionStatus.PUBLISHED)

    # when a new edition is based on it without its own text
    revision = edition_create(
        actor=staffing_officer, duty_list=rules, label="修订稿", based_on=first
    )

    # then the text is copied
    assert revision.text == "第一条"


@pytest.mark.parametrize(
    "status", [EditionStatus.DRAFT, EditionStatus.APPROVED, EditionStatus.SUPERSEDED]
)
def test_an_edition_cannot_be_based_on_an_unpublished_one(
    draft, duty_list, staffing_officer, counts, status
):
    # given an edition that is not the published one
    base = bring(staffing_officer, draft, status)
    before = counts()

    # when a new edition is based on it
    with pytest.raises(ValidationError) as exc:
        edition_create(actor=staffing_officer, duty_list=duty_list, label="调整稿", based_on=base)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"based_on": ["动态调整须基于现行公布版本"]}
    assert counts() == before


def test_an_edition_cannot_be_based_on_another_lists_edition(
    published, org, staffing_officer, counts
):
    # given a second list and the first list's published edition
    other = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.SHARED, name="共同承担事项责任清单"
    )
    before = counts()

    # when an edition of the second list is based on the first list's edition
    with pytest.raises(ValidationError) as exc:
        edition_create(actor=staffing_officer, duty_list=other, label="调整稿", based_on=published)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"based_on": ["只能基于同一清单的版本调整"]}
    assert counts() == before


def test_only_the_staffing_office_creates_an_edition(duty_list, tianchi_operator, counts):
    # given a town operator
    before = counts()

    # when the operator creates an edition
    with pytest.raises(PermissionDenied) as exc:
        edition_create(actor=tianchi_operator, duty_list=duty_list, label="征求意见稿")

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("维护清单", "阿尔山市")
    assert counts() == before


# ---------------------------------------------------------------- duty_item_save


def test_items_are_added_to_and_changed_in_a_draft(draft, org, staffing_officer):
    # given a draft with JB-01 and JB-02
    item = DutyItem.objects.get(edition=draft, code="JB-02")

    # when a shared item is added and JB-02 is renumbered and renamed
    added = duty_item_save(
        actor=staffing_officer,
        edition=draft,
        code=" GT-01 ",
        name="生产经营单位安全生产监管",
        area="安全生产",
        lead_department=org.department,
        county_duties="开展执法检查",
        town_duties="开展日常巡查",
        cooperating="相关行业主管部门",
        workflow="巡查 -> 报告 -> 处置",
    )
    duty_item_save(
        actor=staffing_officer, edition=draft, code="JB-03", item=item, name="改名后的事项"
    )

    # then the draft holds the three items as saved
    assert added.code == "GT-01"
    assert list(
        draft.items.order_by("code").values_list("code", "name", "lead_department", "duty_class")
    ) == [
        ("GT-01", "生产经营单位安全生产监管", org.department.pk, ""),
        ("JB-01", "事项JB-01", None, DutyClass.BASIC),
        ("JB-03", "改名后的事项", None, DutyClass.BASIC),
    ]


def test_an_item_keeps_its_own_code_when_changed(draft, staffing_officer):
    # given JB-01 of the draft
    item = DutyItem.objects.get(edition=draft, code="JB-01")

    # when it is saved again under its own code
    duty_item_save(actor=staffing_officer, edition=draft, code="JB-01", item=item, area="经济发展")

    # then the change is kept
    item.refresh_from_db()
    assert (item.code, item.area) == ("JB-01", "经济发展")


def test_an_approved_edition_cannot_be_changed(draft, staffing_officer, counts):
    # given the draft approved (审定稿)
    approved = bring(staffing_officer, draft, EditionStatus.APPROVED)
    before = counts()

    # when an item is added to it
    with pytest.raises(ValidationError) as exc:
        add_items(staffing_officer, approved, "JB-09")

    # then it is refused and nothing is saved
    assert exc.value.messages == [
        f"{LIST_NAME}(征求意见稿)当前为审定稿, 不能修改; 请新建版本进行调整"
    ]
    assert counts() == before


@pytest.mark.parametrize(
    ("code", "which"),
    [("JB-01", None), (" JB-01 ", None), ("JB-01", "JB-02")],
    ids=["new-item", "new-item-padded", "renumbered-item"],
)
def test_item_codes_are_unique_in_an_edition(draft, staffing_officer, counts, code, which):
    # given a draft with JB-01 and JB-02
    item = DutyItem.objects.get(edition=draft, code=which) if which else None
    before = counts()

    # when an item is saved under the code JB-01 that another item holds
    with pytest.raises(ValidationError) as exc:
        duty_item_save(
            actor=staffing_officer, edition=draft, code=code, item=item, name="重复编号的事项"
        )

    # then it is refused and nothing changes
    assert exc.value.message_dict == {"code": ["编号JB-01在该版本中已存在"]}
    assert counts() == before
    assert list(draft.items.order_by("code").values_list("code", "name")) == [
        ("JB-01", "事项JB-01"),
        ("JB-02", "事项JB-02"),
    ]


def test_the_same_code_may_be_used_in_another_edition(published, duty_list, staffing_officer):
    # given JB-01 in the published edition
    revision = edition_create(actor=staffing_officer, duty_list=duty_list, label="另一稿")

    # when a new draft gets its own JB-01
    add_items(staffing_officer, revision, "JB-01")

    # then both editions have a JB-01
    assert DutyItem.objects.filter(code="JB-01").count() == 2


def test_unknown_item_fields_are_refused(draft, staffing_officer, counts):
    # given a draft
    before = counts()

    # when an item is saved with fields the item does not have
    with pytest.raises(ValidationError) as exc:
        duty_item_save(
            actor=staffing_officer, edition=draft, code="JB-09", name="事项", edition_id=1, pk=5
        )

    # then it is refused and nothing is saved
    assert exc.value.messages == ["未知字段: edition_id、pk"]
    assert counts() == before


def test_only_the_staffing_office_saves_items(draft, tianchi_operator, counts):
    # given a town operator
    before = counts()

    # when the operator adds an item
    with pytest.raises(PermissionDenied) as exc:
        add_items(tianchi_operator, draft, "JB-09")

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("维护清单", "阿尔山市")
    assert counts() == before


# ---------------------------------------------------------------- edition_transition


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{a}-{b}" for a, b in ALLOWED])
def test_every_allowed_transition_works(draft, staffing_officer, old, new):
    # given an edition with the status ``old``
    edition = bring(staffing_officer, draft, old)

    # when the staffing office moves it to ``new``
    moved = edition_transition(
        actor=staffing_officer, edition=edition, to=new, doc_no=DOC, published_on=PUBLISHED_ON
    )

    # then the edition has the new status, the change recorded with its reason
    draft.refresh_from_db()
    assert (moved.status, draft.status) == (new, new)
    last = draft.history.order_by("-history_id").first()
    assert (last.status, last.history_user_id, last.history_change_reason) == (
        new,
        staffing_officer.pk,
        f"改为{new.label}",
    )


def test_publishing_records_the_document_number_and_date(draft, staffing_officer):
    # given an approved edition
    approved = bring(staffing_officer, draft, EditionStatus.APPROVED)

    # when it is published with a padded document number
    edition_transition(
        actor=staffing_officer,
        edition=approved,
        to=EditionStatus.PUBLISHED,
        doc_no=f" {DOC} ",
        published_on=PUBLISHED_ON,
    )

    # then the status, number and date are kept
    draft.refresh_from_db()
    assert (draft.status, draft.doc_no, draft.published_on) == (
        EditionStatus.PUBLISHED,
        DOC,
        PUBLISHED_ON,
    )


@pytest.mark.parametrize(("old", "new"), DISALLOWED, ids=[f"{a}-{b}" for a, b in DISALLOWED])
def test_every_disallowed_transition_is_refused(draft, staffing_officer, counts, old, new):
    # given an edition with the status ``old``
    edition = bring(staffing_officer, draft, old)
    before = counts()

    # when it is moved to ``new``
    with pytest.raises(ValidationError) as exc:
        edition_transition(
            actor=staffing_officer, edition=edition, to=new, doc_no=DOC, published_on=PUBLISHED_ON
        )

    # then it is refused and nothing changes
    assert exc.value.messages == [f"{LIST_NAME}(征求意见稿)当前为{old.label}, 不能改为{new.label}"]
    assert counts() == before
    draft.refresh_from_db()
    assert draft.status == old


def test_publishing_twice_is_refused(published, staffing_officer, counts):
    # given the published edition
    before = counts()

    # when it is published again
    with pytest.raises(ValidationError) as exc:
        edition_transition(
            actor=staffing_officer,
            edition=published,
            to=EditionStatus.PUBLISHED,
            doc_no="阿党办发〔2023〕9号",
            published_on=dt.date(2023, 4, 1),
        )

    # then it is refused and the number and date stay
    assert exc.value.messages == [f"{LIST_NAME}(征求意见稿)已公布, 不能重复公布"]
    assert counts() == before
    published.refresh_from_db()
    assert (published.doc_no, published.published_on) == (DOC, PUBLISHED_ON)


@pytest.mark.parametrize(
    ("doc_no", "published_on"),
    [("", PUBLISHED_ON), ("   ", PUBLISHED_ON), (DOC, None)],
    ids=["no-number", "blank-number", "no-date"],
)
def test_publishing_needs_the_document_number_and_date(
    draft, staffing_officer, counts, doc_no, published_on
):
    # given an approved edition
    approved = bring(staffing_officer, draft, EditionStatus.APPROVED)
    before = counts()

    # when it is published without a number or a date
    with pytest.raises(ValidationError) as exc:
        edition_transition(
            actor=staffing_officer,
            edition=approved,
            to=EditionStatus.PUBLISHED,
            doc_no=doc_no,
            published_on=published_on,
        )

    # then it is refused and nothing changes
    assert exc.value.message_dict == {"doc_no": ["公布须填写文号和公布日期"]}
    assert counts() == before
    draft.refresh_from_db()
    assert (draft.status, draft.doc_no, draft.published_on) == (EditionStatus.APPROVED, "", None)


def test_publishing_a_new_edition_supersedes_the_published_one(
    published, duty_list, staffing_officer
):
    # given the published edition and an approved revision based on it
    revision = edition_create(
        actor=staffing_officer, duty_list=duty_list, label="2024年调整稿", based_on=published
    )
    revision = edition_transition(
        actor=staffing_officer, edition=revision, to=EditionStatus.APPROVED
    )

    # when the revision is published
    edition_transition(
        actor=staffing_officer,
        edition=revision,
        to=EditionStatus.PUBLISHED,
        doc_no="阿党办发〔2024〕2号",
        published_on=dt.date(2024, 5, 1),
    )

    # then the revision is the one published edition and the former one is superseded
    assert dict(duty_list.editions.values_list("label", "status")) == {
        "征求意见稿": EditionStatus.SUPERSEDED,
        "2024年调整稿": EditionStatus.PUBLISHED,
    }
    last = published.history.order_by("-history_id").first()
    assert (last.status, last.history_change_reason) == (EditionStatus.SUPERSEDED, "被新版本替代")


def test_an_empty_edition_cannot_be_published(duty_list, staffing_officer, counts):
    # given an approved edition with neither items nor text
    empty = edition_create(actor=staffing_officer, duty_list=duty_list, label="空稿")
    empty = edition_transition(actor=staffing_officer, edition=empty, to=EditionStatus.APPROVED)
    before = counts()

    # when it is published
    with pytest.raises(ValidationError) as exc:
        edition_transition(
            actor=staffing_officer,
            edition=empty,
            to=EditionStatus.PUBLISHED,
            doc_no=DOC,
            published_on=PUBLISHED_ON,
        )

    # then it is refused and nothing changes
    assert exc.value.messages == ["空的版本不能公布"]
    assert counts() == before
    empty.refresh_from_db()
    assert empty.status == EditionStatus.APPROVED


def test_a_document_with_text_and_no_items_can_be_published(org, staffing_officer):
    # given an approved rules document with text only
    rules = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.RULES, name="职责准入管理办法"
    )
    edition = edition_create(
        actor=staffing_officer, duty_list=rules, label="征求意见稿", text="第一条 …"
    )

    # when it is approved and published
    edition = bring(staffing_officer, edition, EditionStatus.PUBLISHED)

    # then it is published
    assert edition.status == EditionStatus.PUBLISHED


@pytest.mark.parametrize("user", ["tianchi_operator", "department_operator", "leader"])
def test_only_the_staffing_office_changes_the_status(request, draft, counts, user):
    # given a user of another role
    actor = request.getfixturevalue(user)
    before = counts()

    # when the user approves the draft
    with pytest.raises(PermissionDenied) as exc:
        edition_transition(actor=actor, edition=draft, to=EditionStatus.APPROVED)

    # then it is refused and nothing changes
    assert str(exc.value) == denied("维护清单", "阿尔山市")
    assert counts() == before
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT


# ---------------------------------------------------------------- edition_compare


@pytest.fixture
def old_and_new(published, duty_list, staffing_officer) -> tuple[Edition, Edition]:
    """The published JB-01, JB-02 and a revision without JB-02, with JB-03 and JB-01 changed."""
    add_items_to = edition_create(actor=staffing_officer, duty_list=duty_list, label="调整稿")
    add_items(staffing_officer, add_items_to, "JB-01", "JB-03")
    item = DutyItem.objects.get(edition=add_items_to, code="JB-01")
    duty_item_save(
        actor=staffing_officer,
        edition=add_items_to,
        code="JB-01",
        item=item,
        name="落实基层党建工作责任制",
        duty_class=DutyClass.COOPERATING,
    )
    return published, add_items_to


def test_compare_lists_added_removed_and_changed_items(old_and_new, django_assert_num_queries):
    # given the published edition and a revision
    old, new = old_and_new

    # when they are compared (two queries)
    with django_assert_num_queries(2):
        diff = edition_compare(old=old, new=new)

    # then JB-03 is new, JB-02 is gone and JB-01 changed its name and class
    assert [i.code for i in diff.added] == ["JB-03"]
    assert [(i.code, i.edition_id) for i in diff.removed] == [("JB-02", old.pk)]
    assert [(a.name, b.name, fields) for a, b, fields in diff.changed] == [
        ("事项JB-01", "落实基层党建工作责任制", ["事项名称", "事项类别"])
    ]


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("name", "事项名称"),
        ("area", "领域"),
        ("duty_class", "事项类别"),
        ("basis", "依据"),
        ("responsible", "责任主体"),
        ("lead_department", "牵头(主体责任)部门"),
        ("county_duties", "县级部门职责(主体责任)"),
        ("town_duties", "镇(街道)职责(配合责任)"),
        ("cooperating", "协同部门"),
        ("workflow", "运行流程"),
    ],
)
def test_compare_names_each_changed_field_by_its_label(
    published, duty_list, org, staffing_officer, field, label
):
    # given a revision copied from the published edition
    revision = edition_create(
        actor=staffing_officer, duty_list=duty_list, label="调整稿", based_on=published
    )
    item = DutyItem.objects.get(edition=revision, code="JB-02")
    value = {"duty_class": DutyClass.RETURNED, "lead_department": org.department}.get(
        field, "新的内容"
    )

    # when one field of JB-02 is changed and the editions are compared
    duty_item_save(
        actor=staffing_officer, edition=revision, code="JB-02", item=item, **{field: value}
    )
    diff = edition_compare(old=published, new=revision)

    # then only JB-02 is changed, under that field's label
    assert (diff.added, diff.removed) == ([], [])
    assert [(b.code, fields) for _, b, fields in diff.changed] == [("JB-02", [label])]


def test_compare_of_a_copy_finds_nothing(published, duty_list, staffing_officer):
    # given an unchanged copy of the published edition
    revision = edition_create(
        actor=staffing_officer, duty_list=duty_list, label="调整稿", based_on=published
    )

    # when the two are compared
    diff = edition_compare(old=published, new=revision)

    # then nothing was added, removed or changed
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])


# ---------------------------------------------------------------- round_start


def test_a_draft_is_sent_to_the_chosen_parties(consultation, draft, org, staffing_officer):
    # given the round started on the draft
    # when it is read back
    consultation.refresh_from_db()

    # then it holds the draft, dates, author and the four parties
    assert (
        consultation.edition_id,
        consultation.sent_on,
        consultation.due_on,
        consultation.created_by_id,
    ) == (draft.pk, SENT, DUE, staffing_officer.pk)
    assert list(consultation.parties.order_by("path").values_list("name", flat=True)) == [
        "阿尔山市农牧和科技局",
        "天池镇",
        "白狼镇",
        "林海街道",
    ]


@pytest.mark.parametrize(
    "status", [EditionStatus.APPROVED, EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED]
)
def test_only_a_draft_is_sent_for_opinions(draft, org, staffing_officer, counts, status):
    # given an edition that is no longer a draft
    edition = bring(staffing_officer, draft, status)
    before = counts()

    # when a round is started on it
    with pytest.raises(ValidationError) as exc:
        round_start(
            actor=staffing_officer,
            edition=edition,
            title="征求意见",
            sent_on=SENT,
            due_on=DUE,
            parties=[org.tianchi],
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"edition": ["只能就征求意见稿征求意见"]}
    assert counts() == before


def test_a_round_needs_at_least_one_party(draft, staffing_officer, counts):
    # given a draft
    before = counts()

    # when a round is started with no party
    with pytest.raises(ValidationError) as exc:
        round_start(
            actor=staffing_officer,
            edition=draft,
            title="征求意见",
            sent_on=SENT,
            due_on=DUE,
            parties=[],
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"parties": ["请选择征求意见的部门和镇(街道)"]}
    assert counts() == before


def test_parties_must_be_in_the_county(draft, org, other_county, staffing_officer, counts):
    # given a draft of 阿尔山市 and units of 乌兰浩特市
    before = counts()

    # when a round is sent to 天池镇 and two units of the other county
    with pytest.raises(ValidationError) as exc:
        round_start(
            actor=staffing_officer,
            edition=draft,
            title="征求意见",
            sent_on=SENT,
            due_on=DUE,
            parties=[org.tianchi, other_county.department, other_county.town],
        )

    # then it is refused, naming the outsiders, and nothing is saved
    assert exc.value.message_dict == {"parties": ["不属于本旗县: 乌兰浩特市农牧局、义勒力特镇"]}
    assert counts() == before


def test_a_round_cannot_be_due_before_it_is_sent(draft, org, staffing_officer, counts):
    # given a draft
    before = counts()

    # when a round is due the day before it is sent
    with pytest.raises(ValidationError) as exc:
        round_start(
            actor=staffing_officer,
            edition=draft,
            title="征求意见",
            sent_on=SENT,
            due_on=SENT - dt.timedelta(days=1),
            parties=[org.tianchi],
        )

    # then it is refused and nothing is saved
    assert exc.value.messages == ["反馈截止日期不能早于发出日期"]
    assert counts() == before


def test_only_the_staffing_office_starts_a_round(draft, org, tianchi_operator, counts):
    # given a town operator
    before = counts()

    # when the operator starts a round
    with pytest.raises(PermissionDenied) as exc:
        round_start(
            actor=tianchi_operator,
            edition=draft,
            title="征求意见",
            sent_on=SENT,
            due_on=DUE,
            parties=[org.tianchi],
        )

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("维护清单", "阿尔山市")
    assert counts() == before


# ---------------------------------------------------------------- reply_record


@pytest.mark.parametrize(
    ("user", "party", "extra"),
    [
        ("tianchi_operator", "tianchi", {"no_changes": True}),
        ("bailang_operator", "bailang", {"opinion": " 建议补充依据 "}),
        ("department_operator", "department", {"opinion": "JB-01 宜由部门牵头", "item": "JB-01"}),
        ("staffing_officer", "linhai", {"no_changes": True}),
    ],
    ids=["town-no-changes", "town-overall-opinion", "department-item-opinion", "office-on-behalf"],
)
def test_a_consulted_party_replies(request, consultation, draft, org, user, party, extra):
    # given a round sent to the party and a user who may reply for it
    actor = request.getfixturevalue(user)
    if "item" in extra:
        extra["item"] = DutyItem.objects.get(edition=draft, code=extra["item"])

    # when the reply is recorded
    reply(actor, consultation, getattr(org, party), **extra)

    # then it is kept with the opinion trimmed
    assert list(
        Reply.objects.values_list("party", "no_changes", "opinion", "item", "replied_on")
    ) == [
        (
            getattr(org, party).pk,
            extra.get("no_changes", False),
            extra.get("opinion", "").strip(),
            extra["item"].pk if "item" in extra else None,
            dt.date(2022, 11, 8),
        )
    ]


def test_a_party_may_give_several_opinions(consultation, draft, org, bailang_operator):
    # given 白狼镇 consulted
    first, second = DutyItem.objects.filter(edition=draft).order_by("code")

    # when it replies on each item and on the whole
    reply(bailang_operator, consultation, org.bailang, opinion="意见一", item=first)
    reply(bailang_operator, consultation, org.bailang, opinion="意见二", item=second)
    reply(bailang_operator, consultation, org.bailang, opinion="总体意见")

    # then all three are kept
    assert list(Reply.objects.values_list("item", "opinion")) == [
        (first.pk, "意见一"),
        (second.pk, "意见二"),
        (None, "总体意见"),
    ]


def test_a_party_not_consulted_cannot_reply(org, draft, staffing_officer, counts):
    # given a round sent to 天池镇 only
    only_tianchi = round_start(
        actor=staffing_officer,
        edition=draft,
        title="征求意见",
        sent_on=SENT,
        due_on=DUE,
        parties=[org.tianchi],
    )
    before = counts()

    # when 白狼镇's reply is recorded
    with pytest.raises(ValidationError) as exc:
        reply(staffing_officer, only_tianchi, org.bailang, no_changes=True)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"party": ["未向白狼镇征求意见"]}
    assert counts() == before


@pytest.mark.parametrize(
    ("extra", "errors"),
    [
        (
            {"no_changes": True, "opinion": "建议修改"},
            {"opinion": ["选择“无修改意见”时不填写具体意见"]},
        ),
        (
            {"no_changes": True, "item": "draft"},
            {"opinion": ["选择“无修改意见”时不填写具体意见"]},
        ),
        ({}, {"opinion": ["请填写意见, 或选择“无修改意见”"]}),
        ({"opinion": "   "}, {"opinion": ["请填写意见, 或选择“无修改意见”"]}),
        ({"opinion": "意见", "item": "other"}, {"item": ["该事项不属于征求意见稿"]}),
        (
            {"no_changes": True, "replied_on": SENT - dt.timedelta(days=1)},
            {"replied_on": ["反馈日期不能早于发出日期"]},
        ),
    ],
    ids=[
        "no-changes-with-opinion",
        "no-changes-with-item",
        "nothing",
        "blank-opinion",
        "item-of-another-edition",
        "before-sent",
    ],
)
def test_a_reply_must_be_either_no_changes_or_an_opinion(
    consultation, draft, duty_list, org, staffing_officer, tianchi_operator, counts, extra, errors
):
    # given a round on the draft, and another draft of the list with its own JB-01
    other = edition_create(actor=staffing_officer, duty_list=duty_list, label="另一稿")
    add_items(staffing_officer, other, "JB-01")
    extra = dict(extra)
    if "item" in extra:
        extra["item"] = DutyItem.objects.get(
            edition=draft if extra["item"] == "draft" else other, code="JB-01"
        )
    before = counts()

    # when 天池镇's reply is recorded
    with pytest.raises(ValidationError) as exc:
        reply(tianchi_operator, consultation, org.tianchi, **extra)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == errors
    assert counts() == before


@pytest.mark.parametrize(
    "second",
    [{"no_changes": True}, {"opinion": "补充意见"}],
    ids=["no-changes-again", "opinion-after-no-changes"],
)
def test_a_party_that_replied_no_changes_cannot_reply_again(
    consultation, org, tianchi_operator, counts, second
):
    # given 天池镇 replied 无修改意见
    reply(tianchi_operator, consultation, org.tianchi, no_changes=True)
    before = counts()

    # when 天池镇 replies again
    with pytest.raises(ValidationError) as exc:
        reply(
            tianchi_operator, consultation, org.tianchi, replied_on=dt.date(2022, 11, 9), **second
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"party": ["天池镇已反馈无修改意见"]}
    assert counts() == before


def test_another_towns_operator_cannot_reply_for_tianchi(
    consultation, org, bailang_operator, counts
):
    # given the operator of 白狼镇
    before = counts()

    # when it records a reply for 天池镇
    with pytest.raises(PermissionDenied) as exc:
        reply(bailang_operator, consultation, org.tianchi, no_changes=True)

    # then it is refused and nothing changes
    assert str(exc.value) == denied("反馈意见", "天池镇")
    assert counts() == before
    assert round_status(consultation=consultation)["replied"] == []


def test_a_leader_cannot_reply(consultation, org, leader, counts):
    # given a county leader, who sees every party
    before = counts()

    # when the leader records 天池镇's reply
    with pytest.raises(PermissionDenied) as exc:
        reply(leader, consultation, org.tianchi, no_changes=True)

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("反馈意见", "天池镇")
    assert counts() == before


# ---------------------------------------------------------------- meeting_record


def test_leadership_and_directors_meetings_are_recorded(
    consultation, org, tianchi_operator, staffing_officer
):
    # given a round sent to 天池镇
    # when 天池镇 records its leadership meeting and the staffing office its directors' meeting
    meeting_record(
        actor=tianchi_operator,
        consultation=consultation,
        party=org.tianchi,
        kind=MeetingKind.LEADERSHIP,
        held_on=dt.date(2022, 11, 5),
        conclusion=" 经领导班子会议研究, 无修改意见 ",
    )
    meeting_record(
        actor=staffing_officer,
        consultation=consultation,
        party=org.county,
        kind=MeetingKind.DIRECTORS,
        held_on=dt.date(2022, 11, 16),
        conclusion="经编办主任办公会研究, 无修改意见",
    )

    # then both are kept in date order with trimmed conclusions
    assert list(consultation.meetings.values_list("party", "kind", "held_on", "conclusion")) == [
        (
            org.tianchi.pk,
            MeetingKind.LEADERSHIP,
            dt.date(2022, 11, 5),
            "经领导班子会议研究, 无修改意见",
        ),
        (
            org.county.pk,
            MeetingKind.DIRECTORS,
            dt.date(2022, 11, 16),
            "经编办主任办公会研究, 无修改意见",
        ),
    ]


def test_a_leadership_meeting_needs_a_consulted_party(org, draft, staffing_officer, counts):
    # given a round sent to 天池镇 only
    only_tianchi = round_start(
        actor=staffing_officer,
        edition=draft,
        title="征求意见",
        sent_on=SENT,
        due_on=DUE,
        parties=[org.tianchi],
    )
    before = counts()

    # when 白狼镇's leadership meeting is recorded
    with pytest.raises(ValidationError) as exc:
        meeting_record(
            actor=staffing_officer,
            consultation=only_tianchi,
            party=org.bailang,
            kind=MeetingKind.LEADERSHIP,
            held_on=dt.date(2022, 11, 5),
            conclusion="无修改意见",
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"party": ["未向白狼镇征求意见"]}
    assert counts() == before


def test_a_meeting_needs_a_conclusion(consultation, org, tianchi_operator, counts):
    # given a round sent to 天池镇
    before = counts()

    # when its leadership meeting is recorded with a blank conclusion
    with pytest.raises(ValidationError) as exc:
        meeting_record(
            actor=tianchi_operator,
            consultation=consultation,
            party=org.tianchi,
            kind=MeetingKind.LEADERSHIP,
            held_on=dt.date(2022, 11, 5),
            conclusion="  ",
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"conclusion": ["请填写会议结论"]}
    assert counts() == before


@pytest.mark.parametrize(
    ("user", "party", "kind", "unit_name"),
    [
        ("tianchi_operator", "tianchi", MeetingKind.DIRECTORS, "天池镇"),
        ("bailang_operator", "tianchi", MeetingKind.LEADERSHIP, "天池镇"),
        ("leader", "tianchi", MeetingKind.LEADERSHIP, "天池镇"),
        ("leader", "county", MeetingKind.DIRECTORS, "阿尔山市"),
    ],
    ids=["town-directors", "other-town", "leader-leadership", "leader-directors"],
)
def test_meetings_are_recorded_only_by_those_allowed(
    request, consultation, org, counts, user, party, kind, unit_name
):
    # given a user who may not record this meeting
    actor = request.getfixturevalue(user)
    before = counts()

    # when the user records it
    with pytest.raises(PermissionDenied) as exc:
        meeting_record(
            actor=actor,
            consultation=consultation,
            party=getattr(org, party),
            kind=kind,
            held_on=dt.date(2022, 11, 5),
            conclusion="无修改意见",
        )

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("登记研究会议", unit_name)
    assert counts() == before


# ---------------------------------------------------------------- round_status


def test_round_status_lists_replied_and_pending_parties(
    consultation, draft, org, tianchi_operator, bailang_operator, django_assert_num_queries
):
    # given 天池镇 replied 无修改意见 and 白狼镇 gave an opinion on JB-01, after its meeting
    item = DutyItem.objects.get(edition=draft, code="JB-01")
    reply(tianchi_operator, consultation, org.tianchi, no_changes=True)
    opinion = reply(
        bailang_operator,
        consultation,
        org.bailang,
        opinion="建议删除",
        item=item,
        replied_on=dt.date(2022, 11, 10),
    )
    meeting = meeting_record(
        actor=bailang_operator,
        consultation=consultation,
        party=org.bailang,
        kind=MeetingKind.LEADERSHIP,
        held_on=dt.date(2022, 11, 9),
        conclusion="建议删除JB-01",
    )

    # when the round's status is taken (three queries)
    with django_assert_num_queries(3):
        status = round_status(consultation=consultation)

    # then the two towns have replied and the department and the street are pending
    assert [p.name for p in status["parties"]] == [
        "阿尔山市农牧和科技局",
        "天池镇",
        "白狼镇",
        "林海街道",
    ]
    assert [p.name for p in status["replied"]] == ["天池镇", "白狼镇"]
    assert [p.name for p in status["pending"]] == ["阿尔山市农牧和科技局", "林海街道"]
    assert [(r.party.name, r.no_changes) for r in status["replies"]] == [
        ("天池镇", True),
        ("白狼镇", False),
    ]
    assert status["opinions"] == [opinion]
    assert status["meetings"] == [meeting]


def test_round_status_of_a_new_round_has_everyone_pending(consultation):
    # given a round nobody has answered
    # when its status is taken
    status = round_status(consultation=consultation)

    # then every party is pending and there is nothing else
    assert [p.name for p in status["pending"]] == [p.name for p in status["parties"]]
    assert len(status["parties"]) == 4
    assert (status["replied"], status["replies"], status["opinions"], status["meetings"]) == (
        [],
        [],
        [],
        [],
    )


@pytest.mark.parametrize(
    ("status", "shown"),
    [(EditionStatus.PUBLISHED, "已公布"), (EditionStatus.SUPERSEDED, "已被新版替代")],
)
def test_published_or_superseded_editions_cannot_be_changed(
    draft, staffing_officer, counts, status, shown
):
    # given the draft published (and, for the second case, replaced by a newer edition)
    edition = bring(staffing_officer, draft, EditionStatus.APPROVED)
    edition = edition_transition(
        actor=staffing_officer,
        edition=edition,
        to=EditionStatus.PUBLISHED,
        doc_no="阿编发〔2023〕1号",
        published_on=dt.date(2023, 1, 1),
    )
    if status == EditionStatus.SUPERSEDED:
        newer = edition_create(
            actor=staffing_officer, duty_list=edition.duty_list, label="2024版", based_on=edition
        )
        newer = bring(staffing_officer, newer, EditionStatus.APPROVED)
        edition_transition(
            actor=staffing_officer,
            edition=newer,
            to=EditionStatus.PUBLISHED,
            doc_no="阿编发〔2024〕1号",
            published_on=dt.date(2024, 1, 1),
        )
        edition.refresh_from_db()
    before = counts()

    # when an item is added
    with pytest.raises(ValidationError) as exc:
        add_items(staffing_officer, edition, "JB-09")

    # then the message names the status once and nothing is saved
    assert exc.value.messages == [
        f"{LIST_NAME}(征求意见稿)当前为{shown}, 不能修改; 请新建版本进行调整"
    ]
    assert counts() == before


def test_an_item_of_another_edition_cannot_be_changed_through_a_draft(
    draft, staffing_officer, counts
):
    # given a published edition and a new draft based on it
    published = bring(staffing_officer, draft, EditionStatus.APPROVED)
    published = edition_transition(
        actor=staffing_officer,
        edition=published,
        to=EditionStatus.PUBLISHED,
        doc_no="阿编发〔2023〕1号",
        published_on=dt.date(2023, 1, 1),
    )
    newer = edition_create(
        actor=staffing_officer, duty_list=published.duty_list, label="2024版", based_on=published
    )
    old_item = published.items.get(code="JB-01")
    before = counts()

    # when the published item is passed with the draft
    with pytest.raises(ValidationError) as exc:
        duty_item_save(
            actor=staffing_officer, edition=newer, code="JB-01", item=old_item, name="改名"
        )

    # then it is refused and the published item keeps its name
    assert exc.value.message_dict == {"code": ["该事项不属于此版本"]}
    assert counts() == before
    old_item.refresh_from_db()
    assert old_item.name != "改名"


def test_an_unknown_status_is_a_validation_error(draft, staffing_officer):
    with pytest.raises(ValidationError) as exc:
        edition_transition(actor=staffing_officer, edition=draft, to="bogus")
    assert exc.value.message_dict == {"to": ["状态无效"]}
