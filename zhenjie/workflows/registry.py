"""Kinds of approval request. Each kind validates its payload and applies it when approved.

The engine (``services``) knows nothing of quotas or people: it asks the handler registered for
a request's kind to check the payload at creation and to apply it through the owning app's
service after the last stage approves. A new kind is a new ``RequestKind`` subclass registered
from its app's ``AppConfig.ready`` plus an ``ApprovalDefinition`` row with its stages.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from zhenjie.core.roles import Role
from zhenjie.organizations.models import Unit

if TYPE_CHECKING:
    from .models import ApprovalRequest


@dataclass(frozen=True)
class CleanedRequest:
    """A payload that passed its kind's checks: the unit it is about, a title, and JSON data."""

    unit: Unit
    title: str
    payload: dict[str, Any]


class RequestKind(ABC):
    """What the engine needs from one kind of request (申请类型)."""

    #: The key shared with ``ApprovalDefinition.kind``.
    kind: str = ""
    #: The change is recorded under the authority of the approver of the (latest approved)
    #: stage held by this role; the owning services check that role's permissions.
    applier_role: str = Role.STAFFING_OFFICE

    @abstractmethod
    def clean(self, *, actor: Any, data: Mapping[str, Any]) -> CleanedRequest:
        """Validate raw data (ids, ISO dates) for ``actor``; raise ValidationError by field."""

    @abstractmethod
    def describe(self, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(label, value) rows showing the payload on the request page."""

    @abstractmethod
    def apply(self, *, actor: Any, request: "ApprovalRequest") -> dict[str, Any]:
        """Make the change through the owning service; return ids of what was recorded."""


_KINDS: dict[str, RequestKind] = {}


def register(handler: RequestKind) -> RequestKind:
    """Register (or replace) the handler of ``handler.kind``."""
    if not handler.kind:
        raise ValueError("RequestKind.kind must be set")
    _KINDS[handler.kind] = handler
    return handler


def get(kind: str) -> RequestKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise ValidationError({"kind": f"未知的申请类型: {kind}"}) from None


def kinds() -> dict[str, RequestKind]:
    return dict(_KINDS)
