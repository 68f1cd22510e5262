"""Errors of the API: a service's Chinese messages become HTTP responses.

Services raise Django's ``ValidationError`` keyed by form field and ``PermissionDenied``; pages
show them beside the fields, the API returns them as 400 (keyed by the same field names, which
are the services' argument names) and 403. Install with
``REST_FRAMEWORK["EXCEPTION_HANDLER"] = "zhenjie.api.exceptions.exception_handler"``; until then
the API's views use it through ``ServiceErrorsMixin``.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """{field: [messages]}; errors of no one field go under ``non_field_errors``."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a service's ValidationError as 400 with its messages by field.

    Django's PermissionDenied (403, with the service's message) and Http404 (404) are already
    handled by DRF's own handler.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    return drf_exception_handler(exc, context)


class ServiceErrorsMixin:
    """Use ``exception_handler`` in this view whatever the EXCEPTION_HANDLER setting says."""

    def get_exception_handler(self) -> Any:
        return exception_handler
