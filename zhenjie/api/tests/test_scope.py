"""Who may see and change what through the API: tokens, scope, roles, masked ID numbers."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from rest_framework.test import APIClient

from zhenjie.jobs.models import Job
from zhenjie.organizations.models import DockingLink
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.staffing.models import LeadershipQuota, QuotaMovement, QuotaTransfer, Redistribution

from .conftest import TRANSFER_DAY
from .helpers import changed, results

LISTS = [
    "divisions",
    "units",
    "docking-links",
    "quota-types",
    "quota-movements",
    "redistributions",
    "leadership-quotas",
    "transfers",
    "persons",
    "enrolments",
    "posts",
    "jobs",
]


def every_page(client: APIClient, url: str) -> list[Any]:
    """The responses of all pages of a list."""
    pages = [client.get(url)]
    while pages[-1].json()["next"]:
        pages.append(client.get(pages[-1].json()["next"]))
    return pages


# ------------------------------------------------------------------ tokens


def test_token_is_obtained_with_username_and_password(bailang_operator):
    # when the 白狼镇 operator posts their credentials
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "bailang", "password": "bailang-password"},
        format="json",
    )

    # then they get their token, which authenticates them
    assert response.status_code == 200
    assert response.json() == {"token": bailang_operator.auth_token.key}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/units/").json()["results"][0]["name"] == "白狼镇"


def test_wrong_password_gets_no_token(bailang_operator):
    # when a wrong password is posted
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "bailang", "password": "guess"}, format="json"
    )

    # then there is no token
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["无法使用提供的认证信息登录。"]}


@pytest.mark.parametrize(
    ("credentials", "detail"),
    [({}, "身份认证信息未提供。"), ({"HTTP_AUTHORIZATION": "Token 0000"}, "认证令牌无效。")],
    ids=["anonymous", "unknown-token"],
)
@pytest.mark.parametrize("name", LISTS)
def test_lists_need_a_valid_token(org, name, credentials, detail):
    # when a list is asked for without a valid token
    response = APIClient().get(f"/api/v1/{name}/", **credentials)

    # then it is refused
    assert response.status_code == 403
    assert response.json() == {"detail": detail}


# ------------------------------------------------------------------ one town sees only itself


def bailang_rows(org: SimpleNamespace, registers: SimpleNamespace) -> dict[str, list[Any]]:
    """What the 白狼镇 operator's lists hold, row by row (the lists' default order)."""
    job = Job.objects.get(created_by__username="bailang")
    return {
        "divisions": ["15", "1522", "152202", "152202101"],
        "units": ["白狼镇", "白狼镇综合保障和技术推广中心", "白狼镇党政综合办公室"],
        "docking-links": ["白狼镇党政综合办公室"],
        "quota-types": ["administrative", "political_legal", "organ_worker", "institution"],
        "quota-movements": [
            ("白狼镇", "approve"),
            ("白狼镇综合保障和技术推广中心", "approve"),
            ("白狼镇", "transfer_out"),
            ("白狼镇", "redistribute"),
        ],
        "redistributions": [[("白狼镇", 1)]],
        "leadership-quotas": [("白狼镇", "principal")],
        "transfers": [("白狼镇", "林海街道")],
        "persons": ["巴特尔"],
        "enrolments": [("巴特尔", "白狼镇")],
        "posts": [("巴特尔", "白狼镇党政综合办公室")],
        "jobs": [job.pk],
    }


ROW_KEY: dict[str, Callable[[dict[str, Any]], Any]] = {
    "divisions": lambda row: row["code"],
    "units": lambda row: row["name"],
    "docking-links": lambda row: row["office"]["name"],
    "quota-types": lambda row: row["code"],
    "quota-movements": lambda row: (row["unit"]["name"], row["kind"]),
    "redistributions": lambda row: [(line["unit"]["name"], line["delta"]) for line in row["lines"]],
    "leadership-quotas": lambda row: (row["unit"]["name"], row["level"]),
    "transfers": lambda row: (row["from_unit"]["name"], row["to_unit"]["name"]),
    "persons": lambda row: row["name"],
    "enrolments": lambda row: (row["person"]["name"], row["unit"]["name"]),
    "posts": lambda row: (row["person"]["name"], row["unit"]["name"]),
    "jobs": lambda row: row["id"],
}


@pytest.mark.parametrize("name", LISTS)
def test_town_token_lists_nothing_of_another_town(api, org, registers, bailang_operator, name):
    # given every register holds records of 天池镇 and of 白狼镇
    # when the 白狼镇 operator lists the register with their token
    pages = every_page(api(bailang_operator), f"/api/v1/{name}/")

    # then exactly 白狼镇's records come back, and nothing names 天池镇 or its people
    rows = [row for page in pages for row in results(page)]
    assert [ROW_KEY[name](row) for row in rows] == bailang_rows(org, registers)[name]
    for page in pages:
        assert "天池" not in page.content.decode()
        assert "其其格" not in page.content.decode()


def tianchi_objects(org: SimpleNamespace, registers: SimpleNamespace) -> dict[str, int]:
    person = registers.tianchi_person
    return {
        "divisions": org.tianchi.division_id,
        "units": org.tianchi.pk,
        "docking-links": DockingLink.objects.get(office=org.tianchi_office).pk,
        "quota-movements": QuotaMovement.objects.filter(unit=org.tianchi).first().pk,
        "redistributions": Redistribution.objects.get(movements__unit=org.tianchi).pk,
        "leadership-quotas": LeadershipQuota.objects.get(unit=org.tianchi).pk,
        "transfers": QuotaTransfer.objects.get(from_unit=org.tianchi).pk,
        "persons": person.pk,
        "enrolments": Enrolment.objects.get(person=person).pk,
        "posts": PostAssignment.objects.get(person=person).pk,
        "jobs": Job.objects.get(created_by__username="tianchi").pk,
    }


@pytest.mark.parametrize("name", [name for name in LISTS if name != "quota-types"])
def test_another_towns_object_is_not_found(api, org, registers, bailang_operator, name):
    # when the 白狼镇 operator opens a record of 天池镇 by its id
    pk = tianchi_objects(org, registers)[name]
    response = api(bailang_operator).get(f"/api/v1/{name}/{pk}/")

    # then it does not exist for them
    assert response.status_code == 404
    assert response.json()["detail"].endswith("不存在或不在您的权限范围内")


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("patch", "persons/{person}/", {"phone": "13800000000"}),
        (
            "post",
            "enrolments/{enrolment}/exit/",
            {"end_date": "2025-12-31", "reason": "retirement"},
        ),
        ("post", "posts/{post}/end/", {"end_date": "2025-12-31"}),
        ("patch", "units/{unit}/", {"name": "改名"}),
        ("post", "units/{unit}/abolish/", {"abolished_on": "2025-12-31", "abolished_doc": "文"}),
        ("delete", "docking-links/{link}/", None),
    ],
    ids=["person", "exit", "post-end", "unit", "abolish", "docking-link"],
)
def test_another_towns_object_cannot_be_changed(
    api, org, registers, bailang_operator, row_counts, method, path, data
):
    # given 天池镇's records
    person = registers.tianchi_person
    ids = {
        "person": person.pk,
        "enrolment": Enrolment.objects.get(person=person).pk,
        "post": PostAssignment.objects.get(person=person).pk,
        "unit": org.tianchi_office.pk,
        "link": DockingLink.objects.get(office=org.tianchi_office).pk,
    }
    before = row_counts()

    # when the 白狼镇 operator writes to one of them
    client = api(bailang_operator)
    response = getattr(client, method)(f"/api/v1/{path.format(**ids)}", data, format="json")

    # then it does not exist for them, and nothing changed
    assert response.status_code == 404
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ a leader reads, never writes


def denied(action: str, unit: str) -> str:
    return f"无权{action}: {unit}不在您的管理范围内或您的角色不允许此操作"


WRITES = [
    (
        "post",
        "units/",
        lambda o, r: {
            "name": "林业站",
            "kind": "station",
            "parent": o.tianchi.pk,
            "established_on": "2025-01-01",
        },
        denied("设立机构", "天池镇"),
    ),
    ("patch", "units/{tianchi}/", lambda o, r: {"name": "新天池镇"}, denied("修改机构", "天池镇")),
    (
        "post",
        "units/{tianchi_center}/abolish/",
        lambda o, r: {"abolished_on": "2025-01-01", "abolished_doc": "文"},
        denied("撤销机构", "天池镇综合保障和技术推广中心"),
    ),
    (
        "post",
        "docking-links/",
        lambda o, r: {"office": o.tianchi_office.pk, "department": o.department.pk},
        denied("设置对接关系", "天池镇党政综合办公室"),
    ),
    (
        "delete",
        "docking-links/{link}/",
        lambda o, r: None,
        denied("删除对接关系", "天池镇党政综合办公室"),
    ),
    (
        "post",
        "quota-movements/",
        lambda o, r: {
            "unit": o.tianchi.pk,
            "quota_type": r.administrative,
            "kind": "increase",
            "amount": 1,
            "doc_no": "文",
            "effective_on": "2025-01-01",
        },
        denied("变动编制", "天池镇"),
    ),
    (
        "post",
        "redistributions/",
        lambda o, r: {
            "county": o.county.pk,
            "quota_type": r.administrative,
            "doc_no": "文",
            "effective_on": "2025-01-01",
            "lines": [{"unit": o.tianchi.pk, "delta": 1}, {"unit": o.linhai.pk, "delta": -1}],
        },
        denied("二次分配编制", "阿尔山市"),
    ),
    (
        "post",
        "leadership-quotas/",
        lambda o, r: {
            "unit": o.tianchi.pk,
            "level": "deputy",
            "count": 2,
            "doc_no": "文",
            "effective_on": "2025-01-01",
        },
        denied("核定领导职数", "天池镇"),
    ),
    (
        "post",
        "transfers/",
        lambda o, r: {
            "from_unit": o.tianchi.pk,
            "to_unit": o.linhai.pk,
            "quota_type": r.administrative,
            "amount": 1,
            "doc_no": "文",
            "effective_on": TRANSFER_DAY.isoformat(),
        },
        denied("划出编制", "天池镇"),
    ),
    (
        "post",
        "persons/",
        lambda o, r: {"name": "那日苏", "id_number": "152202199503010116"},
        "您的角色不能登记人员",
    ),
    (
        "patch",
        "persons/{person}/",
        lambda o, r: {"phone": "13800000000"},
        "无权修改此人员: 其编制和工作岗位不在您的管理范围内",
    ),
    (
        "post",
        "enrolments/",
        lambda o, r: {
            "person": r.person,
            "unit": o.tianchi_center.pk,
            "quota_type": r.institution,
            "channel": "transfer_in",
            "start_date": "2025-01-01",
        },
        denied("办理入编", "天池镇综合保障和技术推广中心"),
    ),
    (
        "post",
        "enrolments/{enrolment}/exit/",
        lambda o, r: {"end_date": "2025-12-31", "reason": "retirement"},
        denied("办理出编", "天池镇"),
    ),
    (
        "post",
        "posts/",
        lambda o, r: {
            "person": r.person,
            "unit": o.tianchi_center.pk,
            "title": "统计员",
            "kind": "concurrent",
            "start_date": "2025-01-01",
        },
        denied("安排岗位", "天池镇综合保障和技术推广中心"),
    ),
    (
        "post",
        "posts/{post}/end/",
        lambda o, r: {"end_date": "2025-12-31"},
        denied("结束岗位", "天池镇党政综合办公室"),
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "data", "detail"),
    WRITES,
    ids=[
        "unit-create",
        "unit-update",
        "unit-abolish",
        "docking-add",
        "docking-remove",
        "movement",
        "redistribution",
        "leadership",
        "transfer",
        "person-register",
        "person-update",
        "enrol",
        "exit",
        "post-assign",
        "post-end",
    ],
)
def test_leader_may_not_write(
    api, org, qt, registers, leader, row_counts, method, path, data, detail
):
    # given the county leader, who sees the whole county and every record in it
    person = registers.tianchi_person
    refs = SimpleNamespace(
        person=person.pk,
        administrative=qt.administrative.pk,
        institution=qt.institution.pk,
    )
    ids = {
        "tianchi": org.tianchi.pk,
        "tianchi_center": org.tianchi_center.pk,
        "link": DockingLink.objects.get(office=org.tianchi_office).pk,
        "person": person.pk,
        "enrolment": Enrolment.objects.get(person=person).pk,
        "post": PostAssignment.objects.get(person=person).pk,
    }
    before = row_counts()

    # when the leader calls a write with valid input
    client = api(leader)
    response = getattr(client, method)(
        f"/api/v1/{path.format(**ids)}", data(org, refs), format="json"
    )

    # then it is forbidden with the service's reason, and nothing changed
    assert response.status_code == 403
    assert response.json() == {"detail": detail}
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ ID numbers stay masked


def test_full_id_number_appears_in_no_response(api, org, registers, staffing_officer):
    # given the people of both towns, and the staffing office that sees them all
    client = api(staffing_officer)
    numbers = list(Person.objects.values_list("id_number", flat=True))
    assert len(numbers) == 2

    # when every list, every record of every list, and the browsable pages are read
    bodies = []
    for name in LISTS:
        for page in every_page(client, f"/api/v1/{name}/"):
            bodies.append(page.content.decode())
            for row in results(page):
                detail = client.get(f"/api/v1/{name}/{row['id']}/")
                assert detail.status_code == 200
                bodies.append(detail.content.decode())
    for person in Person.objects.all():
        html = client.get(f"/api/v1/persons/{person.pk}/", HTTP_ACCEPT="text/html")
        assert html.status_code == 200
        bodies.append(html.content.decode())

    # then no ID number is ever shown in full
    assert len(bodies) > 40
    for body in bodies:
        for number in numbers:
            assert number not in body


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # token, the user's unit, then count and page; the region of divisions is one more;
        # redistributions and transfers prefetch their lines and people
        ("divisions", 5),
        ("units", 4),
        ("docking-links", 4),
        ("quota-types", 3),
        ("quota-movements", 4),
        ("redistributions", 5),
        ("leadership-quotas", 4),
        ("transfers", 5),
        ("persons", 4),
        ("enrolments", 4),
        ("posts", 4),
        ("jobs", 3),
    ],
)
def test_lists_take_a_fixed_number_of_queries(
    api, registers, staffing_officer, django_assert_num_queries, name, queries
):
    # given every register with several rows the staffing office sees
    client = api(staffing_officer)
    assert client.get(f"/api/v1/{name}/").json()["count"] >= 2

    # when a list is read, then its queries do not grow with its rows
    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/{name}/")
    assert response.status_code == 200
