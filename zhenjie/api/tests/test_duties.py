"""The three lists, their consultation rounds and duty admission (职责准入) via the API."""

import pytest
from rest_framework.test import APIClient

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.duties.admission import admission_create
from zhenjie.duties.choices import ListKind, MatterType
from zhenjie.duties.models import DutyAdmission, DutyItem, Edition, TaskAssignment
from zhenjie.duties.services import duty_list_create, edition_create
from zhenjie.workflows.models import ApprovalRequest
from zhenjie.workflows.services import request_approve

from .helpers import DUTY_LISTS, changed, column, results
from .test_scope import denied, every_page

DOC = "阿党办发〔2025〕2号"


def draft_label(duties):
    return f"{duties.duty_list.name}(2025年调整稿)"


def admission_data(org, **overrides):
    data = {
        "department": org.department.pk,
        "title": "村级组织运转经费使用情况报送",
        "content": "每季度汇总报送村级组织运转经费使用情况",
        "matter_type": "administrative_affair",
        "legal_basis": "《村级组织运转经费保障办法》",
        "towns": [org.tianchi.pk, org.bailang.pk],
        "people_stated": 1,
    }
    data.update(overrides)
    return data


def hear(api, admission, operator, town, agrees=True):
    return api(operator).post(
        f"/api/v1/admissions/{admission.pk}/opinions/",
        {"unit": town.pk, "agrees": agrees, "opinion": "同意承担", "recorded_on": "2025-03-01"},
        format="json",
    )


# ------------------------------------------------------------------ lists and editions


def test_town_sees_its_countys_list_with_its_editions(api, duties, bailang_operator):
    # when the 白狼镇 operator lists the lists
    response = api(bailang_operator).get("/api/v1/duty-lists/")

    # then the county's list comes back with its editions, newest first
    [row] = results(response)
    assert (row["name"], row["kind"], row["county"]["name"]) == (
        "阿尔山市职责事项清单",
        "duty",
        "阿尔山市",
    )
    assert [(e["label"], e["status"]) for e in row["editions"]] == [
        ("2025年调整稿", "draft"),
        ("2024年版", "published"),
    ]


def test_staffing_office_opens_a_list(api, org, staffing_officer):
    # when the staffing office opens the county's shared-responsibility list
    response = api(staffing_officer).post(
        "/api/v1/duty-lists/",
        {"county": org.county.pk, "kind": "shared", "name": "阿尔山市共同承担事项责任清单"},
        format="json",
    )

    # then it is listed for the county, without editions yet
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["editions"]) == ("shared", [])


@pytest.mark.parametrize(
    ("county", "name", "errors"),
    [
        ("county", "阿尔山市职责事项清单", {"non_field_errors": ["同名清单已存在"]}),
        ("tianchi", "天池镇职责事项清单", {"county": ["清单按旗县(市、区)编制"]}),
    ],
    ids=["name-taken", "not-a-county"],
)
def test_bad_list_is_refused_and_nothing_is_saved(
    api, org, duties, staffing_officer, counts, county, name, errors
):
    # given the county's duty list
    before = counts()

    # when a list is opened under the same name, or for a town
    response = api(staffing_officer).post(
        "/api/v1/duty-lists/",
        {"county": getattr(org, county).pk, "kind": "duty", "name": name},
        format="json",
    )

    # then the exact reason comes back, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


def test_adjustment_starts_as_a_copy_of_the_published_edition(api, duties, staffing_officer):
    # when a new edition is based on the published one
    response = api(staffing_officer).post(
        "/api/v1/editions/",
        {
            "duty_list": duties.duty_list.pk,
            "label": "2026年调整稿",
            "based_on": duties.published.pk,
        },
        format="json",
    )

    # then it is a draft holding the published edition's items
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["next_statuses"], body["item_count"]) == ("draft", ["approved"], 2)
    assert body["based_on"]["label"] == "2024年版"


@pytest.mark.parametrize(
    ("based_on", "errors"),
    [
        ("draft", {"based_on": ["动态调整须基于现行公布版本"]}),
        ("other_list", {"based_on": ["只能基于同一清单的版本调整"]}),
    ],
    ids=["on-a-draft", "other-list"],
)
def test_bad_adjustment_is_refused_and_nothing_is_saved(
    api, org, duties, staffing_officer, counts, based_on, errors
):
    # given the published list, its draft, and an edition of another list
    other = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.RULES, name="职责准入管理办法"
    )
    editions = {
        "draft": duties.draft,
        "other_list": edition_create(actor=staffing_officer, duty_list=other, label="试行稿"),
    }
    before = counts()

    # when a new edition is based on the wrong one
    response = api(staffing_officer).post(
        "/api/v1/editions/",
        {"duty_list": duties.duty_list.pk, "label": "错误", "based_on": editions[based_on].pk},
        format="json",
    )

    # then it is refused on based_on, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


def test_draft_is_approved_then_published_replacing_the_current_edition(
    api, duties, staffing_officer
):
    # given the 2024 edition in force and the 2025 draft
    client = api(staffing_officer)
    url = f"/api/v1/editions/{duties.draft.pk}/transition/"

    # when the draft is approved, then published
    approved = client.post(url, {"to": "approved"}, format="json")
    published = client.post(
        url, {"to": "published", "doc_no": DOC, "published_on": "2025-04-01"}, format="json"
    )

    # then it is in force, and the 2024 edition is superseded
    assert (approved.status_code, approved.json()["next_statuses"]) == (200, ["draft", "published"])
    assert published.status_code == 200
    assert (published.json()["status"], published.json()["doc_no"]) == ("published", DOC)
    assert Edition.objects.get(pk=duties.published.pk).status == "superseded"


@pytest.mark.parametrize(
    ("first", "data", "errors"),
    [
        (
            None,
            {"to": "published"},
            {"non_field_errors": ["{draft}当前为征求意见稿, 不能改为已公布"]},
        ),
        ("approved", {"to": "published"}, {"doc_no": ["公布须填写文号和公布日期"]}),
        (None, {"to": "final"}, {"to": ["“final” 不是合法选项。"]}),
    ],
    ids=["skipping-approval", "no-number", "unknown-status"],
)
def test_bad_transition_is_refused_and_nothing_changes(
    api, duties, staffing_officer, counts, first, data, errors
):
    # given the draft (approved first where the case says so)
    client = api(staffing_officer)
    url = f"/api/v1/editions/{duties.draft.pk}/transition/"
    if first:
        assert client.post(url, {"to": first}, format="json").status_code == 200
    before = counts()

    # when it is moved where it may not go
    response = client.post(url, data, format="json")

    # then the exact reason comes back, and nothing changed
    assert response.status_code == 400
    assert response.json() == {
        key: [message.format(draft=draft_label(duties)) for message in messages]
        for key, messages in errors.items()
    }
    assert changed(before, counts()) == {}
    assert Edition.objects.get(pk=duties.draft.pk).status == (first or "draft")


def test_editions_are_compared_item_by_item(api, org, duties, staffing_officer):
    # when the draft is compared with the published edition
    response = api(staffing_officer).get(
        f"/api/v1/editions/{duties.draft.pk}/compare/", {"old": duties.published.pk}
    )

    # then 003 was added and 002's town duties changed
    assert response.status_code == 200
    body = response.json()
    assert (body["old"]["label"], body["new"]["label"], body["text_changed"]) == (
        "2024年版",
        "2025年调整稿",
        False,
    )
    assert [(item["code"], item["lead_department"]) for item in body["added"]] == [
        ("003", {"id": org.department.pk, "name": "阿尔山市农牧和科技局"})
    ]
    assert body["removed"] == []
    [change] = body["changed"]
    assert (change["old"]["town_duties"], change["new"]["town_duties"]) == (
        "组织实施",
        "配合开展巡查",
    )
    assert change["changed_fields"] == ["镇(街道)职责(配合责任)"]


def test_compare_needs_an_edition_of_the_same_list(api, org, duties, staffing_officer):
    # given an edition of another list
    other = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.RULES, name="职责准入管理办法"
    )
    rules = edition_create(actor=staffing_officer, duty_list=other, label="试行稿")
    client = api(staffing_officer)
    url = f"/api/v1/editions/{duties.draft.pk}/compare/"

    # when the draft is compared with it, or with nothing
    response = client.get(url, {"old": rules.pk})
    missing = client.get(url)

    # then the old edition is refused
    assert (response.status_code, response.json()) == (400, {"old": ["只能比较同一清单的版本"]})
    assert (missing.status_code, missing.json()) == (400, {"old": ["该字段是必填项。"]})


# ------------------------------------------------------------------ items


def test_items_are_added_and_changed_in_the_draft(api, org, duties, staffing_officer):
    # when an item is added to the draft, then renamed
    client = api(staffing_officer)
    created = client.post(
        "/api/v1/duty-items/",
        {
            "edition": duties.draft.pk,
            "code": "004",
            "name": "河湖长制",
            "duty_class": "cooperating",
            "lead_department": org.department.pk,
            "town_duties": "开展日常巡河",
        },
        format="json",
    )
    renamed = client.patch(
        f"/api/v1/duty-items/{created.json()['id']}/", {"name": "河湖长制日常巡查"}, format="json"
    )

    # then the item is in the draft under its new name, the rest unchanged
    assert created.status_code == 201
    assert renamed.status_code == 200
    item = DutyItem.objects.get(pk=created.json()["id"])
    assert (item.edition, item.code, item.name, item.town_duties, item.lead_department) == (
        duties.draft,
        "004",
        "河湖长制日常巡查",
        "开展日常巡河",
        org.department,
    )


@pytest.mark.parametrize(
    ("edition", "code", "errors"),
    [
        (
            "published",
            "009",
            {"non_field_errors": ["{list}(2024年版)当前为已公布, 不能修改; 请新建版本进行调整"]},
        ),
        ("draft", "001", {"code": ["编号001在该版本中已存在"]}),
    ],
    ids=["published", "code-taken"],
)
def test_bad_item_is_refused_and_nothing_is_saved(
    api, duties, staffing_officer, counts, edition, code, errors
):
    # given the published edition and the draft
    before = counts()

    # when an item is added to the published edition, or under a code in use
    response = api(staffing_officer).post(
        "/api/v1/duty-items/",
        {"edition": getattr(duties, edition).pk, "code": code, "name": "新事项"},
        format="json",
    )

    # then the exact reason comes back, and nothing was written
    assert response.status_code == 400
    assert response.json() == {
        key: [message.format(list=duties.duty_list.name) for message in messages]
        for key, messages in errors.items()
    }
    assert changed(before, counts()) == {}


# ------------------------------------------------------------------ consultation rounds


def test_round_shows_who_replied_and_who_did_not(api, org, duties, staffing_officer):
    # when the round on the draft is opened
    response = api(staffing_officer).get(f"/api/v1/consultation-rounds/{duties.consultation.pk}/")

    # then 天池镇's opinion on 002 is there; 农牧和科技局 and 白狼镇 have not replied
    body = response.json()
    assert body["reply_parties"] == 1
    assert [party["name"] for party in body["pending"]] == ["阿尔山市农牧和科技局", "白狼镇"]
    assert [(r["party"]["name"], r["item"]["code"], r["opinion"]) for r in body["replies"]] == [
        ("天池镇", "002", "建议明确巡查频次")
    ]


def test_staffing_office_starts_a_round(api, org, duties, staffing_officer):
    # when the draft is sent to the street for opinions
    response = api(staffing_officer).post(
        "/api/v1/consultation-rounds/",
        {
            "edition": duties.draft.pk,
            "title": "补充征求林海街道意见",
            "sent_on": "2025-03-01",
            "due_on": "2025-03-15",
            "parties": [org.linhai.pk],
        },
        format="json",
    )

    # then the round is open with the street as its party
    assert response.status_code == 201
    body = response.json()
    assert (body["parties"], body["reply_parties"], body["created_by"]) == (
        [{"id": org.linhai.pk, "name": "林海街道"}],
        0,
        "bianban",
    )


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"edition": "published"}, {"edition": ["只能就征求意见稿征求意见"]}),
        ({"parties": []}, {"parties": ["请选择征求意见的部门和镇(街道)"]}),
        ({"due_on": "2025-02-01"}, {"non_field_errors": ["反馈截止日期不能早于发出日期"]}),
    ],
    ids=["published", "no-parties", "due-before-sent"],
)
def test_bad_round_is_refused_and_nothing_is_saved(
    api, org, duties, staffing_officer, counts, overrides, errors
):
    # given the tables as they are
    before = counts()
    data = {
        "edition": duties.draft.pk,
        "title": "再次征求意见",
        "sent_on": "2025-03-01",
        "due_on": "2025-03-15",
        "parties": [org.tianchi.pk],
        **overrides,
    }
    if data["edition"] == "published":
        data["edition"] = duties.published.pk

    # when a round breaking a rule is started
    response = api(staffing_officer).post("/api/v1/consultation-rounds/", data, format="json")

    # then the exact reason comes back, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


def test_town_replies_and_records_its_meeting(api, org, duties, bailang_operator):
    # when 白狼镇 replies it has no changes and records the meeting that decided so
    client = api(bailang_operator)
    url = f"/api/v1/consultation-rounds/{duties.consultation.pk}"
    reply = client.post(
        f"{url}/replies/",
        {"party": org.bailang.pk, "replied_on": "2025-02-20", "no_changes": True},
        format="json",
    )
    meeting = client.post(
        f"{url}/meetings/",
        {
            "party": org.bailang.pk,
            "kind": "leadership",
            "held_on": "2025-02-18",
            "conclusion": "同意清单",
        },
        format="json",
    )

    # then both are recorded, and 白狼镇 is no longer pending
    assert reply.status_code == 201
    assert (reply.json()["party"]["name"], reply.json()["no_changes"], reply.json()["item"]) == (
        "白狼镇",
        True,
        None,
    )
    assert meeting.status_code == 201
    assert (meeting.json()["kind"], meeting.json()["round"]) == (
        "leadership",
        duties.consultation.pk,
    )
    status = client.get(f"{url}/").json()
    assert [party["name"] for party in status["pending"]] == ["阿尔山市农牧和科技局"]
    assert [m["conclusion"] for m in status["meetings"]] == ["同意清单"]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"party": "bailang"}, {"opinion": ["请填写意见, 或选择“无修改意见”"]}),
        (
            {"party": "bailang", "no_changes": True, "opinion": "略"},
            {"opinion": ["选择“无修改意见”时不填写具体意见"]},
        ),
        ({"party": "linhai", "opinion": "略"}, {"party": ["未向林海街道征求意见"]}),
        (
            {"party": "bailang", "opinion": "略", "replied_on": "2025-01-01"},
            {"replied_on": ["反馈日期不能早于发出日期"]},
        ),
    ],
    ids=["empty", "no-changes-with-opinion", "not-asked", "before-sent"],
)
def test_bad_reply_is_refused_and_nothing_is_saved(
    api, org, duties, staffing_officer, counts, data, errors
):
    # given the round sent to both towns and 农牧和科技局
    before = counts()
    body = {"replied_on": "2025-02-20", **data, "party": getattr(org, data["party"]).pk}

    # when a reply breaking a rule is recorded
    response = api(staffing_officer).post(
        f"/api/v1/consultation-rounds/{duties.consultation.pk}/replies/", body, format="json"
    )

    # then the exact reason comes back, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


# ------------------------------------------------------------------ duty admission


def test_admission_goes_from_draft_through_approval_to_assignment(
    api, org, staffing_officer, department_operator, tianchi_operator, bailang_operator, leader
):
    # given 农牧和科技局's application for both towns, which the department itself cannot see
    created = api(department_operator).post(
        "/api/v1/admissions/", admission_data(org), format="json"
    )
    assert created.status_code == 201
    assert (created.json()["status"], created.json()["towns"]) == (
        "draft",
        [{"id": org.tianchi.pk, "name": "天池镇"}, {"id": org.bailang.pk, "name": "白狼镇"}],
    )
    admission = DutyAdmission.objects.get(pk=created.json()["id"])

    # when both towns are heard and the department submits it
    assert hear(api, admission, tianchi_operator, org.tianchi).status_code == 201
    opinion = hear(api, admission, bailang_operator, org.bailang, agrees=False)
    submitted = api(department_operator).post(f"/api/v1/admissions/{admission.pk}/submit/")

    # then it is under approval, with the towns' opinions
    assert (opinion.status_code, opinion.json()["agrees"]) == (201, False)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert [(o["unit"]["name"], o["agrees"]) for o in submitted.json()["opinions"]] == [
        ("天池镇", True),
        ("白狼镇", False),
    ]

    # and once the county and the league approved it, the department assigns it to 天池镇
    league = User.objects.create_user(
        "mengling", password="x", role=Role.LEADER, unit=org.prefecture
    )
    request = ApprovalRequest.objects.get(pk=submitted.json()["request"])
    for approver in (staffing_officer, leader, league):
        request.refresh_from_db()
        request_approve(actor=approver, request=request, stage_id=request.current_stage_id)
    assigned = api(department_operator).post(
        f"/api/v1/admissions/{admission.pk}/assign/",
        {"unit": org.tianchi.pk, "assigned_on": "2025-06-01", "note": "每季度报送"},
        format="json",
    )
    assert assigned.status_code == 201
    assert (assigned.json()["unit"]["name"], assigned.json()["admission"]) == (
        "天池镇",
        admission.pk,
    )
    detail = api(department_operator).get(f"/api/v1/admissions/{admission.pk}/").json()
    assert detail["status"] == "approved"
    assert detail["duty_item"] is not None
    assert [a["note"] for a in detail["assignments"]] == ["每季度报送"]


def test_second_assignment_of_a_task_to_the_same_town_is_refused_and_nothing_is_saved(
    api,
    org,
    staffing_officer,
    department_operator,
    tianchi_operator,
    bailang_operator,
    leader,
    counts,
):
    # given 农牧和科技局's application, heard by both towns, admitted and handed to 天池镇
    created = api(department_operator).post(
        "/api/v1/admissions/", admission_data(org), format="json"
    )
    admission = DutyAdmission.objects.get(pk=created.json()["id"])
    for operator, town in ((tianchi_operator, org.tianchi), (bailang_operator, org.bailang)):
        assert hear(api, admission, operator, town).status_code == 201
    submitted = api(department_operator).post(f"/api/v1/admissions/{admission.pk}/submit/")
    league = User.objects.create_user(
        "mengling", password="x", role=Role.LEADER, unit=org.prefecture
    )
    request = ApprovalRequest.objects.get(pk=submitted.json()["request"])
    for approver in (staffing_officer, leader, league):
        request.refresh_from_db()
        request_approve(actor=approver, request=request, stage_id=request.current_stage_id)
    url = f"/api/v1/admissions/{admission.pk}/assign/"
    data = {"unit": org.tianchi.pk, "assigned_on": "2025-06-01"}
    assert api(department_operator).post(url, data, format="json").status_code == 201
    before = counts()

    # when it is handed to 天池镇 again
    response = api(department_operator).post(
        url, {**data, "assigned_on": "2025-07-01"}, format="json"
    )

    # then the reason comes back on the town, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"unit": [f"“{admission.title}”已交由天池镇承担, 不能重复交办"]}
    assert changed(before, counts()) == {}


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"matter_type": "penalty"},
            {
                "matter_type": [
                    "行政处罚、行政许可、行政强制等行政权力事项应通过赋权程序下放, 不适用职责准入"
                ]
            },
        ),
        ({"legal_basis": ""}, {"legal_basis": ["职责准入须写明法律法规或“三定”规定依据"]}),
        ({"people_stated": 0}, {"funds_stated": ["须明确随事项下沉的人员或经费(费随事转)"]}),
        ({"towns": []}, {"towns": ["请选择承担事项的镇(街道)"]}),
        ({"department": "tianchi"}, {"department": ["职责准入由旗县职能部门提出"]}),
    ],
    ids=["a-power", "no-basis", "no-resources", "no-towns", "not-a-department"],
)
def test_bad_admission_is_refused_and_nothing_is_saved(
    api, org, staffing_officer, counts, overrides, errors
):
    # given the tables as they are
    before = counts()
    if overrides.get("department") == "tianchi":
        overrides = {"department": org.tianchi.pk}

    # when an application breaking a rule is drafted
    response = api(staffing_officer).post(
        "/api/v1/admissions/", admission_data(org, **overrides), format="json"
    )

    # then the exact reason comes back, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


def test_submission_before_every_town_is_heard_is_refused(
    api, org, duties, staffing_officer, tianchi_operator, counts
):
    # given the application heard by 天池镇 only
    assert hear(api, duties.admission, tianchi_operator, org.tianchi).status_code == 201
    before = counts()

    # when it is submitted
    response = api(staffing_officer).post(f"/api/v1/admissions/{duties.admission.pk}/submit/")

    # then 白狼镇 is named, and nothing went for approval
    assert response.status_code == 400
    assert response.json() == {"admission": ["尚未听取以下镇(街道)的意见: 白狼镇"]}
    assert changed(before, counts()) == {}


@pytest.mark.parametrize(
    ("action", "data", "errors"),
    [
        (
            "opinions",
            {"unit": "tianchi", "agrees": True, "opinion": " ", "recorded_on": "2025-03-01"},
            {"opinion": ["请填写意见"]},
        ),
        (
            "opinions",
            {"unit": "linhai", "agrees": True, "opinion": "同意", "recorded_on": "2025-03-01"},
            {"unit": ["该申请未涉及林海街道"]},
        ),
        (
            "assign",
            {"unit": "tianchi", "assigned_on": "2025-06-01"},
            {"admission": ["该事项未经职责准入审批, 不能交由镇(街道)承担"]},
        ),
    ],
    ids=["blank-opinion", "town-not-named", "not-admitted"],
)
def test_bad_opinion_or_assignment_is_refused_and_nothing_is_saved(
    api, org, duties, staffing_officer, counts, action, data, errors
):
    # given the drafted application naming both towns
    before = counts()

    # when an opinion or an assignment breaking a rule is posted
    response = api(staffing_officer).post(
        f"/api/v1/admissions/{duties.admission.pk}/{action}/",
        {**data, "unit": getattr(org, data["unit"]).pk},
        format="json",
    )

    # then the exact reason comes back, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}
    assert TaskAssignment.objects.count() == 0


def test_admissions_filter_by_status(api, org, duties, staffing_officer):
    # when the drafts and the applications under approval are asked for
    client = api(staffing_officer)
    drafts = client.get("/api/v1/admissions/", {"status": "draft"})
    submitted = client.get("/api/v1/admissions/", {"status": "submitted"})

    # then the one draft is a draft, and none is under approval
    assert column(drafts, "id") == [duties.admission.pk]
    assert results(submitted) == []


# ------------------------------------------------------------------ who may see and change what


def test_town_sees_only_applications_naming_it(
    api, org, duties, staffing_officer, bailang_operator
):
    # given a second application naming 天池镇 only
    tianchi_only = admission_create(
        actor=staffing_officer,
        department=org.department,
        title="天池镇森林防火巡护",
        content="组织防火期巡护",
        matter_type=MatterType.PUBLIC_SERVICE,
        legal_basis="《森林防火条例》",
        towns=[org.tianchi],
        people_stated=2,
    )

    # when the 白狼镇 operator lists the applications and opens the other one
    rows = [
        row
        for page in every_page(api(bailang_operator), "/api/v1/admissions/")
        for row in results(page)
    ]
    response = api(bailang_operator).get(f"/api/v1/admissions/{tianchi_only.pk}/")

    # then only the one naming 白狼镇 is there, and the other does not exist for them
    assert [row["id"] for row in rows] == [duties.admission.pk]
    assert response.status_code == 404
    assert response.json()["detail"] == "职责准入申请不存在或不在您的权限范围内"


def test_another_countys_lists_are_not_visible(api, org, other_county, duties, staffing_officer):
    # given a list of 乌兰浩特市, kept by its own staffing office
    officer = User.objects.create_user(
        "wlht", password="x", role=Role.STAFFING_OFFICE, unit=other_county.county
    )
    other = duty_list_create(
        actor=officer, county=other_county.county, kind=ListKind.DUTY, name="乌兰浩特市职责事项清单"
    )
    edition = edition_create(actor=officer, duty_list=other, label="2025年版")

    # when 阿尔山市's staffing office lists the lists and opens that edition
    client = api(staffing_officer)
    names = column(client.get("/api/v1/duty-lists/"), "name")
    response = client.get(f"/api/v1/editions/{edition.pk}/")

    # then only its own county's list is there, and the edition does not exist for it
    assert names == ["阿尔山市职责事项清单"]
    assert response.status_code == 404


DUTY_WRITES = [
    (
        "post",
        "duty-lists/",
        lambda o, d: {"county": o.county.pk, "kind": "shared", "name": "共同承担事项责任清单"},
        denied("维护清单", "阿尔山市"),
    ),
    (
        "post",
        "editions/",
        lambda o, d: {"duty_list": d.duty_list.pk, "label": "2026年调整稿"},
        denied("维护清单", "阿尔山市"),
    ),
    (
        "post",
        "editions/{draft}/transition/",
        lambda o, d: {"to": "approved"},
        denied("维护清单", "阿尔山市"),
    ),
    (
        "post",
        "duty-items/",
        lambda o, d: {"edition": d.draft.pk, "code": "009", "name": "新事项"},
        denied("维护清单", "阿尔山市"),
    ),
    ("patch", "duty-items/{item}/", lambda o, d: {"name": "改名"}, denied("维护清单", "阿尔山市")),
    (
        "post",
        "consultation-rounds/",
        lambda o, d: {
            "edition": d.draft.pk,
            "title": "再次征求意见",
            "sent_on": "2025-03-01",
            "due_on": "2025-03-15",
            "parties": [o.tianchi.pk],
        },
        denied("维护清单", "阿尔山市"),
    ),
    (
        "post",
        "consultation-rounds/{round}/replies/",
        lambda o, d: {"party": o.bailang.pk, "replied_on": "2025-02-20", "no_changes": True},
        denied("反馈意见", "白狼镇"),
    ),
    (
        "post",
        "consultation-rounds/{round}/meetings/",
        lambda o, d: {
            "party": o.county.pk,
            "kind": "directors",
            "held_on": "2025-03-01",
            "conclusion": "通过",
        },
        denied("登记研究会议", "阿尔山市"),
    ),
    (
        "post",
        "admissions/",
        lambda o, d: admission_data(o),
        denied("提出职责准入申请", "阿尔山市农牧和科技局"),
    ),
    (
        "post",
        "admissions/{admission}/opinions/",
        lambda o, d: {
            "unit": o.tianchi.pk,
            "agrees": True,
            "opinion": "同意",
            "recorded_on": "2025-03-01",
        },
        denied("提出意见", "天池镇"),
    ),
    (
        "post",
        "admissions/{admission}/submit/",
        lambda o, d: None,
        denied("提交职责准入申请", "阿尔山市农牧和科技局"),
    ),
    (
        "post",
        "admissions/{admission}/assign/",
        lambda o, d: {"unit": o.tianchi.pk, "assigned_on": "2025-06-01"},
        denied("交办任务", "阿尔山市农牧和科技局"),
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "data", "detail"),
    DUTY_WRITES,
    ids=[
        "list",
        "edition",
        "transition",
        "item-add",
        "item-change",
        "round",
        "reply",
        "meeting",
        "admission",
        "opinion",
        "submit",
        "assign",
    ],
)
def test_leader_may_not_write(api, org, duties, leader, counts, method, path, data, detail):
    # given the county leader, who sees the county's lists and applications
    ids = {
        "draft": duties.draft.pk,
        "item": duties.draft.items.get(code="001").pk,
        "round": duties.consultation.pk,
        "admission": duties.admission.pk,
    }
    before = counts()

    # when the leader calls a write with valid input
    response = getattr(api(leader), method)(
        f"/api/v1/{path.format(**ids)}", data(org, duties), format="json"
    )

    # then it is forbidden with the service's reason, and nothing changed
    assert response.status_code == 403
    assert response.json() == {"detail": detail}
    assert changed(before, counts()) == {}
    assert Edition.objects.get(pk=duties.draft.pk).status == "draft"


@pytest.mark.parametrize("name", DUTY_LISTS)
def test_lists_need_a_token(org, name):
    # when a list is asked for without a token
    response = APIClient().get(f"/api/v1/{name}/")

    # then it is refused
    assert response.status_code == 403
    assert response.json() == {"detail": "身份认证信息未提供。"}


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # token, the user's unit, then count and page; lists prefetch their editions, rounds
        # their parties, applications their towns, opinions and assignments
        ("duty-lists", 5),
        ("editions", 4),
        ("duty-items", 4),
        ("consultation-rounds", 5),
        ("admissions", 7),
    ],
)
def test_lists_take_a_fixed_number_of_queries(
    api,
    org,
    duties,
    staffing_officer,
    department_operator,
    django_assert_num_queries,
    name,
    queries,
):
    # given every register with several rows the staffing office sees
    duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.SHARED, name="共同承担事项责任清单"
    )
    api(staffing_officer).post(
        "/api/v1/consultation-rounds/",
        {
            "edition": duties.draft.pk,
            "title": "补充征求意见",
            "sent_on": "2025-03-01",
            "due_on": "2025-03-15",
            "parties": [org.linhai.pk],
        },
        format="json",
    )
    api(department_operator).post("/api/v1/admissions/", admission_data(org), format="json")
    client = api(staffing_officer)
    assert client.get(f"/api/v1/{name}/").json()["count"] >= 2

    # when a list is read, then its queries do not grow with its rows
    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/{name}/")
    assert response.status_code == 200
