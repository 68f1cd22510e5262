"""Fixtures of the reminder tests: a request submitted on a known day, and its approvers."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhenjie.workflows.models import ApprovalRequest
from zhenjie.workflows.services import request_create
from zhenjie.workflows.tests.factories import quota_payload

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Submitted on 2024-07-01, so with the default 5 days the decision is due on 2024-07-06.
SUBMITTED_AT = dt.datetime(2024, 7, 1, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def submitted(org: Any, qt: Any, grant_quota: Any, tianchi_operator: Any) -> ApprovalRequest:
    """天池镇's request for 2 more places of 行政编制, submitted on 2024-07-01 09:30."""
    grant_quota(org.tianchi, qt.administrative, 5)
    request = request_create(
        actor=tianchi_operator,
        kind="quota_increase",
        payload=quota_payload(org.tianchi, qt.administrative),
        submit=True,
    )
    ApprovalRequest.objects.filter(pk=request.pk).update(submitted_at=SUBMITTED_AT)
    request.refresh_from_db()
    return request
