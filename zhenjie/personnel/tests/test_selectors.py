"""Who sees whom in the real-name register, and the staffing table (编制 vs 实有)."""

import datetime as dt

import pytest

from zhenjie.organizations.choices import DivisionLevel, UnitKind
from zhenjie.organizations.services import division_create, unit_create
from zhenjie.personnel.choices import ExitReason, PostKind
from zhenjie.personnel.selectors import (
    person_is_editable,
    person_list,
    person_list_current,
    staffing_table,
    staffing_totals,
    unit_people,
)
from zhenjie.personnel.services import person_exit, person_register, post_assign, quota_transfer
from zhenjie.staffing.choices import LeadershipLevel, MovementKind
from zhenjie.staffing.services import leadership_quota_set

pytestmark = pytest.mark.django_db

JAN = dt.date(2024, 1, 1)
FEB = dt.date(2024, 2, 1)
MAR = dt.date(2024, 3, 1)
JUN = dt.date(2024, 6, 1)
JUL = dt.date(2024, 7, 1)
DOC = "阿机编发〔2024〕20号"


def names(people):
    return sorted(p.name for p in people)


def post(actor, person, unit, title, kind=PostKind.MAIN, on=MAR, level=""):
    return post_assign(
        actor=actor,
        person=person,
        unit=unit,
        title=title,
        kind=kind,
        start_date=on,
        is_leadership=bool(level),
        leadership_level=level,
    )


@pytest.fixture
def people(org, qt, grant_quota, register_person, enrol, staffing_officer, bailang_operator):
    """张三 and 李四 in 天池镇, 王五 and 赵六 in 白狼镇, 孙七 registered by 白狼镇, 周八 by the 编办.

    天池镇: 3 places of 行政编制, 2 people, 1 principal and 2 deputy posts approved, 张三 镇长.
    天池镇's center: 2 places of 事业编制, nobody enrolled.
    白狼镇: 2 places cut to 1 on Jun 1 while 王五 and 赵六 stay (over by 1).
    李四 works in 天池镇's office and serves concurrently in 白狼镇's center.
    """
    grant_quota(org.tianchi, qt.administrative, 3, on=JAN)
    grant_quota(org.tianchi_center, qt.institution, 2, on=JAN)
    grant_quota(org.bailang, qt.administrative, 2, on=JAN)
    for level, count in [(LeadershipLevel.PRINCIPAL, 1), (LeadershipLevel.DEPUTY, 2)]:
        leadership_quota_set(
            actor=staffing_officer,
            unit=org.tianchi,
            level=level,
            count=count,
            doc_no=DOC,
            effective_on=JAN,
        )
    by_name = {}
    for name, unit in [
        ("张三", org.tianchi),
        ("李四", org.tianchi),
        ("王五", org.bailang),
        ("赵六", org.bailang),
    ]:
        by_name[name] = register_person(name)
        enrol(by_name[name], unit, qt.administrative, on=MAR)
    post(staffing_officer, by_name["张三"], org.tianchi, "镇长", level=LeadershipLevel.PRINCIPAL)
    post(staffing_officer, by_name["李四"], org.tianchi_office, "综合文秘")
    post(staffing_officer, by_name["李四"], org.bailang_center, "农技员", kind=PostKind.CONCURRENT)
    grant_quota(org.bailang, qt.administrative, 1, kind=MovementKind.DECREASE, on=JUN)
    by_name["孙七"] = person_register(
        actor=bailang_operator, name="孙七", id_number="11010519491231002X"
    )
    by_name["周八"] = register_person("周八", birth=dt.date(2001, 1, 1))
    return by_name


# ---------------------------------------------------------------- person_list


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("bailang_operator", ["孙七", "李四", "王五", "赵六"]),
        ("tianchi_operator", ["张三", "李四"]),
        ("staffing_officer", ["周八", "张三", "李四", "王五", "赵六"]),
        ("leader", ["张三", "李四", "王五", "赵六"]),
        ("department_operator", []),
        ("root", ["周八", "孙七", "张三", "李四", "王五", "赵六"]),
    ],
)
def test_person_list_is_limited_to_the_user_scope(request, people, user, visible):
    # given people enrolled, posted or registered across the county
    actor = request.getfixturevalue(user)

    # when a user lists the people they may see
    listed = person_list(user=actor)

    # then only people enrolled or posted in their subtree, or registered by them, are listed
    assert names(listed) == visible


def test_person_list_of_a_bailang_operator_excludes_tianchi_people(people, bailang_operator):
    # given 张三 enrolled and working in 天池镇 only
    # when 白狼镇's operator lists people
    listed = person_list(user=bailang_operator)

    # then 张三 is not among them (李四 is, through his concurrent post in 白狼镇)
    assert not listed.filter(pk=people["张三"].pk).exists()
    assert listed.filter(pk=people["李四"].pk).exists()


def test_person_list_follows_a_quota_transfer(people, org, qt, staffing_officer, bailang_operator):
    # given 张三 in 天池镇, not visible to 白狼镇's operator
    assert not person_list(user=bailang_operator).filter(pk=people["张三"].pk).exists()

    # when 2 places are transferred with him to 白狼镇 (1 place, 2 people) on Jul 1
    quota_transfer(
        actor=staffing_officer,
        from_unit=org.tianchi,
        to_unit=org.bailang,
        quota_type=qt.administrative,
        amount=2,
        doc_no=DOC,
        effective_on=JUL,
        persons=[people["张三"]],
    )

    # then 白狼镇's operator sees him
    assert person_list(user=bailang_operator).filter(pk=people["张三"].pk).exists()


def test_person_list_current_prefetches_the_current_enrolment_and_posts(
    people, org, staffing_officer, tianchi_operator, django_assert_num_queries
):
    # given 张三 who retired on Jun 1 and 李四 still in 天池镇
    person_exit(
        actor=staffing_officer,
        enrolment=people["张三"].enrolments.get(),
        end_date=JUN,
        reason=ExitReason.RETIREMENT,
    )

    # when 天池镇's operator lists people as of Jul 1 (one query for people, one per prefetch)
    with django_assert_num_queries(3):
        listed = list(person_list_current(user=tianchi_operator, on=JUL).order_by("name"))
        current = {
            p.name: (
                [e.unit.name for e in p.current_enrolments],
                sorted(post.unit.name for post in p.current_posts),
            )
            for p in listed
        }

    # then 张三 has no current enrolment or post and 李四 has both of his posts
    assert current == {
        "张三": ([], []),
        "李四": (["天池镇"], ["天池镇党政综合办公室", "白狼镇综合保障和技术推广中心"]),
    }


@pytest.mark.parametrize(
    ("user", "person", "editable"),
    [
        ("tianchi_operator", "张三", True),
        ("staffing_officer", "张三", True),
        ("bailang_operator", "张三", False),
        ("leader", "张三", False),
        ("department_operator", "张三", False),
        ("bailang_operator", "孙七", True),
        ("tianchi_operator", "孙七", False),
        ("bailang_operator", "李四", True),
    ],
)
def test_person_is_editable_by_who_holds_the_current_enrolment_or_post(
    request, people, user, person, editable
):
    # given people enrolled, posted or only registered
    actor = request.getfixturevalue(user)

    # when editability is checked as of Jul 1
    # then it follows the current enrolment, posts or (for the unenrolled) the registrar
    assert person_is_editable(user=actor, person=people[person], on=JUL) is editable


def test_unit_people_separates_enrolled_and_working(people, org, staffing_officer):
    # given 李四 enrolled in 天池镇 but working in its office (混岗), 张三 enrolled and working there
    # when the town's people are read as of Jul 1
    result = unit_people(user=staffing_officer, unit=org.tianchi, on=JUL)

    # then both are enrolled but only 张三 works in the town itself
    assert [e.person.name for e in result["enrolled"]] == ["张三", "李四"]
    assert [(p.person.name, p.title) for p in result["working"]] == [("张三", "镇长")]


# ---------------------------------------------------------------- staffing_table


def row_numbers(rows, qt):
    return {
        row.unit.name: {
            "cells": {
                code: (
                    row.cells[t.pk].approved,
                    row.cells[t.pk].actual,
                    row.cells[t.pk].vacant,
                    row.cells[t.pk].over,
                )
                for code, t in vars(qt).items()
                if t.pk in row.cells
            },
            "total": (row.approved, row.actual, row.vacant, row.over),
            "leaders": (row.leaders_approved, row.leaders_actual),
        }
        for row in rows
    }


def test_staffing_table_gives_approved_actual_vacant_and_over(people, org, qt, staffing_officer):
    # given the county of the fixture
    # when the 编办 reads the staffing table of the county as of Jul 1
    types, rows = staffing_table(user=staffing_officer, root=org.county, on=JUL)

    # then units holding quota are listed in tree order with their numbers (offices excluded)
    assert [t.code for t in types] == [
        "administrative",
        "political_legal",
        "organ_worker",
        "institution",
    ]
    assert [row.unit.name for row in rows] == ["天池镇", "天池镇综合保障和技术推广中心", "白狼镇"]
    assert row_numbers(rows, qt) == {
        "天池镇": {
            "cells": {"administrative": (3, 2, 1, 0)},
            "total": (3, 2, 1, 0),
            "leaders": (3, 1),
        },
        "天池镇综合保障和技术推广中心": {
            "cells": {"institution": (2, 0, 2, 0)},
            "total": (2, 0, 2, 0),
            "leaders": (0, 0),
        },
        "白狼镇": {
            "cells": {"administrative": (1, 2, 0, 1)},
            "total": (1, 2, 0, 1),
            "leaders": (0, 0),
        },
    }
    totals = staffing_totals(rows, types)
    assert {t.code: (totals[t.pk].approved, totals[t.pk].actual) for t in types} == {
        "administrative": (4, 4),
        "political_legal": (0, 0),
        "organ_worker": (0, 0),
        "institution": (2, 0),
    }


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2023, 12, 31), {}),
        (FEB, {"天池镇": (3, 0), "天池镇综合保障和技术推广中心": (2, 0), "白狼镇": (2, 0)}),
        (MAR, {"天池镇": (3, 2), "天池镇综合保障和技术推广中心": (2, 0), "白狼镇": (2, 2)}),
        (JUN, {"天池镇": (3, 2), "天池镇综合保障和技术推广中心": (2, 0), "白狼镇": (1, 2)}),
    ],
    ids=["before-any-quota", "quota-no-people", "people-enrolled", "after-the-cut"],
)
def test_staffing_table_is_computed_as_of_a_date(people, org, staffing_officer, on, expected):
    # given quota approved on Jan 1, people enrolled on Mar 1 and 白狼镇 cut on Jun 1
    # when the table is read as of a day
    _, rows = staffing_table(user=staffing_officer, root=org.county, on=on)

    # then the numbers of that day are shown
    assert {row.unit.name: (row.approved, row.actual) for row in rows} == expected


@pytest.mark.parametrize(
    ("user", "subtree", "units"),
    [
        ("bailang_operator", "county", ["白狼镇"]),
        ("tianchi_operator", "county", ["天池镇", "天池镇综合保障和技术推广中心"]),
        ("staffing_officer", "tianchi", ["天池镇", "天池镇综合保障和技术推广中心"]),
        ("leader", "county", ["天池镇", "天池镇综合保障和技术推广中心", "白狼镇"]),
        ("department_operator", "county", []),
    ],
)
def test_staffing_table_is_limited_to_the_user_scope_and_root(
    request, people, org, user, subtree, units
):
    # given quota and people in both towns
    actor = request.getfixturevalue(user)

    # when a user reads the table under a root
    _, rows = staffing_table(user=actor, root=getattr(org, subtree), on=JUL)

    # then only visible units under the root are listed
    assert [row.unit.name for row in rows] == units


@pytest.mark.parametrize("extra_towns", [0, 5])
def test_staffing_table_query_count_does_not_grow_with_the_units(
    people,
    org,
    qt,
    staffing_officer,
    grant_quota,
    register_person,
    enrol,
    django_assert_num_queries,
    extra_towns,
):
    # given the county plus a number of extra towns, each with quota, a person and leadership posts
    for n in range(extra_towns):
        code = f"152202{110 + n}"
        division = division_create(
            code=code, name=f"第{n}镇", level=DivisionLevel.TOWN, parent=org.county.division
        )
        town = unit_create(
            actor=staffing_officer,
            name=f"第{n}镇",
            kind=UnitKind.TOWN,
            parent=org.county,
            division=division,
            established_on=dt.date(2000, 1, 1),
        )
        grant_quota(town, qt.administrative, 2, on=JAN)
        leadership_quota_set(
            actor=staffing_officer,
            unit=town,
            level=LeadershipLevel.DEPUTY,
            count=2,
            doc_no=DOC,
            effective_on=JAN,
        )
        person = register_person(f"干部{n}", birth=dt.date(1996 + n, 1, 1))
        enrol(person, town, qt.administrative, on=MAR)
        post(staffing_officer, person, town, "副镇长", level=LeadershipLevel.DEPUTY)

    # when the table is built and every number read
    # then it takes the same six queries: types, units, balances, enrolments, approved
    # leadership posts and leaders in post
    with django_assert_num_queries(6):
        types, rows = staffing_table(user=staffing_officer, root=org.county, on=JUL)
        numbers = [
            (row.approved, row.actual, row.vacant, row.over, row.leaders_actual) for row in rows
        ]
        staffing_totals(rows, types)

    assert len(numbers) == 3 + extra_towns
    assert numbers[3:] == [(2, 1, 1, 0, 1)] * extra_towns
