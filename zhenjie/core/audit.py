"""Attribution of changes for the history records kept by django-simple-history."""

from typing import Any


def attribute(obj: Any, actor: Any, reason: str = "") -> Any:
    """Mark the next save of ``obj`` as done by ``actor`` for ``reason`` (变更原因)."""
    obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]
    return obj
