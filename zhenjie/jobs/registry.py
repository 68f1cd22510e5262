"""Kinds of background job. Apps register a handler per kind; the worker looks it up by name."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


class JobError(Exception):
    """A failure to show the user as it is (in Chinese); anything else is reported generically."""


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None, stage: str | None = None) -> None: ...


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    # handler(job, progress) -> result dict; it must keep its writes atomic (all or nothing).
    handler: Callable[[Any, Progress], dict[str, Any]]


_KINDS: dict[str, JobKind] = {}


def register(
    name: str, label: str
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    def decorate(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        _KINDS[name] = JobKind(name=name, label=label, handler=handler)
        return handler

    return decorate


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise JobError(f"未知的任务类型: {name}") from None


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
