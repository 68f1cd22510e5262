"""Helpers of the API tests."""

from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhenjie.accounts.models import User


def token_header(user: User) -> str:
    """The ``Authorization`` header of ``user``'s API token."""
    token, _ = Token.objects.get_or_create(user=user)
    return f"Token {token.key}"


def token_client(user: User) -> APIClient:
    """An API client authenticated the way programs are: ``Authorization: Token …``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_header(user))
    return client


def results(response: Any) -> list[dict[str, Any]]:
    """The rows of one page of a list response."""
    assert response.status_code == 200, response.content.decode()
    return response.json()["results"]


def column(response: Any, key: str) -> list[Any]:
    return [row[key] for row in results(response)]


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Row count differences by table (empty when nothing was written)."""
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }


# The registers of delegated powers and of the lists, and the fixture holding records of each.
POWER_LISTS = [
    "power-categories",
    "delegation-batches",
    "powers",
    "acceptances",
    "resource-pledges",
    "guidance",
    "power-usages",
]
DUTY_LISTS = ["duty-lists", "editions", "duty-items", "consultation-rounds", "admissions"]
AGENCY_LISTS = ["agencies", "agency-assessments", "agency-moves", "agency-tasks"]


def records_of(register: str) -> str:
    """The fixture that gives ``register`` records of two towns (built only where needed)."""
    if register in POWER_LISTS:
        return "powers"
    if register in DUTY_LISTS:
        return "duties"
    if register in AGENCY_LISTS:
        return "agency_records"
    return "registers"
