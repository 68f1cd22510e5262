"""Validators for Chinese national data standards, built on python-stdnum."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


@dataclass(frozen=True)
class ResidentIdFacts:
    """What a resident ID number (居民身份证号码) states about its holder."""

    number: str
    birth_date: dt.date
    gender: str  # "M" or "F": the 17th digit, odd for men (GB 11643-1999)


def normalize_code(value: str) -> str:
    """Uppercase, strip blanks and turn full-width digits and letters into ASCII."""
    out = []
    for ch in value.strip():
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        if not ch.isspace():
            out.append(ch)
    return "".join(out).upper()


def parse_resident_id(value: str, *, today: dt.date | None = None) -> ResidentIdFacts:
    """Validate an 18-digit resident ID (GB 11643-1999) and return its facts.

    Raises ValidationError with a Chinese message naming what is wrong.
    """
    number = normalize_code(value)
    if len(number) != 18:
        raise ValidationError("身份证号码应为18位", code="id_length")
    try:
        ric.validate(number)
    except InvalidChecksum:
        raise ValidationError("身份证号码校验位错误", code="id_checksum") from None
    except InvalidComponent:
        raise ValidationError("身份证号码中的出生日期或地区码无效", code="id_component") from None
    except (InvalidFormat, InvalidLength):
        raise ValidationError("身份证号码格式错误", code="id_format") from None
    birth = ric.get_birth_date(number)
    if birth > (today or dt.date.today()):
        raise ValidationError("身份证号码中的出生日期晚于今天", code="id_future")
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentIdFacts(number=number, birth_date=birth, gender=gender)


def validate_resident_id(value: str) -> None:
    parse_resident_id(value)


def validate_credit_code(value: str) -> None:
    """Unified social credit code (统一社会信用代码, GB 32100-2015)."""
    number = normalize_code(value)
    if len(number) != 18:
        raise ValidationError("统一社会信用代码应为18位", code="uscc_length")
    try:
        uscc.validate(number)
    except InvalidChecksum:
        raise ValidationError("统一社会信用代码校验位错误", code="uscc_checksum") from None
    except (InvalidFormat, InvalidComponent, InvalidLength):
        raise ValidationError("统一社会信用代码格式错误", code="uscc_format") from None


def mask_id_number(number: str) -> str:
    """110101********1234: region code and last four digits only."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(number: str) -> str:
    """138****5678."""
    if len(number) < 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
