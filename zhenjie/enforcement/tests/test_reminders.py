"""Reminders: certificate expiry and review 90 and 30 days ahead; overdue case steps."""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from zhenjie.accounts.models import User
from zhenjie.enforcement import services
from zhenjie.enforcement.models import Case, Certificate
from zhenjie.enforcement.reminders import case_deadlines_due, certificates_due
from zhenjie.reminders.registry import providers

D = dt.date


def test_providers_are_registered() -> None:
    assert {"enforcement.certificates_due", "enforcement.case_deadlines_due"} <= set(providers())


def test_review_due_reminded_from_90_days_then_warning_at_30(
    tianchi_operator: User, certs: SimpleNamespace
) -> None:
    # first review due 2027-03-01
    assert list(certificates_due(tianchi_operator, D(2026, 11, 30))) == []
    early = list(certificates_due(tianchi_operator, D(2026, 12, 1)))
    assert {(r.title, r.level, r.due) for r in early} == {
        (f"执法证须审验注册: {n}({c.number})", "info", D(2027, 3, 1))
        for n, c in (("张伟", certs.zhang), ("王芳", certs.wang), ("李强", certs.li))
    }
    assert {r.level for r in certificates_due(tianchi_operator, D(2027, 1, 30))} == {"warning"}
    assert {r.level for r in certificates_due(tianchi_operator, D(2027, 3, 2))} == {"danger"}


def test_expiry_reminded_and_revoked_silent(
    tianchi_operator: User, officers: SimpleNamespace, issue: Callable[..., Certificate]
) -> None:
    soon = issue(officers.zhao, on=D(2024, 3, 1), expires_on=D(2025, 6, 1))
    assert [r.level for r in certificates_due(tianchi_operator, D(2025, 5, 1))] == ["info"]
    rows = list(certificates_due(tianchi_operator, D(2025, 5, 2)))
    assert [(r.title, r.level) for r in rows] == [
        (f"执法证有效期届满, 须换发: 赵敏({soon.number})", "warning")
    ]
    services.certificate_revoke(
        actor=tianchi_operator, certificate=soon, revoked_on=D(2025, 4, 1), reason="调离"
    )
    assert list(certificates_due(tianchi_operator, D(2025, 5, 1))) == []


def test_other_town_gets_no_reminders(bailang_operator: User, certs: SimpleNamespace) -> None:
    titles = [r.title for r in certificates_due(bailang_operator, D(2027, 1, 30))]
    assert titles == [f"执法证须审验注册: 白云({certs.bai.number})"]


def test_overdue_delivery_reminded(
    tianchi_operator: User, bailang_operator: User, leader: User, decided_case: Case
) -> None:
    rows = list(case_deadlines_due(tianchi_operator, D(2025, 4, 20)))
    assert [(r.title, r.level, r.due) for r in rows] == [
        (f"案件{decided_case.number}须送达决定书(第61条)", "danger", D(2025, 4, 17))
    ]
    assert list(case_deadlines_due(tianchi_operator, D(2025, 4, 9))) == []
    assert list(case_deadlines_due(bailang_operator, D(2025, 4, 20))) == []
    assert list(case_deadlines_due(leader, D(2025, 4, 20))) == []


def test_decision_deadline_reminded_a_week_ahead(
    tianchi_operator: User, open_case: Callable[..., Any]
) -> None:
    case = open_case()  # decision due 2025-06-01
    assert list(case_deadlines_due(tianchi_operator, D(2025, 5, 24))) == []
    rows = list(case_deadlines_due(tianchi_operator, D(2025, 5, 25)))
    assert [(r.title, r.level) for r in rows] == [
        (f"案件{case.number}须作出决定(行政处罚法第60条)", "info")
    ]
