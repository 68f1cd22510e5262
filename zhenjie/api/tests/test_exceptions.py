"""The API's exception handler: a service's errors as HTTP responses."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404

from zhenjie.api.exceptions import exception_handler


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (
            ValidationError({"amount": "变动数必须是正整数"}),
            {"amount": ["变动数必须是正整数"]},
        ),
        (
            ValidationError(
                {"id_number": ["身份证号码应为18位"], "phone": "联系电话应为7-12位数字"}
            ),
            {"id_number": ["身份证号码应为18位"], "phone": ["联系电话应为7-12位数字"]},
        ),
        (
            ValidationError({NON_FIELD_ERRORS: ["该机构此职级在同一生效日期已有核定记录"]}),
            {"non_field_errors": ["该机构此职级在同一生效日期已有核定记录"]},
        ),
        (
            ValidationError("该机构仍有在编人员, 须先办理出编或随编划转"),
            {"non_field_errors": ["该机构仍有在编人员, 须先办理出编或随编划转"]},
        ),
        (
            ValidationError(["未知字段: 性别", "未知字段: 年龄"]),
            {"non_field_errors": ["未知字段: 性别", "未知字段: 年龄"]},
        ),
    ],
    ids=["one-field", "two-fields", "all", "message", "messages"],
)
def test_service_validation_error_is_400_by_field(error, body):
    # when a service's ValidationError reaches the handler
    response = exception_handler(error, {})

    # then it is a 400 with the Chinese messages keyed by field
    assert response is not None
    assert (response.status_code, response.data) == (400, body)


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (PermissionDenied("您的角色不能登记人员"), 403, "您的角色不能登记人员"),
        (Http404("人员不存在或不在您的权限范围内"), 404, "人员不存在或不在您的权限范围内"),
    ],
    ids=["permission-denied", "not-found"],
)
def test_permission_denied_and_not_found_keep_their_message(error, status, detail):
    # when a service refuses, or an object is missing
    response = exception_handler(error, {})

    # then the status says which, with the message as the detail
    assert response is not None
    assert (response.status_code, response.data) == (status, {"detail": detail})


def test_other_errors_are_left_to_django():
    # when an unexpected error reaches the handler, then it is not turned into a response
    assert exception_handler(RuntimeError("bug"), {}) is None
