"""Fixtures of the approval tests: quota in 天池镇, and requests at each point of their life."""

from collections.abc import Callable
from typing import Any

import pytest

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.workflows.models import ApprovalRequest
from zhenjie.workflows.services import request_approve, request_create

from .factories import quota_payload, stage


@pytest.fixture
def tianchi_quota(org: Any, qt: Any, grant_quota: Any) -> Any:
    """天池镇 holds 5 places of 行政编制 from 2024-01-01."""
    grant_quota(org.tianchi, qt.administrative, 5)
    return org.tianchi


@pytest.fixture
def make_request(
    org: Any, qt: Any, tianchi_quota: Any, tianchi_operator: User
) -> Callable[..., Any]:
    """A request of 天池镇's operator (核增 2 places of 行政编制 unless told otherwise)."""

    def make(
        kind: str = "quota_increase",
        *,
        actor: User | None = None,
        submit: bool = True,
        payload: dict[str, Any] | None = None,
    ) -> ApprovalRequest:
        return request_create(
            actor=actor or tianchi_operator,
            kind=kind,
            payload=payload or quota_payload(org.tianchi, qt.administrative),
            submit=submit,
        )

    return make


@pytest.fixture
def submitted(make_request: Callable[..., ApprovalRequest]) -> ApprovalRequest:
    """核增 2 places for 天池镇, waiting at stage 1 (编办业务科室审核)."""
    return make_request()


@pytest.fixture
def at_stage_two(submitted: ApprovalRequest, staffing_officer: User) -> ApprovalRequest:
    """The same request after the staffing office agreed: waiting at stage 2 (编委会审批)."""
    return request_approve(
        actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk, comment="拟同意"
    )


@pytest.fixture
def approved(at_stage_two: ApprovalRequest, leader: User) -> ApprovalRequest:
    return request_approve(actor=leader, request=at_stage_two, stage_id=stage(at_stage_two, 2).pk)


@pytest.fixture
def other_officer(other_county: Any) -> User:
    """The staffing office of 乌兰浩特市, another county."""
    return User.objects.create_user(
        "wulan", password="wulan-password", role=Role.STAFFING_OFFICE, unit=other_county.county
    )


@pytest.fixture
def second_officer(org: Any) -> User:
    """A second officer of 阿尔山市's staffing office."""
    return User.objects.create_user(
        "bianban2", password="bianban2-password", role=Role.STAFFING_OFFICE, unit=org.county
    )
