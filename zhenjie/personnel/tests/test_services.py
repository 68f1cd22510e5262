"""The real-name register: registration, enrolment on quota, exit, posts and quota transfers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhenjie.conftest import resident_id
from zhenjie.organizations.services import unit_abolish
from zhenjie.personnel.choices import EntryChannel, ExitReason, PostKind
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.personnel.services import (
    person_enrol,
    person_exit,
    person_register,
    person_update,
    post_assign,
    post_end,
    quota_transfer,
)
from zhenjie.staffing.choices import LeadershipLevel, MovementKind
from zhenjie.staffing.models import QuotaTransfer
from zhenjie.staffing.selectors import quota_balance

pytestmark = pytest.mark.django_db

JAN = dt.date(2024, 1, 1)
MAR = dt.date(2024, 3, 1)
JUN = dt.date(2024, 6, 1)
JUL = dt.date(2024, 7, 1)
TODAY = dt.date(2024, 8, 1)
BORN = dt.date(1998, 5, 20)
DOC = "阿机编发〔2024〕12号"
HARD_LIMIT = "(国务院令第486号第6条: 实有人员不得突破规定的编制)"
NOT_EDITABLE = "无权修改此人员: 其编制和工作岗位不在您的管理范围内"


def denied(action: str, unit_name: str) -> str:
    return f"无权{action}: {unit_name}不在您的管理范围内或您的角色不允许此操作"


def enrol_as(actor, person, unit, quota_type, on=MAR, channel=EntryChannel.CIVIL_SERVICE_EXAM):
    return person_enrol(
        actor=actor,
        person=person,
        unit=unit,
        quota_type=quota_type,
        channel=channel,
        start_date=on,
        doc_no="阿人社发〔2024〕3号",
    )


def assign(actor, person, unit, title="综合文秘", kind=PostKind.MAIN, on=MAR, **extra):
    return post_assign(
        actor=actor, person=person, unit=unit, title=title, kind=kind, start_date=on, **extra
    )


@pytest.fixture
def zhang(org, qt, grant_quota, register_person, enrol):
    """张三, enrolled on one of 天池镇's 2 places of 行政编制 since Mar 1."""
    grant_quota(org.tianchi, qt.administrative, 2, on=JAN)
    person = register_person("张三")
    enrol(person, org.tianchi, qt.administrative, on=MAR)
    return person


# ---------------------------------------------------------------- person_register


@pytest.mark.parametrize(
    ("birth", "female", "gender"),
    [(BORN, False, "M"), (dt.date(2000, 2, 29), True, "F")],
    ids=["man", "woman-born-on-leap-day"],
)
def test_person_register_derives_gender_and_birth_date_from_the_id(
    org, tianchi_operator, birth, female, gender
):
    # given a town operator and a valid ID number
    number = resident_id(birth, 3, female=female)

    # when they register the person with trimmed details
    person = person_register(
        actor=tianchi_operator,
        name=" 李四 ",
        id_number=number,
        phone=" 13812345678 ",
        ethnicity="蒙古族",
    )

    # then gender and birth date come from the number and the registrar is recorded
    person.refresh_from_db()
    assert (person.name, person.id_number, person.gender, person.birth_date) == (
        "李四",
        number,
        gender,
        birth,
    )
    assert (person.phone, person.ethnicity, person.created_by) == (
        "13812345678",
        "蒙古族",
        tianchi_operator,
    )
    latest = person.history.first()
    assert (person.history.count(), latest.history_user, latest.history_change_reason) == (
        1,
        tianchi_operator,
        "实名登记",
    )


def test_person_register_stores_the_normalised_id_number(org, staffing_officer):
    # given an ID number typed with a lowercase check letter and blanks
    # when the person is registered
    person = person_register(actor=staffing_officer, name="王芳", id_number=" 11010519491231002x ")

    # then the canonical number is stored and shown masked
    person.refresh_from_db()
    assert (person.id_number, person.masked_id_number) == (
        "11010519491231002X",
        "110105********002X",
    )


def test_person_register_refuses_a_duplicate_id_number(org, staffing_officer, row_counts):
    # given 王芳 registered with 11010519491231002X
    person_register(actor=staffing_officer, name="王芳", id_number="11010519491231002X")
    before = row_counts()

    # when someone else is registered with the same number typed in lowercase
    with pytest.raises(ValidationError) as exc:
        person_register(actor=staffing_officer, name="王小芳", id_number="11010519491231002x")

    # then the masked number and the holder are named, and nothing is saved
    assert exc.value.message_dict == {
        "id_number": ["身份证号码110105********002X已登记(王芳), 不能重复登记"]
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("110105194912310021", "身份证号码校验位错误"),
        ("15220219980520", "身份证号码应为18位"),
        ("1522021998052001A1", "身份证号码格式错误"),
        (resident_id("19980230", 1), "身份证号码中的出生日期无效"),
        (resident_id(dt.date(2024, 8, 2), 1), "身份证号码中的出生日期晚于今天"),
        (resident_id(BORN, 1, region="992202"), "身份证号码的地区码无效"),
    ],
    ids=[
        "bad-checksum",
        "too-short",
        "letter-inside",
        "february-30",
        "born-tomorrow",
        "bad-region",
    ],
)
def test_person_register_refuses_an_invalid_id_number(
    org, staffing_officer, row_counts, id_number, message
):
    # given the 编办 on 2024-08-01
    before = row_counts()

    # when a person is registered with an invalid ID number
    with pytest.raises(ValidationError) as exc:
        person_register(actor=staffing_officer, name="李四", id_number=id_number, today=TODAY)

    # then the ID error is reported on the field and nothing is saved
    assert exc.value.message_dict == {"id_number": [message]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("name", "details", "field", "message"),
    [
        ("  ", {}, "name", "请填写姓名"),
        ("李四", {"phone": "138-1234-5678"}, "phone", "联系电话应为7-12位数字"),
        ("李四", {"phone": "123456"}, "phone", "联系电话应为7-12位数字"),
        ("李四", {"phone": "1381234567890"}, "phone", "联系电话应为7-12位数字"),
    ],
    ids=["blank-name", "phone-with-dashes", "phone-too-short", "phone-too-long"],
)
def test_person_register_refuses_bad_details(
    org, staffing_officer, make_id_number, row_counts, name, details, field, message
):
    # given a valid ID number
    number = make_id_number()
    before = row_counts()

    # when the person is registered with a blank name or a bad phone number
    with pytest.raises(ValidationError) as exc:
        person_register(actor=staffing_officer, name=name, id_number=number, **details)

    # then the exact reason is given and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_person_register_refuses_fields_derived_from_the_id(
    org, staffing_officer, make_id_number, row_counts
):
    # given a valid ID number
    number = make_id_number()
    before = row_counts()

    # when gender and birth date are passed in directly
    with pytest.raises(ValidationError) as exc:
        person_register(
            actor=staffing_officer, name="李四", id_number=number, gender="F", birth_date=BORN
        )

    # then they are refused as unknown fields and nothing is saved
    assert exc.value.messages == ["未知字段: birth_date、gender"]
    assert row_counts() == before


def test_person_register_is_denied_to_a_leader(org, leader, make_id_number, row_counts):
    # given a county leader
    before = row_counts()

    # when they register a person
    with pytest.raises(PermissionDenied) as exc:
        person_register(actor=leader, name="李四", id_number=make_id_number())

    # then it is denied and nothing is saved
    assert str(exc.value) == "您的角色不能登记人员"
    assert row_counts() == before


# ---------------------------------------------------------------- person_update and history


def test_person_update_adds_a_history_record_by_the_actor(zhang, tianchi_operator):
    # given 张三 enrolled in 天池镇, with one history record (registration)
    assert zhang.history.count() == 1

    # when 天池镇's operator corrects the phone number and education
    person = person_update(
        actor=tianchi_operator, person=zhang, today=TODAY, phone="04828712345", education="bachelor"
    )

    # then the change is saved and a history record names the operator and the reason
    person.refresh_from_db()
    assert (person.phone, person.education) == ("04828712345", "bachelor")
    latest = person.history.first()
    assert person.history.count() == 2
    assert (latest.history_user, latest.history_change_reason, latest.phone) == (
        tianchi_operator,
        "修改人员信息",
        "04828712345",
    )
    assert latest.prev_record.phone == ""


def test_person_update_without_a_change_adds_no_history(zhang, tianchi_operator):
    # given 张三 with one history record
    # when the same name is saved again
    person_update(actor=tianchi_operator, person=zhang, today=TODAY, name="张三")

    # then no history record is added
    assert zhang.history.count() == 1


def test_person_update_rederives_gender_and_birth_date_from_a_new_id(zhang, staffing_officer):
    # given 张三 registered as a man born 1998-05-20
    corrected = resident_id(dt.date(1997, 11, 3), 9, female=True)

    # when his ID number is corrected to a woman's born 1997-11-03
    person = person_update(actor=staffing_officer, person=zhang, today=TODAY, id_number=corrected)

    # then gender and birth date follow the new number
    person.refresh_from_db()
    assert (person.id_number, person.gender, person.birth_date) == (
        corrected,
        "F",
        dt.date(1997, 11, 3),
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "身份证号码校验位错误"),
        ({"id_number": "11010519491231002X"}, "id_number", "该身份证号码已登记给其他人员"),
        ({"phone": "12345"}, "phone", "联系电话应为7-12位数字"),
    ],
    ids=["bad-id", "id-of-someone-else", "bad-phone"],
)
def test_person_update_refuses_bad_input(
    zhang, staffing_officer, row_counts, changes, field, message
):
    # given 张三 and 王芳 (11010519491231002X)
    person_register(actor=staffing_officer, name="王芳", id_number="11010519491231002X")
    before = row_counts()

    # when 张三 is given a bad ID number, 王芳's number or a bad phone number
    with pytest.raises(ValidationError) as exc:
        person_update(actor=staffing_officer, person=zhang, today=TODAY, **changes)

    # then the exact reason is given and nothing changes
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before
    assert Person.objects.get(pk=zhang.pk).id_number == zhang.id_number


@pytest.mark.parametrize("user", ["bailang_operator", "leader", "department_operator"])
def test_person_update_is_denied_outside_the_actor_scope(request, zhang, row_counts, user):
    # given 张三 enrolled in 天池镇 and a user whose scope or role does not cover him
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they change his phone number
    with pytest.raises(PermissionDenied) as exc:
        person_update(actor=actor, person=zhang, today=TODAY, phone="13800000000")

    # then it is denied, nothing changes and no history is added
    assert str(exc.value) == NOT_EDITABLE
    assert row_counts() == before
    assert Person.objects.get(pk=zhang.pk).phone == ""
    assert zhang.history.count() == 1


# ---------------------------------------------------------------- person_enrol


def test_person_enrol_places_a_person_on_a_vacant_place(
    org, qt, grant_quota, register_person, tianchi_operator
):
    # given 天池镇 with 1 place of 行政编制 and a registered person
    grant_quota(org.tianchi, qt.administrative, 1, on=JAN)
    person = register_person("李四")

    # when 天池镇's operator enrols him on Mar 1
    outcome = enrol_as(
        tianchi_operator,
        person,
        org.tianchi,
        qt.administrative,
        channel=EntryChannel.SELECTED_GRADUATE,
    )

    # then the enrolment is saved without warning and attributed to the operator
    enrolment = Enrolment.objects.get()
    assert (outcome.obj, outcome.warnings) == (enrolment, [])
    assert (
        enrolment.person,
        enrolment.unit,
        enrolment.quota_type,
        enrolment.channel,
        enrolment.start_date,
        enrolment.end_date,
    ) == (person, org.tianchi, qt.administrative, EntryChannel.SELECTED_GRADUATE, MAR, None)
    assert enrolment.history.first().history_user == tianchi_operator


def test_person_enrol_refuses_beyond_the_quota_in_hard_mode(
    zhang, org, qt, register_person, enrol, tianchi_operator, row_counts
):
    # given 天池镇's 2 places of 行政编制 both taken (张三 and 李四)
    enrol(register_person("李四"), org.tianchi, qt.administrative)
    wang = register_person("王五")
    before = row_counts()

    # when a third person is enrolled
    with pytest.raises(ValidationError) as exc:
        enrol_as(tianchi_operator, wang, org.tianchi, qt.administrative, on=JUN)

    # then the numbers and the rule are named and nothing is saved
    assert exc.value.message_dict == {
        "quota_type": [f"天池镇的行政编制核定2名, 已有2人在编, 无空编可用{HARD_LIMIT}"]
    }
    assert row_counts() == before


def test_person_enrol_refuses_a_unit_without_quota(
    org, qt, register_person, staffing_officer, row_counts
):
    # given 白狼镇 with no 机关工勤编制 approved
    person = register_person("李四")
    before = row_counts()

    # when a person is enrolled on it
    with pytest.raises(ValidationError) as exc:
        enrol_as(staffing_officer, person, org.bailang, qt.organ_worker)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {
        "quota_type": [f"白狼镇的机关工勤编制核定0名, 已有0人在编, 无空编可用{HARD_LIMIT}"]
    }
    assert row_counts() == before


def test_person_enrol_warns_beyond_the_quota_in_warn_mode(
    settings, zhang, org, qt, register_person, enrol, tianchi_operator
):
    # given warn mode and 天池镇's 2 places both taken
    settings.ZHENJIE = {**settings.ZHENJIE, "QUOTA_ENFORCEMENT": "warn"}
    enrol(register_person("李四"), org.tianchi, qt.administrative)
    wang = register_person("王五")

    # when a third person is enrolled
    outcome = enrol_as(tianchi_operator, wang, org.tianchi, qt.administrative, on=JUN)

    # then the enrolment is saved with the warning
    assert outcome.warnings == [f"天池镇的行政编制核定2名, 已有2人在编, 无空编可用{HARD_LIMIT}"]
    assert Enrolment.objects.filter(unit=org.tianchi).active_on(JUN).count() == 3
    assert outcome.obj.person == wang


def test_person_enrol_refuses_someone_already_enrolled(
    zhang, org, qt, grant_quota, staffing_officer, row_counts
):
    # given 张三 enrolled in 天池镇 and a vacant place in 白狼镇
    grant_quota(org.bailang, qt.administrative, 1, on=JAN)
    before = row_counts()

    # when he is enrolled in 白狼镇 as well
    with pytest.raises(ValidationError) as exc:
        enrol_as(staffing_officer, zhang, org.bailang, qt.administrative, on=JUN)

    # then the current enrolment is named and nothing is saved
    assert exc.value.message_dict == {"unit": ["张三已在天池镇在编, 须先办理出编"]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("unit", "quota_type", "message"),
    [
        ("tianchi", "institution", "事业编制只能用于事业单位, 天池镇是党政机关"),
        (
            "tianchi_center",
            "administrative",
            "行政编制只能用于党政机关, 天池镇综合保障和技术推广中心是事业单位",
        ),
        (
            "tianchi_office",
            "administrative",
            "天池镇党政综合办公室是内设机构, 不单独核定编制; 请在天池镇核定",
        ),
    ],
    ids=["institution-on-town", "administrative-on-center", "internal-office"],
)
def test_person_enrol_refuses_a_quota_type_of_the_wrong_nature(
    org, qt, grant_quota, register_person, staffing_officer, row_counts, unit, quota_type, message
):
    # given quotas on both the town and its center, and a registered person
    grant_quota(org.tianchi, qt.administrative, 2, on=JAN)
    grant_quota(org.tianchi_center, qt.institution, 2, on=JAN)
    person = register_person("李四")
    before = row_counts()

    # when the person is enrolled on a quota type the unit may not hold
    with pytest.raises(ValidationError) as exc:
        enrol_as(staffing_officer, person, getattr(org, unit), getattr(qt, quota_type))

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"unit": [message]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("channel", "start", "birth", "field", "message"),
    [
        ("walk_in", MAR, BORN, "channel", "进入形式无效"),
        (
            EntryChannel.CIVIL_SERVICE_EXAM,
            dt.date(1999, 12, 31),
            BORN,
            "unit",
            "天池镇在1999-12-31不存在或已撤销",
        ),
        (
            EntryChannel.CIVIL_SERVICE_EXAM,
            dt.date(2004, 12, 31),
            dt.date(2005, 1, 1),
            "start_date",
            "入编日期不能早于出生日期",
        ),
    ],
    ids=["unknown-channel", "before-unit-established", "before-birth"],
)
def test_person_enrol_refuses_bad_input(
    org,
    qt,
    grant_quota,
    register_person,
    staffing_officer,
    row_counts,
    channel,
    start,
    birth,
    field,
    message,
):
    # given 天池镇 with places since 2000 and a registered person
    grant_quota(org.tianchi, qt.administrative, 2, on=dt.date(2000, 1, 1))
    person = register_person("李四", birth=birth)
    before = row_counts()

    # when the person is enrolled with a bad channel or date
    with pytest.raises(ValidationError) as exc:
        enrol_as(
            staffing_officer, person, org.tianchi, qt.administrative, on=start, channel=channel
        )

    # then the exact reason is given and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_person_enrol_refuses_a_start_before_the_last_exit(
    zhang, org, qt, staffing_officer, row_counts
):
    # given 张三 who left 天池镇 on Jun 1
    person_exit(
        actor=staffing_officer,
        enrolment=zhang.enrolments.get(),
        end_date=JUN,
        reason=ExitReason.TRANSFER_OUT,
    )
    before = row_counts()

    # when he is enrolled again from May 1
    with pytest.raises(ValidationError) as exc:
        enrol_as(staffing_officer, zhang, org.tianchi, qt.administrative, on=dt.date(2024, 5, 1))

    # then the last exit is named and nothing is saved
    assert exc.value.message_dict == {"start_date": ["入编日期不能早于上次出编日期2024-06-01"]}
    assert row_counts() == before


def test_person_enrol_allows_a_new_enrolment_from_the_day_of_the_last_exit(
    zhang, org, qt, staffing_officer
):
    # given 张三 who left 天池镇 on Jun 1
    person_exit(
        actor=staffing_officer,
        enrolment=zhang.enrolments.get(),
        end_date=JUN,
        reason=ExitReason.TRANSFER_OUT,
    )

    # when he is enrolled again from Jun 1
    outcome = enrol_as(staffing_officer, zhang, org.tianchi, qt.administrative, on=JUN)

    # then he holds exactly one place on every day
    assert outcome.warnings == []
    assert [
        Enrolment.objects.filter(person=zhang).active_on(day).count()
        for day in (MAR, dt.date(2024, 5, 31), JUN)
    ] == [1, 1, 1]


@pytest.mark.parametrize(
    ("user", "unit_name"),
    [("bailang_operator", "天池镇"), ("leader", "天池镇"), ("department_operator", "天池镇")],
)
def test_person_enrol_is_denied_outside_the_actor_scope(
    request, org, qt, grant_quota, register_person, row_counts, user, unit_name
):
    # given 天池镇 with a vacant place and a user whose scope or role does not cover it
    grant_quota(org.tianchi, qt.administrative, 2, on=JAN)
    person = register_person("李四")
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they enrol the person into 天池镇
    with pytest.raises(PermissionDenied) as exc:
        enrol_as(actor, person, org.tianchi, qt.administrative)

    # then it is denied and nothing is saved
    assert str(exc.value) == denied("办理入编", unit_name)
    assert row_counts() == before


# ---------------------------------------------------------------- person_exit


def test_person_exit_ends_the_enrolment_and_the_posts_the_same_day(
    zhang, org, tianchi_operator, register_person, qt
):
    # given 张三 working in 天池镇's office and serving concurrently in its center
    assign(tianchi_operator, zhang, org.tianchi_office, on=MAR)
    assign(
        tianchi_operator,
        zhang,
        org.tianchi_center,
        title="农技员",
        kind=PostKind.CONCURRENT,
        on=MAR,
    )
    enrolment = zhang.enrolments.get()

    # when he retires on Jun 1
    person_exit(
        actor=tianchi_operator,
        enrolment=enrolment,
        end_date=JUN,
        reason=ExitReason.RETIREMENT,
        doc_no=" 阿人社发〔2024〕9号 ",
    )

    # then the enrolment and both posts end on Jun 1 and the history names the reason
    enrolment.refresh_from_db()
    assert (enrolment.end_date, enrolment.exit_reason, enrolment.exit_doc_no) == (
        JUN,
        ExitReason.RETIREMENT,
        "阿人社发〔2024〕9号",
    )
    assert sorted(zhang.posts.values_list("kind", "end_date")) == [
        (PostKind.CONCURRENT, JUN),
        (PostKind.MAIN, JUN),
    ]
    latest = enrolment.history.first()
    assert (latest.history_user, latest.history_change_reason) == (tianchi_operator, "出编: 退休")
    assert list(
        PostAssignment.history.filter(end_date=JUN).values_list("history_change_reason", flat=True)
    ) == [
        "随出编离任",
        "随出编离任",
    ]


def test_person_exit_frees_the_place_for_someone_else(
    zhang, org, qt, register_person, enrol, staffing_officer
):
    # given 天池镇's 2 places taken by 张三 and 李四
    enrol(register_person("李四"), org.tianchi, qt.administrative)

    # when 张三 leaves on Jun 1
    person_exit(
        actor=staffing_officer,
        enrolment=zhang.enrolments.get(),
        end_date=JUN,
        reason=ExitReason.TRANSFER_OUT,
    )

    # then 王五 can be enrolled on Jun 1 without warning in hard mode
    outcome = enrol_as(
        staffing_officer, register_person("王五"), org.tianchi, qt.administrative, on=JUN
    )
    assert outcome.warnings == []


def test_person_exit_can_leave_the_posts_open(zhang, org, staffing_officer):
    # given 张三 working in 天池镇's office
    post = assign(staffing_officer, zhang, org.tianchi_office, on=MAR)

    # when he leaves with end_posts=False
    person_exit(
        actor=staffing_officer,
        enrolment=zhang.enrolments.get(),
        end_date=JUN,
        reason=ExitReason.TRANSFER_OUT,
        end_posts=False,
    )

    # then the post stays open
    post.refresh_from_db()
    assert post.end_date is None


@pytest.mark.parametrize(
    ("end_date", "reason", "field", "message"),
    [
        (
            dt.date(2024, 2, 29),
            ExitReason.RETIREMENT,
            "end_date",
            "出编日期不能早于入编日期2024-03-01",
        ),
        (JUN, "", "reason", "请选择出编原因"),
        (JUN, "holiday", "reason", "请选择出编原因"),
    ],
    ids=["end-before-start", "no-reason", "unknown-reason"],
)
def test_person_exit_refuses_bad_input(
    zhang, org, staffing_officer, row_counts, end_date, reason, field, message
):
    # given 张三 enrolled on Mar 1 and working in 天池镇's office
    assign(staffing_officer, zhang, org.tianchi_office, on=MAR)
    before = row_counts()

    # when he is exited before his start or without a valid reason
    with pytest.raises(ValidationError) as exc:
        person_exit(
            actor=staffing_officer,
            enrolment=zhang.enrolments.get(),
            end_date=end_date,
            reason=reason,
        )

    # then the exact reason is given and the enrolment and post stay open
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before
    assert list(Enrolment.objects.values_list("end_date", "exit_reason")) == [(None, "")]
    assert list(PostAssignment.objects.values_list("end_date", flat=True)) == [None]


def test_person_exit_refuses_an_enrolment_already_ended(zhang, staffing_officer, row_counts):
    # given 张三 who left on Jun 1
    enrolment = zhang.enrolments.get()
    person_exit(
        actor=staffing_officer, enrolment=enrolment, end_date=JUN, reason=ExitReason.RESIGNATION
    )
    before = row_counts()

    # when he is exited again on Jul 1
    with pytest.raises(ValidationError) as exc:
        person_exit(
            actor=staffing_officer, enrolment=enrolment, end_date=JUL, reason=ExitReason.RETIREMENT
        )

    # then the first exit is named and nothing changes
    assert exc.value.message_dict == {"end_date": ["该入编记录已于2024-06-01出编"]}
    assert row_counts() == before


@pytest.mark.parametrize("user", ["bailang_operator", "leader"])
def test_person_exit_is_denied_outside_the_actor_scope(request, zhang, row_counts, user):
    # given 张三 enrolled in 天池镇 and a user whose scope or role does not cover it
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they exit him
    with pytest.raises(PermissionDenied) as exc:
        person_exit(
            actor=actor, enrolment=zhang.enrolments.get(), end_date=JUN, reason=ExitReason.DISMISSAL
        )

    # then it is denied and he stays enrolled
    assert str(exc.value) == denied("办理出编", "天池镇")
    assert row_counts() == before
    assert Enrolment.objects.get().end_date is None


# ---------------------------------------------------------------- posts


def test_post_assign_of_a_new_main_post_closes_the_previous_one(zhang, org, tianchi_operator):
    # given 张三 working in 天池镇's office since Mar 1
    first = assign(tianchi_operator, zhang, org.tianchi_office, title="综合文秘", on=MAR)

    # when he is moved to the center on Jun 1
    second = assign(tianchi_operator, zhang, org.tianchi_center, title="农技推广", on=JUN)

    # then the office post ends on Jun 1 and only the center post is open
    first.refresh_from_db()
    assert (first.end_date, first.history.first().history_change_reason) == (JUN, "岗位调整")
    assert list(
        PostAssignment.objects.filter(person=zhang, end_date__isnull=True).values_list(
            "pk", flat=True
        )
    ) == [second.pk]
    assert list(
        PostAssignment.objects.filter(person=zhang)
        .active_on(JUN)
        .values_list("unit__name", flat=True)
    ) == ["天池镇综合保障和技术推广中心"]


def test_post_assign_of_a_concurrent_post_keeps_the_main_post(zhang, org, tianchi_operator):
    # given 张三 working in 天池镇's office
    main = assign(tianchi_operator, zhang, org.tianchi_office, title="综合文秘", on=MAR)

    # when he also serves in the center (兼任) from Jun 1
    concurrent = assign(
        tianchi_operator,
        zhang,
        org.tianchi_center,
        title="农技员",
        kind=PostKind.CONCURRENT,
        on=JUN,
    )

    # then both posts are open
    assert sorted(
        PostAssignment.objects.filter(person=zhang).active_on(JUN).values_list("pk", "kind")
    ) == sorted([(main.pk, PostKind.MAIN), (concurrent.pk, PostKind.CONCURRENT)])
    assert concurrent.history.first().history_change_reason == "兼任"


def test_post_assign_records_a_leadership_post_with_its_level(zhang, org, staffing_officer):
    # given 张三 enrolled in 天池镇
    # when he is appointed deputy head of the town
    post = assign(
        staffing_officer,
        zhang,
        org.tianchi,
        title="副镇长",
        is_leadership=True,
        leadership_level=LeadershipLevel.DEPUTY,
        doc_no=" 阿党任〔2024〕3号 ",
    )

    # then the level and document are kept
    post.refresh_from_db()
    assert (post.is_leadership, post.leadership_level, post.doc_no) == (
        True,
        LeadershipLevel.DEPUTY,
        "阿党任〔2024〕3号",
    )


def test_post_assign_drops_the_level_of_a_non_leadership_post(zhang, org, staffing_officer):
    # given 张三 enrolled in 天池镇
    # when he is given an ordinary post with a leadership level filled in
    post = assign(
        staffing_officer, zhang, org.tianchi_office, leadership_level=LeadershipLevel.DEPUTY
    )

    # then the level is dropped
    post.refresh_from_db()
    assert (post.is_leadership, post.leadership_level) == (False, "")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"is_leadership": True}, "leadership_level", "班子成员须选择领导职级"),
        (
            {"is_leadership": True, "leadership_level": "chief"},
            "leadership_level",
            "值 'chief' 不是有效选项。",
        ),
        ({"kind": "temporary"}, "kind", "岗位类型无效"),
        ({"title": "  "}, "title", "请填写岗位或职务名称"),
        ({"on": dt.date(2024, 2, 29)}, "start_date", "张三在2024-02-29不在编, 不能安排岗位"),
    ],
    ids=[
        "leader-without-level",
        "unknown-level",
        "unknown-kind",
        "blank-title",
        "before-enrolment",
    ],
)
def test_post_assign_refuses_bad_input(
    zhang, org, staffing_officer, row_counts, changes, field, message
):
    # given 张三 enrolled in 天池镇 since Mar 1
    before = row_counts()

    # when a post is assigned with bad input
    with pytest.raises(ValidationError) as exc:
        assign(staffing_officer, zhang, org.tianchi, **{"title": "副镇长", **changes})

    # then the exact reason is given and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_post_assign_refuses_a_main_post_not_after_the_current_one(
    zhang, org, staffing_officer, row_counts
):
    # given 张三 working in 天池镇's office since Jun 1
    assign(staffing_officer, zhang, org.tianchi_office, on=JUN)
    before = row_counts()

    # when he is moved to the center on the same day
    with pytest.raises(ValidationError) as exc:
        assign(staffing_officer, zhang, org.tianchi_center, title="农技推广", on=JUN)

    # then it is refused and the office post stays open
    assert exc.value.message_dict == {"start_date": ["调整日期须晚于现岗位任职日期2024-06-01"]}
    assert row_counts() == before
    assert PostAssignment.objects.get().end_date is None


def test_post_assign_refuses_a_person_not_enrolled(
    org, register_person, staffing_officer, row_counts
):
    # given 李四, registered but not enrolled
    person = register_person("李四")
    before = row_counts()

    # when he is given a post in 天池镇's office
    with pytest.raises(ValidationError) as exc:
        assign(staffing_officer, person, org.tianchi_office, on=MAR)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"start_date": ["李四在2024-03-01不在编, 不能安排岗位"]}
    assert row_counts() == before


def test_post_assign_refuses_an_abolished_unit(zhang, org, staffing_officer, row_counts):
    # given 天池镇's office abolished on Jun 1
    office = unit_abolish(
        actor=staffing_officer, unit=org.tianchi_office, abolished_on=JUN, abolished_doc=DOC
    )
    before = row_counts()

    # when 张三 is given a post there on Jul 1
    with pytest.raises(ValidationError) as exc:
        assign(staffing_officer, zhang, office, on=JUL)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"unit": ["天池镇党政综合办公室在2024-07-01不存在或已撤销"]}
    assert row_counts() == before


@pytest.mark.parametrize("user", ["bailang_operator", "leader"])
def test_post_assign_is_denied_outside_the_actor_scope(request, zhang, org, row_counts, user):
    # given 张三 enrolled in 天池镇 and a user whose scope or role does not cover its office
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they give him a post in 天池镇's office
    with pytest.raises(PermissionDenied) as exc:
        assign(actor, zhang, org.tianchi_office)

    # then it is denied and nothing is saved
    assert str(exc.value) == denied("安排岗位", "天池镇党政综合办公室")
    assert row_counts() == before


def test_post_end_ends_a_concurrent_post(zhang, org, staffing_officer):
    # given 张三 working in the office and serving in the center
    main = assign(staffing_officer, zhang, org.tianchi_office, on=MAR)
    concurrent = assign(
        staffing_officer, zhang, org.tianchi_center, title="农技员", kind=PostKind.CONCURRENT
    )

    # when the concurrent post ends on Jun 1
    post_end(actor=staffing_officer, post=concurrent, end_date=JUN)

    # then only the main post is open
    assert list(
        PostAssignment.objects.filter(end_date__isnull=True).values_list("pk", flat=True)
    ) == [main.pk]
    assert PostAssignment.objects.get(pk=concurrent.pk).end_date == JUN


@pytest.mark.parametrize(
    ("end_first", "end_date", "message"),
    [
        (False, dt.date(2024, 2, 29), "离任日期不能早于任职日期2024-03-01"),
        (True, JUL, "该岗位已于2024-06-01结束"),
    ],
    ids=["before-start", "already-ended"],
)
def test_post_end_refuses_bad_dates(
    zhang, org, staffing_officer, row_counts, end_first, end_date, message
):
    # given 张三's post in the office, possibly ended on Jun 1
    post = assign(staffing_officer, zhang, org.tianchi_office, on=MAR)
    if end_first:
        post_end(actor=staffing_officer, post=post, end_date=JUN)
    before = row_counts()

    # when it is ended before its start or again
    with pytest.raises(ValidationError) as exc:
        post_end(actor=staffing_officer, post=post, end_date=end_date)

    # then the exact reason is given and nothing changes
    assert exc.value.message_dict == {"end_date": [message]}
    assert row_counts() == before


@pytest.mark.parametrize("user", ["bailang_operator", "leader"])
def test_post_end_is_denied_outside_the_actor_scope(
    request, zhang, org, staffing_officer, row_counts, user
):
    # given 张三's post in 天池镇's office and a user whose scope or role does not cover it
    post = assign(staffing_officer, zhang, org.tianchi_office, on=MAR)
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they end the post
    with pytest.raises(PermissionDenied) as exc:
        post_end(actor=actor, post=post, end_date=JUN)

    # then it is denied and the post stays open
    assert str(exc.value) == denied("结束岗位", "天池镇党政综合办公室")
    assert row_counts() == before
    assert PostAssignment.objects.get(pk=post.pk).end_date is None


# ---------------------------------------------------------------- quota_transfer


@pytest.fixture
def tianchi_staff(org, qt, grant_quota, register_person, enrol, staffing_officer):
    """天池镇: 3 places of 行政编制 held by 张三, 李四 and 王五; 白狼镇: 1 place held by 赵六."""
    grant_quota(org.tianchi, qt.administrative, 3, on=JAN)
    grant_quota(org.bailang, qt.administrative, 1, on=JAN)
    people = {}
    for name, unit, title in [
        ("张三", org.tianchi_office, "综合文秘"),
        ("李四", org.tianchi, "乡村振兴专干"),
        ("王五", org.tianchi, "统计员"),
        ("赵六", org.bailang, "综合文秘"),
    ]:
        person = register_person(name)
        enrol(person, org.bailang if name == "赵六" else org.tianchi, qt.administrative, on=MAR)
        assign(staffing_officer, person, unit, title=title, on=MAR)
        people[name] = person
    return people


def test_quota_transfer_moves_quota_and_people_together(org, qt, tianchi_staff, staffing_officer):
    # given 天池镇 with 3 places held by 张三, 李四, 王五 and 白狼镇 with 1 held by 赵六
    zhang, li = tianchi_staff["张三"], tianchi_staff["李四"]

    # when the 编办 transfers 2 places with 张三 and 李四 to 白狼镇 on Jul 1
    transfer = quota_transfer(
        actor=staffing_officer,
        from_unit=org.tianchi,
        to_unit=org.bailang,
        quota_type=qt.administrative,
        amount=2,
        doc_no=f" {DOC} ",
        effective_on=JUL,
        persons=[zhang, li],
    )

    # then the balances move on Jul 1
    def balances(on):
        return [
            quota_balance(unit=unit, quota_type=qt.administrative, on=on)
            for unit in (org.tianchi, org.bailang)
        ]

    assert balances(dt.date(2024, 6, 30)) == [3, 1]
    assert balances(JUL) == [1, 3]
    assert (transfer.from_unit, transfer.to_unit, transfer.amount, transfer.doc_no) == (
        org.tianchi,
        org.bailang,
        2,
        DOC,
    )
    assert sorted(transfer.movements.values_list("unit__name", "kind", "delta")) == [
        ("天池镇", MovementKind.TRANSFER_OUT, -2),
        ("白狼镇", MovementKind.TRANSFER_IN, 2),
    ]
    # and each person's old enrolment ends with 编制划转 while a new one starts in 白狼镇
    for person in (zhang, li):
        assert list(
            Enrolment.objects.filter(person=person)
            .order_by("start_date")
            .values_list(
                "unit__name",
                "channel",
                "start_date",
                "end_date",
                "exit_reason",
                "exit_doc_no",
                "transfer",
            )
        ) == [
            (
                "天池镇",
                EntryChannel.CIVIL_SERVICE_EXAM,
                MAR,
                JUL,
                ExitReason.QUOTA_TRANSFER,
                DOC,
                None,
            ),
            ("白狼镇", EntryChannel.QUOTA_TRANSFER, JUL, None, "", "", transfer.pk),
        ]
    # and their main posts follow them with the old titles
    assert sorted(
        PostAssignment.objects.filter(person__in=[zhang, li]).values_list(
            "person__name", "unit__name", "title", "start_date", "end_date"
        )
    ) == [
        ("张三", "天池镇党政综合办公室", "综合文秘", MAR, JUL),
        ("张三", "白狼镇", "综合文秘", JUL, None),
        ("李四", "天池镇", "乡村振兴专干", MAR, JUL),
        ("李四", "白狼镇", "乡村振兴专干", JUL, None),
    ]
    # and 王五 stays where he was
    assert list(
        Enrolment.objects.filter(person=tianchi_staff["王五"]).values_list("unit__name", "end_date")
    ) == [("天池镇", None)]
    assert Enrolment.objects.filter(unit=org.bailang).active_on(JUL).count() == 3


def test_quota_transfer_gives_the_new_post_title_when_given(
    org, qt, tianchi_staff, staffing_officer
):
    # given 张三 in 天池镇
    # when he is transferred with one place and a new post title
    quota_transfer(
        actor=staffing_officer,
        from_unit=org.tianchi,
        to_unit=org.bailang,
        quota_type=qt.administrative,
        amount=1,
        doc_no=DOC,
        effective_on=JUL,
        persons=[tianchi_staff["张三"]],
        post_title="党建专干",
    )

    # then his new main post has that title
    assert (
        PostAssignment.objects.get(person=tianchi_staff["张三"], end_date__isnull=True).title
        == "党建专干"
    )


def test_quota_transfer_of_vacant_places_moves_quota_only(
    org, qt, tianchi_staff, staffing_officer, grant_quota
):
    # given 天池镇 with 3 places held by 3 people and 1 vacant place added on Jun 1
    grant_quota(org.tianchi, qt.administrative, 1, kind=MovementKind.INCREASE, on=JUN)
    enrolled_before = list(Enrolment.objects.order_by("pk").values_list("pk", "unit", "end_date"))

    # when the vacant place is transferred without people
    quota_transfer(
        actor=staffing_officer,
        from_unit=org.tianchi,
        to_unit=org.bailang,
        quota_type=qt.administrative,
        amount=1,
        doc_no=DOC,
        effective_on=JUL,
    )

    # then only the balances change
    assert [
        quota_balance(unit=unit, quota_type=qt.administrative, on=JUL)
        for unit in (org.tianchi, org.bailang)
    ] == [3, 2]
    assert (
        list(Enrolment.objects.order_by("pk").values_list("pk", "unit", "end_date"))
        == enrolled_before
    )


def test_quota_transfer_fails_whole_when_a_person_is_not_on_the_from_unit(
    org, qt, tianchi_staff, staffing_officer, row_counts
):
    # given 张三 in 天池镇 and 赵六 in 白狼镇
    before = row_counts()

    # when 2 places are transferred from 天池镇 with 张三 and 赵六
    with pytest.raises(ValidationError) as exc:
        quota_transfer(
            actor=staffing_officer,
            from_unit=org.tianchi,
            to_unit=org.bailang,
            quota_type=qt.administrative,
            amount=2,
            doc_no=DOC,
            effective_on=JUL,
            persons=[tianchi_staff["张三"], tianchi_staff["赵六"]],
        )

    # then 赵六 is named, nothing is saved and 张三 is still in 天池镇
    assert exc.value.message_dict == {"persons": ["赵六不在天池镇的行政编制上, 不能随编划转"]}
    assert row_counts() == before
    assert QuotaTransfer.objects.count() == 0
    assert list(
        Enrolment.objects.filter(person=tianchi_staff["张三"]).values_list("unit__name", "end_date")
    ) == [("天池镇", None)]


def test_quota_transfer_rolls_back_everything_when_a_step_fails_midway(
    org, qt, tianchi_staff, staffing_officer, grant_quota, row_counts
):
    # given 白狼镇 whose only place was cut while 赵六 stays enrolled (over quota by one)
    grant_quota(org.bailang, qt.administrative, 1, kind=MovementKind.DECREASE, on=JUN)
    before = row_counts()

    # when 1 place is transferred from 天池镇 with 张三, whose enrolment in 白狼镇 is then refused
    with pytest.raises(ValidationError) as exc:
        quota_transfer(
            actor=staffing_officer,
            from_unit=org.tianchi,
            to_unit=org.bailang,
            quota_type=qt.administrative,
            amount=1,
            doc_no=DOC,
            effective_on=JUL,
            persons=[tianchi_staff["张三"]],
        )

    # then the transfer, ledger entries, exit and posts written before the failure are all undone
    assert exc.value.message_dict == {
        "quota_type": [f"白狼镇的行政编制核定1名, 已有1人在编, 无空编可用{HARD_LIMIT}"]
    }
    assert row_counts() == before
    assert list(
        Enrolment.objects.filter(person=tianchi_staff["张三"]).values_list("unit__name", "end_date")
    ) == [("天池镇", None)]
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=JUL) == 3


@pytest.mark.parametrize(
    ("to_unit", "amount", "doc_no", "persons", "field", "message"),
    [
        ("bailang", 0, DOC, [], "amount", "划转编制数必须是正整数"),
        ("bailang", 4, DOC, [], "amount", "天池镇的行政编制只有3名, 不能划出4名"),
        ("bailang", 1, DOC, ["张三", "李四"], "persons", "随编划转2人, 超过划转编制数1名"),
        ("bailang", 1, "  ", [], "doc_no", "划转须填写批准文号"),
        ("tianchi", 1, DOC, [], "to_unit", "划出机构与划入机构不能相同"),
        (
            "bailang_center",
            1,
            DOC,
            [],
            "to_unit",
            "行政编制只能用于党政机关, 白狼镇综合保障和技术推广中心是事业单位",
        ),
        (
            "tianchi_office",
            1,
            DOC,
            [],
            "to_unit",
            "天池镇党政综合办公室是内设机构, 不单独核定编制; 请在天池镇核定",
        ),
    ],
    ids=[
        "zero-amount",
        "more-than-held",
        "more-people-than-places",
        "missing-doc",
        "same-unit",
        "wrong-nature",
        "internal-office",
    ],
)
def test_quota_transfer_refuses_bad_input(
    org,
    qt,
    tianchi_staff,
    staffing_officer,
    row_counts,
    to_unit,
    amount,
    doc_no,
    persons,
    field,
    message,
):
    # given 天池镇 with 3 places held by 张三, 李四 and 王五
    before = row_counts()

    # when a transfer with bad input is recorded
    with pytest.raises(ValidationError) as exc:
        quota_transfer(
            actor=staffing_officer,
            from_unit=org.tianchi,
            to_unit=getattr(org, to_unit),
            quota_type=qt.administrative,
            amount=amount,
            doc_no=doc_no,
            effective_on=JUL,
            persons=[tianchi_staff[name] for name in persons],
        )

    # then the exact reason is given and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("tianchi_operator", denied("划出编制", "天池镇")),
        ("bailang_operator", denied("划出编制", "天池镇")),
        ("leader", denied("划出编制", "天池镇")),
    ],
)
def test_quota_transfer_is_reserved_to_the_staffing_office(
    request, org, qt, tianchi_staff, row_counts, user, message
):
    # given 张三 in 天池镇 and a user who may not change quotas
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they transfer a place with 张三 to 白狼镇
    with pytest.raises(PermissionDenied) as exc:
        quota_transfer(
            actor=actor,
            from_unit=org.tianchi,
            to_unit=org.bailang,
            quota_type=qt.administrative,
            amount=1,
            doc_no=DOC,
            effective_on=JUL,
            persons=[tianchi_staff["张三"]],
        )

    # then it is denied and nothing changes
    assert str(exc.value) == message
    assert row_counts() == before
