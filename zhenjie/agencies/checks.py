"""System checks of the agencies settings (ids listed in docs/rules.md)."""

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Warning
from django.core.exceptions import ImproperlyConfigured

from .services import town_weight


def check_town_weight(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """``AGENCY_TOWN_WEIGHT`` is a number in [0, 1], and below one half (以部门管理为主)."""
    try:
        weight = town_weight()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint='ZHENJIE["AGENCY_TOWN_WEIGHT"] 应为0到1之间的小数, 如 "0.4"',
                id="agencies.E001",
            )
        ]
    if weight > 0.5:
        return [
            Warning(
                f"派出机构考核中镇(街道)评分权重为{weight}, 超过一半",
                hint="派出机构实行双重管理, 以部门管理为主 (调研报告 一.2)",
                id="agencies.W001",
            )
        ]
    return []
