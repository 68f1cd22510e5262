"""Pages of the real-name register, the overview and search, on the Arxan demo county."""

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from stdnum.cn import ric

from zhenjie.demo.arxan import build_demo
from zhenjie.organizations.models import Unit
from zhenjie.personnel.choices import EntryChannel, ExitReason, PostKind
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.personnel.selectors import person_list
from zhenjie.staffing.choices import MovementKind
from zhenjie.staffing.models import QuotaMovement, QuotaTransfer, QuotaType

TODAY = dt.date.today()
PERSON_LINK = re.compile(r'href="/people/(\d+)/"')


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_demo()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def hard_quota(settings: Any) -> None:
    """Enrolment beyond the quota is refused, whatever the environment says."""
    settings.ZHENJIE = {**settings.ZHENJIE, "QUOTA_ENFORCEMENT": "hard"}


def new_id(birth: str = "19950301", seq: int = 11) -> str:
    """A valid resident ID of 呼和浩特市新城区 (150102), a region no demo person comes from."""
    body = f"150102{birth}{seq:03d}"
    # python-stdnum computes the check character from a full-length number, ignoring its last one.
    return body + ric.calc_check_digit(body + "0")


def unit(name: str, parent: str | None = None) -> Unit:
    if parent is None:
        return Unit.objects.get(name=name, abolished_on=None)
    return Unit.objects.get(name=name, parent__name=parent, abolished_on=None)


def quota_type(code: str) -> QuotaType:
    return QuotaType.objects.get(code=code)


def enrolled_in(unit_: Unit) -> list[Person]:
    """People on ``unit_``'s quota today, by name."""
    return [
        e.person
        for e in Enrolment.objects.active_on(TODAY)
        .filter(unit=unit_)
        .select_related("person")
        .order_by("person__name", "person_id")
    ]


def main_post(person: Person) -> PostAssignment:
    return PostAssignment.objects.get(person=person, kind=PostKind.MAIN, end_date=None)


def office_clerk(town: str, office: str) -> Person:
    """A 科员 on the town's administrative quota whose actual post is in ``office``."""
    post = (
        PostAssignment.objects.filter(
            unit=unit(office, town), kind=PostKind.MAIN, end_date=None, title="科员"
        )
        .order_by("person__name", "person_id")
        .first()
    )
    assert post is not None
    return post.person


def linked_people(html: str) -> set[int]:
    return {int(pk) for pk in PERSON_LINK.findall(html)}


def field_errors(html: str) -> list[str]:
    return re.findall(
        r'<div class="invalid-feedback d-block" data-field="[^"]*">([^<]*)</div>', html
    )


def person_create_data(**overrides: Any) -> dict[str, Any]:
    tianchi = unit("天池镇")
    data = {
        "name": "那日苏",
        "id_number": new_id(),
        "ethnicity": "蒙古族",
        "education": "bachelor",
        "major": "行政管理",
        "political_status": "cpc",
        "phone": "13904821234",
        "notes": "",
        "unit": tianchi.pk,
        "quota_type": quota_type("administrative").pk,
        "channel": EntryChannel.CIVIL_SERVICE_EXAM,
        "start_date": "2025-09-01",
        "doc_no": "阿人社发〔2025〕12号",
        "post_unit": unit("乡村振兴办公室", "天池镇").pk,
        "post_title": "科员",
    }
    data.update(overrides)
    return data


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }


# ------------------------------------------------------------------ pages render


def person_pk() -> int:
    return office_clerk("天池镇", "乡村振兴办公室").pk


@pytest.mark.parametrize(
    ("url", "marker"),
    [
        (lambda: "/", "<title>编制总览 · 镇街</title>"),
        (lambda: "/people/", "<title>实名制人员 · 镇街</title>"),
        (lambda: f"/people/{person_pk()}/", 'data-testid="enrolments"'),
        (lambda: "/search/?q=天池", "<title>搜索 · 镇街</title>"),
        (lambda: "/people/new/", "<title>人员入编登记 · 镇街</title>"),
        (lambda: f"/people/{person_pk()}/edit/", "<title>修改人员信息: "),
        (lambda: f"/people/{person_pk()}/exit/", "<title>办理出编: "),
        (lambda: f"/people/{person_pk()}/posts/new/", "<title>调整岗位 / 兼任: "),
        (lambda: "/people/transfers/new/", "<title>编制划转(编随事走、人随编走) · 镇街</title>"),
        (lambda: f"/people/units/{unit('天池镇').pk}/people/", 'data-testid="enrolled"'),
        (lambda: f"/staffing/units/{unit('天池镇').pk}/quota/", 'data-testid="balances"'),
        (lambda: "/staffing/movements/", "<title>编制台账 · 镇街</title>"),
        (lambda: "/staffing/movements/new/", "<title>登记编制变动 · 镇街</title>"),
        (lambda: "/staffing/redistributions/new/", "<title>编制二次分配 · 镇街</title>"),
    ],
    ids=[
        "overview",
        "people",
        "person",
        "search",
        "person-create",
        "person-edit",
        "person-exit",
        "post-create",
        "transfer",
        "unit-people-panel",
        "unit-quota-panel",
        "movements",
        "movement-create",
        "redistribution",
    ],
)
def test_main_pages_render_for_the_staffing_office(demo, db, client, url, marker):
    # given the county staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the page is opened
    response = client.get(url())

    # then it renders
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_overview_shows_the_county_totals(demo, db, client):
    # given the county staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the overview is opened
    html = client.get("/").content.decode()

    # then it is the county's overview, counting its 4 towns and 4 streets
    assert '<h1 class="h3 mb-0">阿尔山市 · 编制总览</h1>' in html
    assert re.findall(
        r'<div class="small text-muted">(镇|街道)</div><div class="value" data-testid="kind-count">(\d+)</div>',
        html,
    ) == [
        ("镇", "4"),
        ("街道", "4"),
    ]


def test_person_page_shows_the_id_number_masked(demo, db, client):
    # given a demo person and the staffing office logged in
    person = office_clerk("天池镇", "乡村振兴办公室")
    client.force_login(demo.users["bianban"])

    # when the person's page is opened
    html = client.get(f"/people/{person.pk}/").content.decode()

    # then the ID number is shown masked, never in full
    assert (
        f'data-testid="id-number">{person.id_number[:6]}********{person.id_number[-4:]}</dd>'
        in html
    )
    assert person.id_number not in html


def test_search_finds_units_by_name_and_no_people(demo, db, client):
    # given the staffing office logged in
    client.force_login(demo.users["bianban"])

    # when it searches for 天池
    html = client.get("/search/?q=天池").content.decode()

    # then the town and every unit named after it are found, and no person
    expected = sorted(Unit.objects.filter(name__contains="天池").values_list("name", flat=True))
    assert expected == sorted(
        [
            "天池镇",
            "天池镇市场监督管理所",
            "天池镇司法所",
            "天池镇林业工作站",
            "天池镇畜牧兽医站",
            "天池镇城管中队",
        ]
    )
    block = html[
        html.index('data-testid="unit-results"') : html.index('data-testid="person-results"')
    ]
    assert sorted(re.findall(r'<a href="/org/units/\d+/">([^<]+)</a>', block)) == expected
    assert "人员(0)" in html


@pytest.mark.parametrize(
    ("query", "found"),
    [("full", True), ("first-ten-digits", False)],
    ids=["full-id-finds", "partial-id-finds-nothing"],
)
def test_search_by_id_number_needs_the_whole_number(demo, db, client, query, found):
    # given a demo person and the staffing office logged in
    person = office_clerk("白狼镇", "社会事务办公室")
    q = person.id_number if query == "full" else person.id_number[:10]
    client.force_login(demo.users["bianban"])

    # when it searches by the ID number
    html = client.get("/search/", {"q": q}).content.decode()

    # then only the whole number finds the person
    assert linked_people(html) == ({person.pk} if found else set())


# ------------------------------------------------------------------ list, filter, pagination


def test_people_list_filters_by_name(demo, db, client):
    # given a demo person's name and the staffing office logged in
    name = office_clerk("天池镇", "社会事务办公室").name
    client.force_login(demo.users["bianban"])

    # when the register is filtered by that name
    html = client.get("/people/", {"q": name}).content.decode()

    # then exactly the people whose name contains it are listed
    assert linked_people(html) == set(
        Person.objects.filter(name__contains=name).values_list("pk", flat=True)
    )


def test_people_list_paginates_fifty_a_page(demo, db, client):
    # given the demo's people and the staffing office logged in
    total = Person.objects.count()
    pages = -(-total // 50)
    client.force_login(demo.users["bianban"])

    # when every page of the register is read
    seen = [
        linked_people(client.get("/people/", {"page": page}).content.decode())
        for page in range(1, pages + 1)
    ]

    # then full pages hold fifty, the last the rest, and every person appears exactly once
    assert pages == 7
    assert [len(rows) for rows in seen] == [50] * (pages - 1) + [total - 50 * (pages - 1)]
    assert sorted(pk for rows in seen for pk in rows) == sorted(
        Person.objects.values_list("pk", flat=True)
    )


def test_people_list_never_shows_a_full_id_number(demo, db, client):
    # given every ID number of the demo and the staffing office logged in
    numbers = list(Person.objects.values_list("id_number", flat=True))
    pages = -(-len(numbers) // 50)
    client.force_login(demo.users["bianban"])

    # when every page of the register is opened
    html = [client.get("/people/", {"page": page}).content.decode() for page in range(1, pages + 1)]

    # then no full ID number is on any page, and each page shows masked ones
    assert [n for n in numbers if any(n in page for page in html)] == []
    assert [page.count("152202********") for page in html] == [50] * (pages - 1) + [
        len(numbers) - 50 * (pages - 1)
    ]


def test_search_never_shows_a_full_id_number(demo, db, client):
    # given the people named 王 and the staffing office logged in
    people = list(Person.objects.filter(name__contains="王"))
    client.force_login(demo.users["bianban"])

    # when the search lists them
    html = client.get("/search/", {"q": "王"}).content.decode()

    # then each is shown with a masked number only
    assert len(people) > 0
    assert linked_people(html) == {p.pk for p in people}
    assert [p.name for p in people if p.id_number in html] == []
    assert [p.name for p in people if p.masked_id_number not in html] == []


def test_unit_people_panel_never_shows_a_full_id_number(demo, db, client):
    # given the people of 天池镇's center and the staffing office logged in
    center = unit("综合保障和技术推广中心", "天池镇")
    people = enrolled_in(center)
    client.force_login(demo.users["bianban"])

    # when the center's people panel is opened
    html = client.get(f"/people/units/{center.pk}/people/").content.decode()

    # then each is listed with a masked number only
    assert [p.id_number for p in people if p.id_number in html] == []
    assert [p.masked_id_number for p in people if p.masked_id_number not in html] == []


# ------------------------------------------------------------------ query counts


@pytest.mark.parametrize(
    ("url", "bound"),
    [("/", 10), ("/people/", 8), ("/people/?page=6", 8), ("/search/?q=王", 5)],
)
def test_pages_use_a_fixed_number_of_queries(
    demo, db, client, django_assert_max_num_queries, url, bound
):
    # given the staffing office logged in over 300 people and 130 units
    client.force_login(demo.users["bianban"])

    # when the page is opened
    with django_assert_max_num_queries(bound):
        response = client.get(url)

    # then it was built in a fixed number of queries, whatever the data
    assert response.status_code == 200


# ------------------------------------------------------------------ scope


def test_unit_operator_cannot_open_a_person_of_another_town(demo, db, client):
    # given a 白狼镇 person and the 天池镇 operator logged in
    person = office_clerk("白狼镇", "乡村振兴办公室")
    client.force_login(demo.users["tianchi"])

    # when the operator opens the person's page
    response = client.get(f"/people/{person.pk}/")

    # then it is not found
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["people", "edit", "exit", "posts/new"])
def test_unit_operator_cannot_reach_another_towns_people_pages(demo, db, client, path):
    # given 白狼镇 and one of its people, and the 天池镇 operator logged in
    bailang = unit("白狼镇")
    person = office_clerk("白狼镇", "乡村振兴办公室")
    client.force_login(demo.users["tianchi"])

    # when the operator opens a page of that town or person
    url = (
        f"/people/units/{bailang.pk}/people/"
        if path == "people"
        else f"/people/{person.pk}/{path}/"
    )
    response = client.get(url)

    # then it is not found
    assert response.status_code == 404


def test_unit_operator_lists_only_people_of_their_town(demo, db, client):
    # given the 天池镇 operator and the people of 白狼镇
    tianchi_user = demo.users["tianchi"]
    bailang = unit("白狼镇")
    bailang_people = set(
        Enrolment.objects.filter(unit__path__startswith=bailang.path).values_list(
            "person_id", flat=True
        )
    ) | set(
        PostAssignment.objects.filter(unit__path__startswith=bailang.path).values_list(
            "person_id", flat=True
        )
    )
    client.force_login(tianchi_user)

    # when the operator opens the register
    listed = linked_people(client.get("/people/").content.decode())

    # then exactly the people in their scope are listed, none of 白狼镇
    assert listed == set(person_list(user=tianchi_user).values_list("pk", flat=True))
    assert listed & bailang_people == set()
    assert len(bailang_people) > 0


def test_unit_operator_cannot_enrol_into_another_town(demo, db, client, row_counts):
    # given the 天池镇 operator and a form naming 白狼镇
    client.force_login(demo.users["tianchi"])
    data = person_create_data(unit=unit("白狼镇").pk, post_unit="")
    before = row_counts()

    # when the operator posts it
    response = client.post("/people/new/", data)

    # then the unit is refused as not on offer and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [
        "选择一个有效的选项： 该选择不在可用的选项中。"
    ]
    assert row_counts() == before


# ------------------------------------------------------------------ the leader changes nothing


def leader_post(name: str) -> tuple[str, dict[str, Any]]:
    person = office_clerk("天池镇", "乡村振兴办公室")
    center = unit("综合保障和技术推广中心", "天池镇")
    if name == "person-create":
        return "/people/new/", person_create_data()
    if name == "person-edit":
        return f"/people/{person.pk}/edit/", {"name": "改名", "id_number": person.id_number}
    if name == "exit":
        return f"/people/{person.pk}/exit/", {"end_date": "2025-06-30", "reason": "retirement"}
    if name == "post-create":
        return f"/people/{person.pk}/posts/new/", {
            "unit": unit("社会事务办公室", "天池镇").pk,
            "title": "科员",
            "kind": PostKind.MAIN,
            "start_date": "2025-06-01",
        }
    if name == "post-end":
        return f"/people/posts/{main_post(person).pk}/end/", {"end_date": "2025-06-30"}
    if name == "transfer":
        mover = enrolled_in(center)[0]
        return "/people/transfers/new/", {
            "from_unit": center.pk,
            "to_unit": unit("综合行政执法局", "天池镇").pk,
            "quota_type": quota_type("institution").pk,
            "amount": 1,
            "persons": [mover.pk],
            "doc_no": "阿机编发〔2025〕3号",
            "effective_on": "2025-04-01",
        }
    raise AssertionError(name)


@pytest.mark.parametrize(
    "action", ["person-create", "person-edit", "exit", "post-create", "post-end", "transfer"]
)
def test_leader_cannot_change_the_register(demo, db, client, row_counts, action):
    # given the read-only county leader and a valid form
    client.force_login(demo.users["lingdao"])
    url, data = leader_post(action)
    before = row_counts()

    # when the leader posts it
    response = client.post(url, data)

    # then it is forbidden and nothing changed
    assert response.status_code == 403
    assert row_counts() == before


def test_unit_operator_cannot_transfer_quota(demo, db, client, row_counts):
    # given the 天池镇 operator and a valid transfer inside their own town
    client.force_login(demo.users["tianchi"])
    url, data = leader_post("transfer")
    before = row_counts()

    # when the operator posts it
    response = client.post(url, data)

    # then only the staffing office may transfer quota, and nothing changed
    assert response.status_code == 403
    assert (
        "无权划出编制: 综合保障和技术推广中心不在您的管理范围内或您的角色不允许此操作"
        in response.content.decode()
    )
    assert row_counts() == before


# ------------------------------------------------------------------ bad input


def test_person_create_refuses_a_wrong_check_digit(demo, db, client, row_counts):
    # given an ID number whose last character is wrong
    good = new_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the staffing office registers a person with it
    response = client.post("/people/new/", person_create_data(id_number=bad))

    # then the form says so beside the number and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["身份证号码校验位错误"]
    assert row_counts() == before


def test_person_create_refuses_a_registered_id_number(demo, db, client, row_counts):
    # given the ID number of a person already in the register
    existing = office_clerk("白狼镇", "乡村振兴办公室")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the staffing office registers someone else with the same number
    response = client.post("/people/new/", person_create_data(id_number=existing.id_number))

    # then the duplicate is refused, naming the holder with a masked number, and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [
        f"身份证号码{existing.id_number[:6]}********{existing.id_number[-4:]}已登记({existing.name}), 不能重复登记"
    ]
    assert row_counts() == before


def test_person_create_refuses_enrolment_beyond_the_quota(demo, db, client, row_counts, hard_quota):
    # given 林海街道, whose seven administrative places are all taken by its leaders
    client.force_login(demo.users["bianban"])
    data = person_create_data(
        unit=unit("林海街道").pk, post_unit=unit("社会事务办公室", "林海街道").pk
    )
    before = row_counts()

    # when the staffing office enrols one more person on administrative quota
    response = client.post("/people/new/", data)

    # then the enrolment is refused and not even the registration is kept
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [
        "林海街道的行政编制核定7名, 已有7人在编, 无空编可用"
        "(国务院令第486号第6条: 实有人员不得突破规定的编制)"
    ]
    assert row_counts() == before


def test_person_create_refuses_institution_quota_in_a_town_government(demo, db, client, row_counts):
    # given the town government, an organ, and 事业编制
    client.force_login(demo.users["bianban"])
    data = person_create_data(quota_type=quota_type("institution").pk)
    before = row_counts()

    # when the staffing office enrols a person there on 事业编制
    response = client.post("/people/new/", data)

    # then 混编 is refused and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["事业编制只能用于事业单位, 天池镇是党政机关"]
    assert row_counts() == before


def test_transfer_refuses_more_people_than_places(demo, db, client, row_counts):
    # given two people of 天池镇's center and a transfer of one place
    center = unit("综合保障和技术推广中心", "天池镇")
    url, data = leader_post("transfer")
    data["persons"] = [p.pk for p in enrolled_in(center)[:2]]
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the staffing office posts it
    response = client.post(url, data)

    # then the people cannot outnumber the places and nothing changed
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["随编划转2人, 超过划转编制数1名"]
    assert row_counts() == before


# ------------------------------------------------------------------ successful changes


def test_person_create_registers_enrols_and_posts(demo, db, client, row_counts, hard_quota):
    # given 天池镇 with a vacant administrative place and the staffing office logged in
    client.force_login(demo.users["bianban"])
    data = person_create_data()
    before = row_counts()

    # when a new person is registered, enrolled in the town and posted to an office
    response = client.post("/people/new/", data)

    # then the person, the enrolment and the post are saved, with their history, and nothing else
    person = Person.objects.get(id_number=data["id_number"])
    assert (response.status_code, response["Location"]) == (302, f"/people/{person.pk}/")
    assert (person.name, person.gender, person.birth_date, person.created_by) == (
        "那日苏",
        "M",
        dt.date(1995, 3, 1),
        demo.users["bianban"],
    )
    enrolment = Enrolment.objects.get(person=person)
    assert (
        enrolment.unit,
        enrolment.quota_type.code,
        enrolment.channel,
        enrolment.start_date,
        enrolment.doc_no,
        enrolment.end_date,
    ) == (
        unit("天池镇"),
        "administrative",
        "civil_service_exam",
        dt.date(2025, 9, 1),
        "阿人社发〔2025〕12号",
        None,
    )
    post = PostAssignment.objects.get(person=person)
    assert (post.unit, post.title, post.kind, post.start_date, post.end_date) == (
        unit("乡村振兴办公室", "天池镇"),
        "科员",
        PostKind.MAIN,
        dt.date(2025, 9, 1),
        None,
    )
    assert changed(before, row_counts()) == {
        "personnel.Person": 1,
        "personnel.HistoricalPerson": 1,
        "personnel.Enrolment": 1,
        "personnel.HistoricalEnrolment": 1,
        "personnel.PostAssignment": 1,
        "personnel.HistoricalPostAssignment": 1,
    }


def test_person_create_without_a_post_unit_posts_to_the_quota_unit(demo, db, client, hard_quota):
    # given the staffing office logged in
    client.force_login(demo.users["bianban"])
    data = person_create_data(post_unit="", post_title="驾驶员")

    # when a person is enrolled with no separate place of work
    response = client.post("/people/new/", data)

    # then they work where their quota is
    assert response.status_code == 302
    post = PostAssignment.objects.get(person__id_number=data["id_number"])
    assert (post.unit, post.title) == (unit("天池镇"), "驾驶员")


def test_exit_ends_the_enrolment_and_the_posts(demo, db, client, row_counts):
    # given a 科员 of 天池镇 in post and the staffing office logged in
    person = office_clerk("天池镇", "乡村振兴办公室")
    enrolment = Enrolment.objects.get(person=person, end_date=None)
    post = main_post(person)
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the person retires
    response = client.post(
        f"/people/{person.pk}/exit/",
        {
            "end_date": "2025-06-30",
            "reason": ExitReason.RETIREMENT,
            "doc_no": "阿人社发〔2025〕9号",
        },
    )

    # then the enrolment ends with the reason and the post ends the same day
    assert (response.status_code, response["Location"]) == (302, f"/people/{person.pk}/")
    enrolment.refresh_from_db()
    post.refresh_from_db()
    assert (enrolment.end_date, enrolment.exit_reason, enrolment.exit_doc_no) == (
        dt.date(2025, 6, 30),
        ExitReason.RETIREMENT,
        "阿人社发〔2025〕9号",
    )
    assert post.end_date == dt.date(2025, 6, 30)
    assert changed(before, row_counts()) == {
        "personnel.HistoricalEnrolment": 1,
        "personnel.HistoricalPostAssignment": 1,
    }


def test_exit_page_of_someone_not_enrolled_redirects_with_a_message(demo, db, client):
    # given a person who has just retired
    person = office_clerk("天池镇", "乡村振兴办公室")
    client.force_login(demo.users["bianban"])
    client.post(f"/people/{person.pk}/exit/", {"end_date": "2025-06-30", "reason": "retirement"})

    # when the exit page is opened again
    response = client.get(f"/people/{person.pk}/exit/", follow=True)

    # then the officer is sent back to the person with a message
    assert response.redirect_chain == [(f"/people/{person.pk}/", 302)]
    assert f"{person.name}当前不在编, 无需出编" in response.content.decode()


def test_post_move_closes_the_old_post_and_opens_the_new(demo, db, client, row_counts):
    # given a 科员 working in 天池镇's 乡村振兴办公室
    person = office_clerk("天池镇", "乡村振兴办公室")
    old = main_post(person)
    target = unit("社会事务办公室", "天池镇")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when they are moved to the 社会事务办公室
    response = client.post(
        f"/people/{person.pk}/posts/new/",
        {"unit": target.pk, "title": "科员", "kind": PostKind.MAIN, "start_date": "2025-03-01"},
    )

    # then the old post ends that day and the new one begins; the enrolment stays
    assert (response.status_code, response["Location"]) == (302, f"/people/{person.pk}/")
    old.refresh_from_db()
    new = main_post(person)
    assert old.end_date == dt.date(2025, 3, 1)
    assert (new.unit, new.title, new.start_date) == (target, "科员", dt.date(2025, 3, 1))
    assert Enrolment.objects.get(person=person, end_date=None).unit == unit("天池镇")
    assert changed(before, row_counts()) == {
        "personnel.PostAssignment": 1,
        "personnel.HistoricalPostAssignment": 2,
    }


def test_transfer_moves_the_place_and_the_person(demo, db, client, row_counts):
    # given a 事业编制 member of 天池镇's center and the staffing office logged in
    center = unit("综合保障和技术推广中心", "天池镇")
    bureau = unit("综合行政执法局", "天池镇")
    mover = enrolled_in(center)[0]
    old_enrolment = Enrolment.objects.get(person=mover, end_date=None)
    client.force_login(demo.users["bianban"])
    url, data = leader_post("transfer")
    data["post_title"] = "执法队员"
    before = row_counts()

    # when one place is transferred to the enforcement bureau with that person
    response = client.post(url, data)

    # then the ledger moves one place and the person follows it, with a new post
    transfer = QuotaTransfer.objects.get(doc_no="阿机编发〔2025〕3号")
    assert (response.status_code, response["Location"]) == (302, f"/org/units/{bureau.pk}/")
    assert sorted(
        QuotaMovement.objects.filter(transfer=transfer).values_list("unit_id", "kind", "delta")
    ) == sorted(
        [(center.pk, MovementKind.TRANSFER_OUT, -1), (bureau.pk, MovementKind.TRANSFER_IN, 1)]
    )
    old_enrolment.refresh_from_db()
    assert (old_enrolment.end_date, old_enrolment.exit_reason) == (
        dt.date(2025, 4, 1),
        ExitReason.QUOTA_TRANSFER,
    )
    new_enrolment = Enrolment.objects.get(person=mover, end_date=None)
    assert (new_enrolment.unit, new_enrolment.channel, new_enrolment.transfer) == (
        bureau,
        EntryChannel.QUOTA_TRANSFER,
        transfer,
    )
    assert (main_post(mover).unit, main_post(mover).title) == (bureau, "执法队员")
    assert changed(before, row_counts()) == {
        "staffing.QuotaTransfer": 1,
        "staffing.QuotaMovement": 2,
        "personnel.Enrolment": 1,
        "personnel.HistoricalEnrolment": 2,
        "personnel.PostAssignment": 1,
        "personnel.HistoricalPostAssignment": 2,
    }


def test_unit_people_panel_shows_office_workers_on_town_quota(demo, db, client):
    # given 天池镇's 乡村振兴办公室, which holds no quota of its own
    office = unit("乡村振兴办公室", "天池镇")
    working = set(
        PostAssignment.objects.active_on(TODAY).filter(unit=office).values_list("person", flat=True)
    )
    client.force_login(demo.users["bianban"])

    # when its people panel is opened
    html = client.get(f"/people/units/{office.pk}/people/").content.decode()

    # then nobody is enrolled there but its workers are listed
    assert "在本机构编制上的人员(0)" in html
    assert f"在本机构工作的人员({len(working)})" in html
    assert linked_people(html) == working
