"""Resident ID (GB 11643), credit code (GB 32100) validation and masking."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from zhenjie.conftest import resident_id
from zhenjie.core.validators import (
    ResidentIdFacts,
    mask_id_number,
    mask_phone,
    normalize_code,
    parse_resident_id,
    validate_credit_code,
    validate_resident_id,
)

# ---------------------------------------------------------------- resident ID numbers


def test_parse_resident_id_returns_the_facts_of_a_valid_number():
    # given the textbook example number of a woman born 1949-12-31 in 北京市朝阳区
    number = "11010519491231002X"

    # when it is parsed
    facts = parse_resident_id(number)

    # then the birth date and gender are read from it
    assert facts == ResidentIdFacts(
        number="11010519491231002X", birth_date=dt.date(1949, 12, 31), gender="F"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
    ],
    ids=["lowercase-x", "blanks", "full-width"],
)
def test_parse_resident_id_normalises_what_was_typed(typed, stored):
    # given a valid number typed in lowercase, with blanks or with full-width characters
    # when it is parsed
    facts = parse_resident_id(typed)

    # then the canonical number is returned
    assert facts.number == stored


@pytest.mark.parametrize(
    ("female", "gender"),
    [(False, "M"), (True, "F")],
    ids=["odd-17th-digit-male", "even-17th-digit-female"],
)
def test_parse_resident_id_reads_gender_from_the_17th_digit(female, gender):
    # given an 阿尔山市 number with an odd (man) or even (woman) 17th digit
    number = resident_id(dt.date(1998, 5, 20), 7, female=female)

    # when it is parsed
    facts = parse_resident_id(number)

    # then gender and birth date follow GB 11643
    assert (facts.gender, facts.birth_date) == (gender, dt.date(1998, 5, 20))


def test_the_fixture_helper_builds_numbers_python_stdnum_agrees_with():
    # given a number made by the shared test helper
    number = resident_id(dt.date(1990, 1, 1), 12, female=True)

    # when python-stdnum computes the check character
    # then it is the one the helper appended
    assert (number[:6], ric.calc_check_digit(number)) == ("152202", number[-1])


@pytest.mark.parametrize(
    ("number", "message", "code"),
    [
        ("110105194912310021", "身份证号码校验位错误", "id_checksum"),
        ("1101051949123100", "身份证号码应为18位", "id_length"),
        ("11010519491231002X1", "身份证号码应为18位", "id_length"),
        ("", "身份证号码应为18位", "id_length"),
        ("11010519491231A02X", "身份证号码格式错误", "id_format"),
        ("11010519491231002Y", "身份证号码格式错误", "id_format"),
        (resident_id("19490230", 1, region="110105"), "身份证号码中的出生日期无效", "id_birth"),
        (resident_id("19491301", 1, region="110105"), "身份证号码中的出生日期无效", "id_birth"),
        (
            resident_id(dt.date(1990, 1, 1), 1, region="990101"),
            "身份证号码的地区码无效",
            "id_region",
        ),
        (resident_id(dt.date(2099, 1, 1), 1), "身份证号码中的出生日期晚于今天", "id_future"),
    ],
    ids=[
        "bad-checksum",
        "too-short",
        "too-long",
        "empty",
        "letter-inside",
        "bad-check-letter",
        "february-30",
        "month-13",
        "unknown-province",
        "born-in-2099",
    ],
)
def test_parse_resident_id_refuses_invalid_numbers(number, message, code):
    # given an invalid number
    # when it is parsed
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(number)

    # then the exact reason is given in Chinese with a machine-readable code
    assert (exc.value.messages, exc.value.code) == ([message], code)


def test_parse_resident_id_compares_the_birth_date_with_the_given_day():
    # given a child born on 2024-06-02 and a check made the day before
    number = resident_id(dt.date(2024, 6, 2), 1)

    # when the number is parsed as of 2024-06-01
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(number, today=dt.date(2024, 6, 1))

    # then the birth date is in the future on that day
    assert exc.value.messages == ["身份证号码中的出生日期晚于今天"]


def test_parse_resident_id_accepts_a_birth_on_the_given_day():
    # given a child born on the very day of the check
    number = resident_id(dt.date(2024, 6, 1), 1)

    # when the number is parsed as of that day
    facts = parse_resident_id(number, today=dt.date(2024, 6, 1))

    # then it is accepted
    assert facts.birth_date == dt.date(2024, 6, 1)


def test_validate_resident_id_is_the_form_field_validator():
    # given a number with a wrong check character
    # when the field validator runs
    with pytest.raises(ValidationError) as exc:
        validate_resident_id("110105194912310021")

    # then it raises the same message as parse_resident_id
    assert exc.value.messages == ["身份证号码校验位错误"]


def test_validate_resident_id_accepts_a_valid_number():
    # given a valid number
    # when the field validator runs
    # then it returns nothing
    assert validate_resident_id("11010519491231002X") is None


# ---------------------------------------------------------------- unified social credit codes


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "91350100m000100y43",
        " 91350100 M000100Y43 ",
        "９１３５０１００M000100Y43",
    ],
    ids=["canonical", "lowercase", "blanks", "full-width"],
)
def test_validate_credit_code_accepts_a_valid_code(code):
    # given a valid unified social credit code, possibly typed loosely
    # when it is validated
    # then no error is raised
    assert validate_credit_code(code) is None


@pytest.mark.parametrize(
    ("code", "message", "code_name"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位错误", "uscc_checksum"),
        ("91350100M000100Y4", "统一社会信用代码应为18位", "uscc_length"),
        ("91350100M000100Y433", "统一社会信用代码应为18位", "uscc_length"),
        ("9135010AM000100Y43", "统一社会信用代码格式错误", "uscc_format"),
        ("91350100M000100I43", "统一社会信用代码格式错误", "uscc_format"),
    ],
    ids=["altered-check-char", "too-short", "too-long", "letter-in-region", "letter-I"],
)
def test_validate_credit_code_refuses_invalid_codes(code, message, code_name):
    # given an invalid credit code
    # when it is validated
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)

    # then the exact reason is given
    assert (exc.value.messages, exc.value.code) == ([message], code_name)


# ---------------------------------------------------------------- normalisation and masking


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        (" 1522 02 ", "152202"),
        ("ａｂｃ１２３", "ABC123"),
        ("91350100m000100y43", "91350100M000100Y43"),
        ("152202\u3000100", "152202100"),
        ("", ""),
    ],
    ids=["blanks", "full-width", "lowercase", "ideographic-space", "empty"],
)
def test_normalize_code(typed, normalised):
    # given a code as typed
    # when it is normalised
    # then blanks are dropped, full-width characters become ASCII and letters uppercase
    assert normalize_code(typed) == normalised


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("152202199805200011", "152202********0011"),
        ("123456789", "*********"),
        ("", ""),
    ],
    ids=["18-digits", "arxan", "too-short-to-show", "empty"],
)
def test_mask_id_number_shows_region_and_last_four_only(number, masked):
    # given an ID number
    # when it is masked for display
    # then only the region code and the last four characters remain
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812345678", "138****5678"),
        ("04828712345", "048****2345"),
        ("8123456", "*****56"),
        ("81234567", "******67"),
        ("123456", "****56"),
        ("", ""),
    ],
    ids=["mobile", "landline-with-area-code", "7-digit-local", "8-digit-local", "short", "empty"],
)
def test_mask_phone_keeps_first_three_and_last_four(number, masked):
    # given a phone number
    # when it is masked for display
    # then an 11-digit number keeps 3 + 4 digits, a shorter one only its last two
    assert mask_phone(number) == masked
