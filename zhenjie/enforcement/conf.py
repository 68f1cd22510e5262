"""The enforcement settings (``ZHENJIE["ENFORCEMENT"]``), typed, with the documented defaults."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Limits:
    certificate_valid_years: int = 6
    certificate_review_years: int = 3
    min_officers: int = 2
    decision_days: int = 90
    extension_max_days: int = 30
    delivery_days: int = 7
    hearing_request_days: int = 5
    hearing_notice_days: int = 7
    payment_days: int = 15
    surcharge_daily_rate: Decimal = Decimal("0.03")
    simple_limit_person: Decimal = Decimal("200")
    simple_limit_organisation: Decimal = Decimal("3000")
    major_fine: Decimal = Decimal("10000")
    certificate_remind_days: tuple[int, ...] = (90, 30)
    case_remind_days: int = 7


def limits() -> Limits:
    """The configured limits; a key left out keeps its default."""
    raw: dict[str, Any] = dict(getattr(settings, "ZHENJIE", {}).get("ENFORCEMENT", {}))
    values: dict[str, object] = {}
    for key, value in raw.items():
        name = key.lower()
        if name not in Limits.__dataclass_fields__:
            continue
        default = getattr(Limits, name)
        if isinstance(default, Decimal):
            values[name] = Decimal(str(value))
        elif isinstance(default, tuple):
            values[name] = tuple(sorted((int(v) for v in value), reverse=True))
        else:
            values[name] = int(value)
    return Limits(**values)  # type: ignore[arg-type]
