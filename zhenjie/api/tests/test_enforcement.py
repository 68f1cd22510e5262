# ruff: noqa: F811 - the enforcement fixtures are imported by name and requested as arguments
"""The law enforcement API: same scope as the pages, writes through the services."""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from zhenjie.accounts.models import User
from zhenjie.enforcement.choices import PartyKind, Stage
from zhenjie.enforcement.models import Case
from zhenjie.enforcement.tests.conftest import (  # noqa: F401 - fixtures
    advance,
    bureaus,
    certs,
    decided_case,
    enforcement_counts,
    issue,
    officers,
    open_case,
    powers,
)

from .helpers import column, results, token_client

Counts = Callable[[], dict[str, int]]


def test_certificates_scoped_with_validity(
    tianchi_operator: User, bailang_operator: User, certs: SimpleNamespace
) -> None:
    rows = results(token_client(tianchi_operator).get("/api/v1/certificates/"))
    assert sorted(r["holder"]["name"] for r in rows) == ["张伟", "李强", "王芳"]
    assert {(r["is_valid"], tuple(r["problems"])) for r in rows} == {(True, ())}
    assert column(token_client(bailang_operator).get("/api/v1/certificates/"), "number") == [
        certs.bai.number
    ]


def test_case_under_power_not_accepted_is_400_and_changes_nothing(
    tianchi_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    before = enforcement_counts()
    response = token_client(tianchi_operator).post(
        "/api/v1/cases/",
        {
            "town": org.tianchi.pk,
            "power": powers.declined.pk,
            "number": "天池执法立字〔2025〕50号",
            "party_name": "王某",
            "party_kind": PartyKind.PERSON,
            "summary": "占用耕地建坟",
            "opened_on": "2025-03-03",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "power": ["天池镇未承接“对占用耕地建窑、建坟的行政处罚”, 不能以此事项立案"]
    }
    assert enforcement_counts() == before


def test_advance_through_the_api(
    tianchi_operator: User,
    leader: User,
    open_case: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/advance/"
    body: dict[str, Any] = {"stage": Stage.INVESTIGATION, "on": "2025-03-04"}
    before = enforcement_counts()
    one = token_client(tianchi_operator).post(
        url, {**body, "certificates": [certs.zhang.pk]}, format="json"
    )
    assert one.status_code == 400
    assert one.json() == {
        "certificates": [
            "行政处罚法第42条: 须由2名以上具有行政执法资格的执法人员实施, 本次仅登记1人"
        ]
    }
    denied = token_client(leader).post(
        url, {**body, "certificates": [certs.zhang.pk, certs.wang.pk]}, format="json"
    )
    assert denied.status_code == 403
    assert enforcement_counts() == before
    ok = token_client(tianchi_operator).post(
        url, {**body, "certificates": [certs.zhang.pk, certs.wang.pk]}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["stage"] == Stage.INVESTIGATION
    assert [s["stage"] for s in ok.json()["steps"]] == [Stage.FILED, Stage.INVESTIGATION]


def test_other_town_cannot_see_the_case(bailang_operator: User, decided_case: Case) -> None:
    client = token_client(bailang_operator)
    assert client.get(f"/api/v1/cases/{decided_case.pk}/").status_code == 404
    assert results(client.get("/api/v1/cases/")) == []


def test_overdue_filter(staffing_officer: User, decided_case: Case) -> None:
    client = token_client(staffing_officer)
    assert column(client.get("/api/v1/cases/?overdue=true"), "id") == [decided_case.pk]
    assert column(client.get("/api/v1/cases/?overdue=false"), "id") == []
    assert dt.date.today() > decided_case.delivery_due  # type: ignore[operator]
