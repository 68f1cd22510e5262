"""Regression tests for holes found in review: abolition with later quota or open posts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhenjie.organizations.models import Unit
from zhenjie.organizations.services import unit_abolish
from zhenjie.personnel.choices import PostKind
from zhenjie.personnel.services import post_assign


def test_unit_abolish_refuses_when_quota_is_dated_after_the_abolition(
    org, qt, grant_quota, staffing_officer, row_counts
):
    # given 天池镇's center granted 2 places from 2025-01-01
    grant_quota(org.tianchi_center, qt.institution, 2, on=dt.date(2025, 1, 1))
    before = row_counts()

    # when it is abolished on an earlier day
    with pytest.raises(ValidationError) as exc:
        unit_abolish(
            actor=staffing_officer,
            unit=org.tianchi_center,
            abolished_on=dt.date(2024, 12, 31),
            abolished_doc="阿机编发〔2024〕9号",
        )

    # then the later movement blocks it and nothing changes
    assert exc.value.message_dict == {"abolished_on": ["撤销日期之后仍有编制变动记录, 不能撤销"]}
    assert row_counts() == before
    assert Unit.objects.get(pk=org.tianchi_center.pk).abolished_on is None


def test_unit_abolish_refuses_an_office_with_people_still_posted(
    org, qt, grant_quota, register_person, enrol, staffing_officer, row_counts
):
    # given a town officer whose main post is in 天池镇党政综合办公室
    grant_quota(org.tianchi, qt.administrative, 1)
    person = register_person("钱二")
    enrolment = enrol(person, org.tianchi, qt.administrative)
    post_assign(
        actor=staffing_officer,
        person=person,
        unit=org.tianchi_office,
        title="科员",
        kind=PostKind.MAIN,
        start_date=enrolment.start_date,
    )
    before = row_counts()

    # when the office is abolished
    with pytest.raises(ValidationError) as exc:
        unit_abolish(
            actor=staffing_officer,
            unit=org.tianchi_office,
            abolished_on=dt.date(2025, 6, 1),
            abolished_doc="阿机编发〔2025〕2号",
        )

    # then the open post blocks it and nothing changes
    assert exc.value.messages == ["该机构仍有在岗人员(含兼任), 须先调整其工作岗位"]
    assert row_counts() == before


def test_a_town_must_lie_in_its_countys_division(root, div, org, other_county, row_counts):
    # given a division of another county
    from zhenjie.organizations.choices import UnitKind
    from zhenjie.organizations.services import unit_create

    foreign = other_county.town.division
    before = row_counts()

    # when a town of 阿尔山市 is tied to it
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=root,
            name="错区划镇",
            kind=UnitKind.TOWN,
            parent=org.county,
            division=foreign,
            established_on=dt.date(2020, 1, 1),
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"division": [f"行政区划{foreign}不属于阿尔山市"]}
    assert row_counts() == before
