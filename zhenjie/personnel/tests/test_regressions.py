"""Regression tests: back-dated enrolment over quota, duplicate people in a transfer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhenjie.personnel.choices import EntryChannel
from zhenjie.personnel.services import person_enrol, quota_transfer


def test_back_dated_enrolment_is_refused_when_a_later_day_has_no_free_place(
    org, qt, grant_quota, register_person, enrol, staffing_officer, row_counts
):
    # given 天池镇 with one administrative place, taken from 2024-03-01
    grant_quota(org.tianchi, qt.administrative, 1, on=dt.date(2020, 1, 1))
    enrol(register_person("孙三"), org.tianchi, qt.administrative, on=dt.date(2024, 3, 1))
    late = register_person("李四")
    before = row_counts()

    # when another person is enrolled from an earlier day, when the place was still free
    with pytest.raises(ValidationError) as exc:
        person_enrol(
            actor=staffing_officer,
            person=late,
            unit=org.tianchi,
            quota_type=qt.administrative,
            channel=EntryChannel.CIVIL_SERVICE_EXAM,
            start_date=dt.date(2023, 1, 1),
        )

    # then the day the unit would go over quota is named and nothing is saved
    assert exc.value.message_dict == {
        "quota_type": [
            "天池镇的行政编制2024-03-01核定1名, 已有1人在编, 无空编可用"
            "(国务院令第486号第6条: 实有人员不得突破规定的编制)"
        ]
    }
    assert row_counts() == before


def test_transfer_refuses_the_same_person_twice(
    org, qt, grant_quota, register_person, enrol, staffing_officer, row_counts
):
    # given a person on 天池镇's center
    grant_quota(org.tianchi_center, qt.institution, 2)
    grant_quota(org.bailang_center, qt.institution, 1)
    person = register_person("周五")
    enrol(person, org.tianchi_center, qt.institution)
    before = row_counts()

    # when a transfer names them twice
    with pytest.raises(ValidationError) as exc:
        quota_transfer(
            actor=staffing_officer,
            from_unit=org.tianchi_center,
            to_unit=org.bailang_center,
            quota_type=qt.institution,
            amount=2,
            doc_no="阿机编发〔2024〕7号",
            effective_on=dt.date(2024, 9, 1),
            persons=[person, person],
        )

    # then the duplicate is named and nothing moves
    assert exc.value.message_dict == {"persons": ["随编划转人员有重复"]}
    assert row_counts() == before


def test_a_duplicate_id_number_does_not_reveal_a_person_outside_the_users_scope(
    org, qt, grant_quota, register_person, enrol, bailang_operator, row_counts
):
    # given a person enrolled in 天池镇
    from zhenjie.personnel.services import person_register

    grant_quota(org.tianchi, qt.administrative, 1)
    person = register_person("吴六")
    enrol(person, org.tianchi, qt.administrative)
    before = row_counts()

    # when a 白狼镇 operator registers the same ID number
    with pytest.raises(ValidationError) as exc:
        person_register(actor=bailang_operator, name="某人", id_number=person.id_number)

    # then the number is refused without naming its holder
    assert exc.value.message_dict == {
        "id_number": [
            f"身份证号码{person.masked_id_number}已登记(不在您的管理范围内), 不能重复登记"
        ]
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    "number", ["15220219950301011²", "15220219٩50301011X"], ids=["superscript", "arabic-indic"]
)
def test_non_ascii_digits_are_not_an_id_number(number):
    from zhenjie.core.validators import parse_resident_id

    with pytest.raises(ValidationError) as exc:
        parse_resident_id(number)
    assert exc.value.messages == ["身份证号码格式错误"]
