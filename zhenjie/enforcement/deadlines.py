"""Date arithmetic of the enforcement rules, as pure functions (no database, no settings).

Days are counted as the statute counts them: a period "within N days of" a day ends N days
after that day (the day itself is not counted). Holidays at the end of a period are not moved;
the county may record an extension instead.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certificate_expiry(issued_on: dt.date, valid_years: int) -> dt.date:
    """First day a certificate is no longer valid (证件有效期满)."""
    return add_years(issued_on, valid_years)


def review_due(last_review_or_issue: dt.date, review_years: int) -> dt.date:
    """Last day by which a certificate must pass its next review (审验注册)."""
    return add_years(last_review_or_issue, review_years)


def decision_due(opened_on: dt.date, limit_days: int, extension_days: int = 0) -> dt.date:
    """Last day for the decision (行政处罚法 第60条: 自立案之日起九十日内)."""
    return opened_on + dt.timedelta(days=limit_days + extension_days)


def delivery_due(decided_on: dt.date, limit_days: int) -> dt.date:
    """Last day to deliver a decision to an absent party (第61条: 七日内送达)."""
    return decided_on + dt.timedelta(days=limit_days)


def hearing_request_due(noticed_on: dt.date, limit_days: int) -> dt.date:
    """Last day the party may ask for a hearing (第64条: 告知后五日内提出)."""
    return noticed_on + dt.timedelta(days=limit_days)


def hearing_notice_latest(hearing_on: dt.date, notice_days: int) -> dt.date:
    """Latest day to notify the party of the hearing (第64条: 举行听证的七日前通知)."""
    return hearing_on - dt.timedelta(days=notice_days)


def payment_due(delivered_on: dt.date, limit_days: int) -> dt.date:
    """Last day to pay a fine (第67条: 自收到行政处罚决定书之日起十五日内)."""
    return delivered_on + dt.timedelta(days=limit_days)


def days_late(due: dt.date, on: dt.date) -> int:
    """Whole days after ``due`` (0 if on time)."""
    return max((on - due).days, 0)


def surcharge(fine: Decimal, due: dt.date, paid_on: dt.date, daily_rate: Decimal) -> Decimal:
    """Late-payment surcharge (第72条: 每日按罚款数额的百分之三加处罚款, 不得超出罚款的数额)."""
    amount = (fine * daily_rate * days_late(due, paid_on)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return min(amount, fine)


def simple_procedure_allowed(
    fine: Decimal, party_kind: str, person_limit: Decimal, organisation_limit: Decimal
) -> bool:
    """Whether a fine may be imposed on the spot (第51条: 公民二百元、法人三千元以下)."""
    limit = person_limit if party_kind == "person" else organisation_limit
    return fine <= limit
