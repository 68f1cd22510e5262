"""The pure date and money arithmetic of the enforcement rules."""

import datetime as dt
from decimal import Decimal

import pytest

from zhenjie.enforcement import deadlines

D = dt.date
RATE = Decimal("0.03")


def test_certificate_expiry_six_years_and_leap_day() -> None:
    assert deadlines.certificate_expiry(D(2020, 5, 1), 6) == D(2026, 5, 1)
    assert deadlines.certificate_expiry(D(2020, 2, 29), 6) == D(2026, 2, 28)


def test_review_due_three_years() -> None:
    assert deadlines.review_due(D(2022, 3, 1), 3) == D(2025, 3, 1)


def test_decision_due_ninety_days_plus_extension() -> None:
    assert deadlines.decision_due(D(2025, 1, 1), 90) == D(2025, 4, 1)
    assert deadlines.decision_due(D(2025, 1, 1), 90, 30) == D(2025, 5, 1)


def test_delivery_hearing_and_payment_periods() -> None:
    assert deadlines.delivery_due(D(2025, 4, 10), 7) == D(2025, 4, 17)
    assert deadlines.hearing_request_due(D(2025, 3, 1), 5) == D(2025, 3, 6)
    assert deadlines.hearing_notice_latest(D(2025, 3, 20), 7) == D(2025, 3, 13)
    assert deadlines.payment_due(D(2025, 4, 12), 15) == D(2025, 4, 27)


@pytest.mark.parametrize(
    ("paid_on", "expected"),
    [
        (D(2025, 4, 27), Decimal("0.00")),  # the last day: on time
        (D(2025, 4, 28), Decimal("60.00")),  # one day late: 3%
        (D(2025, 5, 7), Decimal("600.00")),  # ten days: 30%
        (D(2025, 6, 3), Decimal("2000")),  # 37 days would be 111%: capped at the fine
    ],
)
def test_surcharge_three_percent_a_day_capped_at_the_fine(
    paid_on: dt.date, expected: Decimal
) -> None:
    assert deadlines.surcharge(Decimal("2000"), D(2025, 4, 27), paid_on, RATE) == expected


def test_surcharge_cap_reached_exactly_after_34_days() -> None:
    due = D(2025, 1, 1)
    assert deadlines.surcharge(Decimal("100"), due, due + dt.timedelta(days=33), RATE) == Decimal(
        "99.00"
    )
    assert deadlines.surcharge(Decimal("100"), due, due + dt.timedelta(days=34), RATE) == Decimal(
        "100"
    )


@pytest.mark.parametrize(
    ("fine", "kind", "allowed"),
    [
        (Decimal("200"), "person", True),
        (Decimal("200.01"), "person", False),
        (Decimal("3000"), "organisation", True),
        (Decimal("3001"), "organisation", False),
    ],
)
def test_simple_procedure_limits(fine: Decimal, kind: str, allowed: bool) -> None:
    assert (
        deadlines.simple_procedure_allowed(fine, kind, Decimal("200"), Decimal("3000")) is allowed
    )
