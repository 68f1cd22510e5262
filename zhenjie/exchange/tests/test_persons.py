"""Importing the real-name register: set-based, all or nothing, with the services' own rules."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhenjie.conftest import resident_id
from zhenjie.exchange.registers import persons as persons_register
from zhenjie.jobs.models import JobStatus
from zhenjie.organizations.services import unit_abolish
from zhenjie.personnel.choices import EntryChannel, PostKind
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.personnel.services import (
    person_enrol,
    person_exit,
    person_register,
    person_update,
    post_assign,
)

from .sheets import PERSON_HEADER, csv_bytes, person_row, read_xlsx, xlsx

pytestmark = pytest.mark.django_db

BORN = dt.date(1998, 5, 20)
MAR = dt.date(2024, 3, 1)
QUOTA_LAW = "(国务院令第486号第6条: 实有人员不得突破规定的编制)"


def ids(n: int, start: int = 1) -> list[str]:
    return [resident_id(BORN, seq) for seq in range(start, start + n)]


def sheet(*rows: list) -> bytes:
    return xlsx([PERSON_HEADER, *rows])


def errors(job) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in job.result["errors"]]


def service_message(call) -> str:
    """What a service says when it refuses (its transaction rolls back)."""
    try:
        with transaction.atomic():
            call()
    except ValidationError as exc:
        return exc.messages[0]
    except PermissionDenied as exc:
        return str(exc)
    raise AssertionError("the service accepted what the test expects it to refuse")


def test_dry_run_lists_what_would_happen_and_writes_nothing(
    staffing_officer, quota, run_import, row_counts
):
    # given two new people for 天池镇
    a, b = ids(2)
    data = sheet(person_row("张三", a), person_row("李四", b, title="", post_unit=""))
    before = row_counts()

    # when the file is checked
    job = run_import(staffing_officer, "persons", data)

    # then the plan is reported and nothing is written
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["errors"] == []
    assert job.result["counts"] == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "enrolments": 2,
        "posts": 1,
    }
    assert job.result["summary"] == (
        "检查通过, 尚未写入任何数据。共2行: 新增2条, 更新0条, 无变化0条; "
        "其中入编2人, 安排岗位1人。请确认导入。"
    )
    assert job.result["next_url"] == f"/exchange/imports/{job.pk}/"
    assert row_counts() == before


def test_commit_writes_people_enrolments_posts_and_their_history(
    staffing_officer, org, qt, quota, run_import
):
    # given one person for 天池镇 working in its office, one for the center
    a, b = ids(2)
    data = sheet(
        person_row("张三", a, post_unit="天池镇党政综合办公室", title="综合文秘"),
        person_row(
            "李四",
            b,
            unit="天池镇综合保障和技术推广中心",
            quota_type="事业编制",
            channel="事业单位公开招聘",
            start="2024年3月1日",
        ),
    )

    # when it is imported
    job = run_import(staffing_officer, "persons", data, commit=True)

    # then both are registered, enrolled and posted, with history by the importing user
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["written"] is True
    assert job.result["next_url"] == "/people/"
    zhang = Person.objects.get(id_number=a)
    assert (zhang.name, zhang.gender, zhang.birth_date, zhang.education, zhang.created_by) == (
        "张三",
        "M",
        BORN,
        "bachelor",
        staffing_officer,
    )
    enrolment = Enrolment.objects.get(person=zhang)
    assert (enrolment.unit, enrolment.quota_type, enrolment.channel, enrolment.start_date) == (
        org.tianchi,
        qt.administrative,
        EntryChannel.CIVIL_SERVICE_EXAM,
        MAR,
    )
    post = PostAssignment.objects.get(person=zhang)
    assert (post.unit, post.title, post.kind, post.start_date) == (
        org.tianchi_office,
        "综合文秘",
        PostKind.MAIN,
        MAR,
    )
    li_post = PostAssignment.objects.get(person__id_number=b)
    assert (li_post.unit, li_post.title) == (org.tianchi_center, "科员")
    record = zhang.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        staffing_officer,
        "批量导入: 实名登记",
    )
    assert enrolment.history.get().history_change_reason == "批量导入: 入编"
    assert post.history.get().history_change_reason == "批量导入: 安排岗位"


def test_round_trip_export_then_import_changes_nothing(
    staffing_officer, org, qt, quota, register_person, enrol, run_import, run_export, row_counts
):
    # given people as the pages make them: enrolled and posted (the first post since ended), one
    # exited, one only registered
    zhang = register_person("张三", phone="13800138000", education="master", notes="备注")
    enrol(zhang, org.tianchi, qt.administrative)
    post_assign(
        actor=staffing_officer,
        person=zhang,
        unit=org.tianchi_office,
        title="综合文秘",
        kind=PostKind.MAIN,
        start_date=dt.date(2024, 4, 1),
    )
    post_assign(
        actor=staffing_officer,
        person=zhang,
        unit=org.tianchi,
        title="副主任",
        kind=PostKind.MAIN,
        start_date=dt.date(2024, 9, 1),
    )
    li = register_person("李四", female=True)
    exited = enrol(li, org.tianchi_center, qt.institution)
    person_exit(
        actor=staffing_officer, enrolment=exited, end_date=dt.date(2024, 6, 1), reason="resignation"
    )
    register_person("王五")
    export = run_export(staffing_officer, "persons")
    before = row_counts()

    # when the exported file is imported again, checked and committed
    data = bytes(export.output_data)
    checked = run_import(staffing_officer, "persons", data)
    committed = run_import(staffing_officer, "persons", data, commit=True)

    # then every row is recognised as unchanged and nothing is written
    for job in (checked, committed):
        assert job.result["errors"] == []
        assert job.result["counts"]["unchanged"] == 3
        assert job.result["counts"]["created"] == job.result["counts"]["updated"] == 0
    assert row_counts() == before


def test_round_trip_of_csv_export(
    staffing_officer, org, qt, quota, register_person, enrol, run_import, run_export, row_counts
):
    # given an enrolled person and the register exported as CSV
    enrol(register_person("张三"), org.tianchi, qt.administrative)
    data = bytes(run_export(staffing_officer, "persons", fmt="csv").output_data)
    before = row_counts()

    # when the CSV is imported
    job = run_import(staffing_officer, "persons", data, commit=True, name="人员.csv")

    # then the row is recognised and nothing is written
    assert job.result["counts"]["unchanged"] == 1
    assert row_counts() == before


def test_changed_details_update_the_person_with_history(
    staffing_officer, org, qt, quota, register_person, enrol, run_import
):
    # given a registered, enrolled person
    zhang = register_person("张三", phone="13800138000")
    enrol(zhang, org.tianchi, qt.administrative)

    # when a row with the same ID number and a new phone number is imported
    row = person_row("张三", zhang.id_number, phone="13900139000", title="")
    job = run_import(staffing_officer, "persons", sheet(row), commit=True)

    # then only the phone changed, recorded in the history
    assert job.result["counts"]["updated"] == 1
    zhang.refresh_from_db()
    assert zhang.phone == "13900139000"
    assert zhang.history.order_by("-history_id").first().history_change_reason == (
        "批量导入: 修改人员信息"
    )
    assert Enrolment.objects.filter(person=zhang).count() == 1


# --- the same rules, and the same messages, as the services ------------------------------------


def test_id_number_refused_as_the_service_refuses_it(
    staffing_officer, quota, run_import, row_counts
):
    # given an ID number with a wrong check character, refused by person_register
    bad = resident_id(BORN, 1)[:-1] + ("0" if resident_id(BORN, 1)[-1] != "0" else "1")
    expected = service_message(
        lambda: person_register(actor=staffing_officer, name="张三", id_number=bad)
    )
    before = row_counts()

    # when a row with it is checked
    job = run_import(staffing_officer, "persons", sheet(person_row("张三", bad)))

    # then the importer says what the service says, and nothing is written
    assert expected == "身份证号码校验位错误"
    assert errors(job) == [(2, "身份证号码", expected)]
    assert row_counts() == before


def test_over_quota_refused_with_the_services_message(
    staffing_officer, org, qt, grant_quota, register_person, enrol, run_import, row_counts
):
    # given 白狼镇 with 2 places, one taken
    grant_quota(org.bailang, qt.administrative, 2)
    enrol(register_person("已在编"), org.bailang, qt.administrative)
    probe = register_person("试探")
    enrol(probe, org.bailang, qt.administrative)
    expected = service_message(
        lambda: person_enrol(
            actor=staffing_officer,
            person=register_person("第三人"),
            unit=org.bailang,
            quota_type=qt.administrative,
            channel=EntryChannel.CIVIL_SERVICE_EXAM,
            start_date=MAR,
        )
    )
    Enrolment.objects.filter(person=probe).delete()
    before = row_counts()

    # when two people are imported into the one free place
    a, b = ids(2, start=50)
    job = run_import(
        staffing_officer,
        "persons",
        sheet(person_row("甲", a, unit="白狼镇"), person_row("乙", b, unit="白狼镇")),
        commit=True,
    )

    # then the second is refused like person_enrol refuses it, and nothing is written
    assert expected == f"白狼镇的行政编制核定2名, 已有2人在编, 无空编可用{QUOTA_LAW}"
    assert errors(job) == [(3, "编制类型", expected)]
    assert job.result["written"] is False
    assert row_counts() == before


def test_back_dated_enrolment_refused_on_the_later_short_day(
    staffing_officer, org, qt, grant_quota, register_person, enrol, run_import
):
    # given 白狼镇 with 1 place from January and somebody enrolled from June
    grant_quota(org.bailang, qt.administrative, 1)
    enrol(register_person("六月入编"), org.bailang, qt.administrative, on=dt.date(2024, 6, 1))
    expected = service_message(
        lambda: person_enrol(
            actor=staffing_officer,
            person=register_person("三月入编"),
            unit=org.bailang,
            quota_type=qt.administrative,
            channel=EntryChannel.CIVIL_SERVICE_EXAM,
            start_date=MAR,
        )
    )

    # when a March enrolment is imported (free in March, short from June)
    job = run_import(
        staffing_officer, "persons", sheet(person_row("甲", ids(1, 60)[0], unit="白狼镇"))
    )

    # then it is refused naming the short day, as the service does
    assert expected == f"白狼镇的行政编制2024-06-01核定1名, 已有1人在编, 无空编可用{QUOTA_LAW}"
    assert errors(job) == [(2, "编制类型", expected)]


def test_warn_mode_enrols_over_quota_with_a_warning(
    settings, staffing_officer, org, qt, grant_quota, run_import
):
    # given over-quota enrolment relaxed to a warning, and one free place
    settings.ZHENJIE = {**settings.ZHENJIE, "QUOTA_ENFORCEMENT": "warn"}
    grant_quota(org.bailang, qt.administrative, 1)
    a, b = ids(2, start=70)

    # when two people are imported onto it
    job = run_import(
        staffing_officer,
        "persons",
        sheet(person_row("甲", a, unit="白狼镇"), person_row("乙", b, unit="白狼镇")),
        commit=True,
    )
    # then both are enrolled and the second carries person_enrol's warning
    assert job.result["errors"] == []
    assert job.result["warnings"] == [
        f"第3行: 白狼镇的行政编制核定1名, 已有1人在编, 无空编可用{QUOTA_LAW}"
    ]
    assert Enrolment.objects.filter(unit=org.bailang).count() == 2


@pytest.mark.parametrize(
    ("case", "column"),
    [
        ("mixed_quota", "编制所在机构"),
        ("abolished_unit", "编制所在机构"),
        ("born_after_start", "入编日期"),
        ("out_of_scope", "编制所在机构"),
        ("office_quota", "编制所在机构"),
    ],
)
def test_enrolment_rules_match_person_enrol(
    case, column, org, qt, quota, root, staffing_officer, tianchi_operator, run_import, row_counts
):
    # given a row the service would refuse, and what the service says about it
    actor = tianchi_operator if case == "out_of_scope" else staffing_officer
    number = resident_id(dt.date(2020, 1, 1) if case == "born_after_start" else BORN, 80)
    row = {
        "mixed_quota": person_row("甲", number, quota_type="事业编制"),
        "abolished_unit": person_row(
            "甲",
            number,
            unit="白狼镇综合保障和技术推广中心",
            quota_type="事业编制",
            start="2024-05-01",
        ),
        "born_after_start": person_row("甲", number, start="2019-05-01"),
        "out_of_scope": person_row("甲", number, unit="白狼镇"),
        "office_quota": person_row("甲", number, unit="天池镇党政综合办公室"),
    }[case]
    unit = {
        "mixed_quota": org.tianchi,
        "abolished_unit": org.bailang_center,
        "born_after_start": org.tianchi,
        "out_of_scope": org.bailang,
        "office_quota": org.tianchi_office,
    }[case]
    quota_type = qt.institution if case in ("mixed_quota", "abolished_unit") else qt.administrative
    start = {"abolished_unit": dt.date(2024, 5, 1), "born_after_start": dt.date(2019, 5, 1)}.get(
        case, MAR
    )
    if case == "abolished_unit":
        unit_abolish(
            actor=root,
            unit=org.bailang_center,
            abolished_on=dt.date(2024, 4, 1),
            abolished_doc="撤销文",
        )
        unit.refresh_from_db()
    person = person_register(
        actor=actor,
        name="试探",
        id_number=resident_id(dt.date(2020, 1, 1) if case == "born_after_start" else BORN, 99),
    )
    expected = service_message(
        lambda: person_enrol(
            actor=actor,
            person=person,
            unit=unit,
            quota_type=quota_type,
            channel=EntryChannel.CIVIL_SERVICE_EXAM,
            start_date=start,
        )
    )
    person.delete()
    before = row_counts()

    # when the importer sees the same row
    job = run_import(actor, "persons", sheet(row), commit=True)

    # then it refuses it with the same message, and nothing is written
    assert errors(job) == [(2, column, expected)]
    assert row_counts() == before


def test_already_enrolled_elsewhere_is_refused_like_person_enrol(
    staffing_officer, org, qt, quota, register_person, enrol, run_import, row_counts
):
    # given a person enrolled in 天池镇, whom person_enrol refuses to enrol in 白狼镇
    zhang = register_person("张三")
    enrol(zhang, org.tianchi, qt.administrative)
    expected = service_message(
        lambda: person_enrol(
            actor=staffing_officer,
            person=zhang,
            unit=org.bailang,
            quota_type=qt.administrative,
            channel=EntryChannel.CIVIL_SERVICE_EXAM,
            start_date=MAR,
        )
    )
    before = row_counts()

    # when a row puts the person in 白狼镇
    job = run_import(
        staffing_officer, "persons", sheet(person_row("张三", zhang.id_number, unit="白狼镇"))
    )

    # then the importer refuses it with the same message, and nothing is written
    assert expected == "张三已在天池镇在编, 须先办理出编"
    assert errors(job) == [(2, "编制所在机构", expected)]
    assert row_counts() == before


def test_enrolment_before_the_last_exit_is_refused_like_person_enrol(
    staffing_officer, org, qt, quota, register_person, enrol, run_import
):
    # given a person who left 天池镇 on 2024-06-01, and what person_enrol says to an earlier entry
    zhang = register_person("张三")
    first = enrol(zhang, org.tianchi, qt.administrative)
    person_exit(
        actor=staffing_officer, enrolment=first, end_date=dt.date(2024, 6, 1), reason="transfer_out"
    )
    expected = service_message(
        lambda: person_enrol(
            actor=staffing_officer,
            person=zhang,
            unit=org.bailang,
            quota_type=qt.administrative,
            channel=EntryChannel.TRANSFER_IN,
            start_date=dt.date(2024, 5, 1),
        )
    )
    # when a row enrols the person in 白狼镇 from 2024-05-01
    job = run_import(
        staffing_officer,
        "persons",
        sheet(
            person_row(
                "张三",
                zhang.id_number,
                unit="白狼镇",
                channel="调任调入",
                start="2024-05-01",
                ethnicity="",
                education="",
                phone="",
            )
        ),
    )
    # then the importer refuses it with the same message
    assert expected == "入编日期不能早于上次出编日期2024-06-01"
    assert errors(job) == [(2, "入编日期", expected)]


def test_main_post_change_before_the_current_one_is_refused_like_post_assign(
    staffing_officer, org, qt, quota, register_person, enrol, run_import
):
    # given a person whose main post started on 2024-04-01
    zhang = register_person("张三")
    enrol(zhang, org.tianchi, qt.administrative)
    post_assign(
        actor=staffing_officer,
        person=zhang,
        unit=org.tianchi,
        title="科员",
        kind=PostKind.MAIN,
        start_date=dt.date(2024, 4, 1),
    )
    expected = service_message(
        lambda: post_assign(
            actor=staffing_officer,
            person=zhang,
            unit=org.tianchi_office,
            title="综合文秘",
            kind=PostKind.MAIN,
            start_date=MAR,
        )
    )
    row = person_row(
        "张三",
        zhang.id_number,
        post_unit="天池镇党政综合办公室",
        title="综合文秘",
        post_start="2024-03-01",
    )

    # when a row moves the main post from 2024-03-01
    job = run_import(staffing_officer, "persons", sheet(row))

    # then it is refused as post_assign refuses it
    assert expected == "调整日期须晚于现岗位任职日期2024-04-01"
    assert errors(job) == [(2, "任职日期", expected)]


def test_a_later_main_post_replaces_the_current_one(
    staffing_officer, org, qt, quota, register_person, enrol, run_import
):
    # given a person with a main post in 天池镇 from March
    zhang = register_person("张三")
    enrol(zhang, org.tianchi, qt.administrative)
    old = post_assign(
        actor=staffing_officer,
        person=zhang,
        unit=org.tianchi,
        title="科员",
        kind=PostKind.MAIN,
        start_date=MAR,
    )
    row = person_row(
        "张三",
        zhang.id_number,
        post_unit="天池镇党政综合办公室",
        title="综合文秘",
        post_start="2024-09-01",
    )

    # when a row moves the main post to the office from September
    job = run_import(staffing_officer, "persons", sheet(row), commit=True)

    # then the old post ends that day and the new one is current
    assert job.result["counts"]["updated"] == 1
    old.refresh_from_db()
    assert old.end_date == dt.date(2024, 9, 1)
    current = PostAssignment.objects.get(person=zhang, end_date__isnull=True)
    assert (current.unit, current.title, current.start_date) == (
        org.tianchi_office,
        "综合文秘",
        dt.date(2024, 9, 1),
    )


def test_a_person_outside_the_scope_is_neither_named_nor_changed(
    staffing_officer,
    org,
    qt,
    quota,
    register_person,
    enrol,
    bailang_operator,
    run_import,
    row_counts,
):
    # given a person enrolled in 天池镇, whom the 白狼镇 operator cannot see, and what
    # person_register tells that operator about the ID number
    zhang = register_person("张三", phone="13800138000")
    enrol(zhang, org.tianchi, qt.administrative)
    expected = service_message(
        lambda: person_register(actor=bailang_operator, name="张三", id_number=zhang.id_number)
    )
    before = row_counts()

    # when the 白狼镇 operator imports that ID number, enrolled in 白狼镇 with a new phone
    row = person_row("张三", zhang.id_number, unit="白狼镇", phone="13900139000")
    job = run_import(bailang_operator, "persons", sheet(row), commit=True)

    # then the row is refused as the registration it would be, without naming anyone
    masked = f"{zhang.id_number[:6]}********{zhang.id_number[-4:]}"
    assert expected == f"身份证号码{masked}已登记(不在您的管理范围内), 不能重复登记"
    assert errors(job) == [(2, "身份证号码", expected)]
    zhang.refresh_from_db()
    assert zhang.phone == "13800138000"
    assert row_counts() == before


def test_details_of_a_visible_person_that_is_not_editable_are_refused_like_person_update(
    staffing_officer, org, qt, quota, register_person, enrol, tianchi_operator, run_import
):
    # given a person who has left 天池镇: the town still sees them, but may no longer edit them
    zhang = register_person("张三", phone="13800138000")
    enrolment = enrol(zhang, org.tianchi, qt.administrative)
    person_exit(
        actor=staffing_officer,
        enrolment=enrolment,
        end_date=dt.date(2024, 6, 1),
        reason="transfer_out",
    )
    expected = service_message(
        lambda: person_update(actor=tianchi_operator, person=zhang, phone="13900139000")
    )

    # when the town operator imports a new phone number for them
    row = person_row(
        "张三",
        zhang.id_number,
        unit="",
        quota_type="",
        channel="",
        start="",
        title="",
        phone="13900139000",
        ethnicity="",
        education="",
    )
    job = run_import(tianchi_operator, "persons", sheet(row), commit=True)

    # then the importer refuses it as person_update does
    assert expected == "无权修改此人员: 其编制和工作岗位不在您的管理范围内"
    assert errors(job) == [(2, "身份证号码", expected)]


@pytest.mark.parametrize("phone", ["123", "١٣٨٠٠١٣٨٠٠٠"])
def test_a_bad_phone_number_is_refused_like_person_register(
    phone, staffing_officer, quota, run_import
):
    # given a phone number person_register refuses (too short; digits of another script)
    number = ids(1, start=95)[0]
    expected = service_message(
        lambda: person_register(actor=staffing_officer, name="张三", id_number=number, phone=phone)
    )

    # when a row with it is checked
    job = run_import(staffing_officer, "persons", sheet(person_row("张三", number, phone=phone)))

    # then the importer says the same
    assert expected == "联系电话应为7-12位数字"
    assert errors(job) == [(2, "联系电话", expected)]


def test_a_read_only_role_cannot_import_at_all(leader, run_import, row_counts, quota):
    # given a leader (read only)
    before = row_counts()

    # when the leader imports a person
    job = run_import(leader, "persons", sheet(person_row("张三", ids(1)[0])), commit=True)

    # then the job is refused as person_register refuses the role, and nothing changed
    assert job.status == JobStatus.FAILED
    assert job.error == "您的角色不能登记人员"
    assert row_counts() == before


def test_row_problems_are_all_listed(staffing_officer, quota, run_import):
    # given a file with a duplicate ID, a bad phone, a half-filled enrolment and a bad date
    a, b = ids(2, start=30)

    # when it is checked
    job = run_import(
        staffing_officer,
        "persons",
        sheet(
            person_row("张三", a),
            person_row("张三", a),
            person_row("李四", b, phone="123", channel="", start="2024-02-30"),
            person_row("", "1522", unit="没有这个镇"),
        ),
    )

    # then every problem is listed by row and column, and nothing is written
    assert errors(job) == [
        (3, "身份证号码", f"身份证号码{a[:6]}********{a[-4:]}与第2行重复"),
        (4, "入编日期", "“2024-02-30”不是有效的日期"),
        (4, "联系电话", "联系电话应为7-12位数字"),
        (4, "进入形式", "请填写进入形式"),
        (5, "姓名", "请填写姓名"),
        (5, "编制所在机构", "找不到机构“没有这个镇”"),
        (5, "身份证号码", "身份证号码应为18位"),
    ]
    assert job.result["error_count"] == 7
    assert Person.objects.count() == 0


def test_an_id_number_excel_turned_into_a_number_is_explained(staffing_officer, quota, run_import):
    # given an ID number Excel stored as a number (its last digits lost)
    row = person_row("张三", 1.52202199805200e17)

    # when it is checked
    job = run_import(staffing_officer, "persons", sheet(row))

    # then the message says what happened and what to do
    assert errors(job) == [
        (
            2,
            "身份证号码",
            "身份证号码被 Excel 存成了数字, 末几位已丢失; 请把该列设为文本格式后重新填写",
        )
    ]


def test_a_messy_county_sheet_is_imported(staffing_officer, org, quota, run_import):
    # given the kind of sheet a town sends in: a merged title, a note row, synonyms for the
    # headers, a serial number column, the unit merged down, full-width digits, spaced names,
    # dates in three spellings and as an Excel serial, phone numbers stored as numbers
    a, b, c = ids(3, start=40)
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in c)
    data = xlsx(
        [
            ["天池镇机关事业单位实名制人员花名册"],
            ["填报单位: 天池镇人民政府", None, None, None, None, None, "填报日期: 2024年9月"],
            [
                "序号",
                "人员姓名",
                "公民身份号码",
                "文化程度",
                "手机号码",
                "编制单位",
                "编制性质",
                "进编方式",
                "进编时间",
                "职务",
            ],
            [1, "张  三", a, "本科", 13800138000, "天池镇", "行政", "考录", "2024年3月1日", "科员"],
            [2, "李四", b, "大专", 13800138001, None, "行政编制", "考录", "2024.3.1", "科员"],
            [
                3,
                "王 五",
                full_width,
                "硕士",
                "13800138002",
                None,
                "行政编制",
                "选调",
                45352,
                " 科员 ",
            ],
            [None, "填表人: 赵六"],
        ],
        merges=["A1:J1", "F4:F6"],
    )

    # when it is imported
    job = run_import(staffing_officer, "persons", data, commit=True)

    # then every person is on 天池镇's quota, dated 2024-03-01
    assert job.result["errors"] == [], job.result["errors"]
    assert job.result["header_row"] == 3
    assert job.result["ignored_columns"] == ["序号"]
    people = {p.id_number: p for p in Person.objects.all()}
    assert sorted(p.name for p in people.values()) == ["张三", "李四", "王五"]
    assert people[a].phone == "13800138000"
    assert people[c].education == "master"
    assert list(
        Enrolment.objects.order_by("person__name").values_list(
            "unit__name", "start_date", "channel"
        )
    ) == [
        ("天池镇", MAR, EntryChannel.CIVIL_SERVICE_EXAM),
        ("天池镇", MAR, EntryChannel.CIVIL_SERVICE_EXAM),
        ("天池镇", MAR, EntryChannel.SELECTED_GRADUATE),
    ]


def test_csv_in_gbk_is_imported(staffing_officer, quota, run_import):
    # given a CSV saved by Excel in GBK
    data = csv_bytes([PERSON_HEADER, person_row("张三", ids(1)[0])], "gbk")

    # when it is imported
    job = run_import(staffing_officer, "persons", data, commit=True, name="人员.csv")

    # then the Chinese text arrives intact
    assert job.result["errors"] == []
    assert Person.objects.get().name == "张三"


def test_a_formula_without_a_value_is_an_error_for_that_cell(staffing_officer, quota, run_import):
    # given a phone number computed by a formula that was never calculated
    row = person_row("张三", ids(1)[0])
    row[4] = '=CONCAT("138","00138000")'

    # when it is checked
    job = run_import(staffing_officer, "persons", sheet(row))

    # then that cell is reported
    assert errors(job) == [
        (2, "联系电话", "该单元格是公式但没有计算结果, 请在 Excel 中重新计算并保存后再导入")
    ]


def test_a_failure_half_way_leaves_nothing_half_imported(
    staffing_officer, quota, run_import, row_counts, monkeypatch
):
    # given writes in chunks of two rows, and a bulk insert that fails after the first chunk
    monkeypatch.setattr(persons_register, "WRITE_CHUNK", 2)
    real = persons_register.insert_with_history
    calls = []

    def failing(model, rows, **kwargs):
        calls.append(model.__name__)
        if len(calls) > 3:
            raise RuntimeError("disk full")
        return real(model, rows, **kwargs)

    monkeypatch.setattr(persons_register, "insert_with_history", failing)
    before = row_counts()

    # when five people are imported
    job = run_import(
        staffing_officer,
        "persons",
        sheet(*(person_row(f"人员{i}", n, title="") for i, n in enumerate(ids(5)))),
        commit=True,
    )

    # then the first chunk (people, enrolments, no posts) had been written before the failure,
    # and none of it remains
    assert calls == ["Person", "Enrolment", "PostAssignment", "Person"]
    assert job.status == JobStatus.FAILED
    assert job.error == "任务执行出错, 未写入任何数据(RuntimeError)"
    assert row_counts() == before


def test_export_honours_the_page_filter_and_scope(
    staffing_officer,
    tianchi_operator,
    org,
    qt,
    quota,
    register_person,
    enrol,
    grant_quota,
    run_export,
):
    # given people in two towns
    enrol(register_person("张三"), org.tianchi, qt.administrative)
    enrol(register_person("李四"), org.bailang, qt.administrative)

    # when the register is exported by the 编办, with the page filter, and by a town operator
    everyone = read_xlsx(bytes(run_export(staffing_officer, "persons").output_data))
    filtered = read_xlsx(
        bytes(run_export(staffing_officer, "persons", filters={"unit": "白狼"}).output_data)
    )
    scoped = read_xlsx(bytes(run_export(tianchi_operator, "persons").output_data))

    # then the filter and the scope decide the rows (below the title and the header)
    assert [r[0] for r in everyone[2:]] == ["张三", "李四"]
    assert [r[0] for r in filtered[2:]] == ["李四"]
    assert [r[0] for r in scoped[2:]] == ["张三"]
    assert everyone[1][:3] == ["姓名", "身份证号码", "民族"]


def test_an_enrolment_recorded_with_another_date_is_not_rewritten(
    staffing_officer, org, qt, quota, register_person, enrol, run_import, row_counts
):
    # given a person enrolled on 2024-03-01
    zhang = register_person("张三")
    enrol(zhang, org.tianchi, qt.administrative)
    before = row_counts()

    # when a row gives the same enrolment another date
    row = person_row(
        "张三", zhang.id_number, start="2024-04-01", title="", ethnicity="", education="", phone=""
    )
    job = run_import(staffing_officer, "persons", sheet(row), commit=True)

    # then the importer does not rewrite the enrolment, and nothing is written
    assert errors(job) == [
        (
            2,
            "入编日期",
            "导入不修改已有的入编记录: 系统中入编日期为“2024-03-01”, 表中为“2024-04-01”",
        )
    ]
    assert row_counts() == before


def test_a_post_without_enrolment_columns_goes_to_the_enrolment_unit(
    staffing_officer, org, qt, quota, register_person, enrol, run_import
):
    # given an enrolled person without a post, and a row naming only the post
    zhang = register_person("张三")
    enrol(zhang, org.tianchi, qt.administrative)
    row = ["张三", zhang.id_number, "", "", "", "", "", "", "", "", "", "综合文秘", "2024-05-01"]

    # when imported
    job = run_import(staffing_officer, "persons", sheet(row), commit=True)

    # then the main post is in the unit of the enrolment
    assert job.result["errors"] == []
    post = PostAssignment.objects.get(person=zhang)
    assert (post.unit, post.title, post.start_date) == (
        org.tianchi,
        "综合文秘",
        dt.date(2024, 5, 1),
    )


def test_a_name_too_long_is_refused_like_person_register(
    staffing_officer, quota, run_import, row_counts
):
    # given a name longer than the register allows, and what person_register says of it
    name = "张" * 51
    number = ids(1, start=90)[0]
    expected = service_message(
        lambda: person_register(actor=staffing_officer, name=name, id_number=number)
    )
    before = row_counts()

    # when a row with it is checked
    job = run_import(staffing_officer, "persons", sheet(person_row(name, number)))

    # then the importer gives the same message in the 姓名 column, and nothing is written
    assert expected == "确保该变量包含不超过 50 字符 (目前字符数 51)。"
    assert errors(job) == [(2, "姓名", expected)]
    assert row_counts() == before


def test_a_row_with_another_problem_takes_no_quota_place(
    staffing_officer, org, qt, grant_quota, run_import
):
    # given 白狼镇 with one free place, a first row whose post starts before its enrolment, and
    # a second row
    grant_quota(org.bailang, qt.administrative, 1)
    a, b = ids(2, start=85)
    rows = [
        person_row("甲", a, unit="白狼镇", post_start="2024-02-01"),
        person_row("乙", b, unit="白狼镇"),
    ]

    # when the file is checked
    job = run_import(staffing_officer, "persons", sheet(*rows))

    # then only the first row's own problem is reported: the second row still fits the quota
    assert errors(job) == [(2, "任职日期", "甲在2024-02-01不在编, 不能安排岗位")]
