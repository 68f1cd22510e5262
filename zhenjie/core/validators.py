"""Validators for Chinese national data standards, built on python-stdnum."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

# GB/T 2260 province-level codes (first two digits of an address code).
PROVINCE_CODES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
}


@dataclass(frozen=True)
class ResidentIdFacts:
    """What a resident ID number (居民身份证号码) states about its holder."""

    number: str
    birth_date: dt.date
    gender: str  # "M" or "F": the 17th digit, odd for men (GB 11643-1999)


# Full-width ASCII (U+FF01-U+FF5E) to ASCII, and the ideographic space to a space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalize_code(value: str) -> str:
    """Uppercase, strip blanks and turn full-width digits and letters into ASCII."""
    if not value.isascii():
        value = value.translate(_FULL_WIDTH)
    return "".join(value.split()).upper()


def parse_resident_id(value: str, *, today: dt.date | None = None) -> ResidentIdFacts:
    """Validate an 18-digit resident ID (GB 11643-1999) and return its facts.

    Raises ValidationError with a Chinese message naming what is wrong.
    """
    number = normalize_code(value)
    if len(number) != 18:
        raise ValidationError("身份证号码应为18位", code="id_length")
    # ASCII only: str.isdigit() also accepts superscripts and other scripts' digits.
    if (
        not number.isascii()
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise ValidationError("身份证号码格式错误", code="id_format")
    # The county-level region table shipped with python-stdnum lacks some current codes
    # (152202 阿尔山市 among them), so only the province part of the address code is checked.
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError("身份证号码的地区码无效", code="id_region")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError("身份证号码校验位错误", code="id_checksum")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效", code="id_birth") from None
    if birth > (today or dt.date.today()):
        raise ValidationError("身份证号码中的出生日期晚于今天", code="id_future")
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentIdFacts(number=number, birth_date=birth, gender=gender)


def phone_problem(phone: str) -> str | None:
    """What is wrong with a contact phone number (7-12 ASCII digits), or None; blank is fine."""
    if phone and not (phone.isascii() and phone.isdigit() and 7 <= len(phone) <= 12):
        return "联系电话应为7-12位数字"
    return None


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
    """138****5678 for mobiles; shorter numbers keep only their last two digits."""
    if len(number) >= 11:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    return "*" * max(len(number) - 2, 0) + number[-2:]
