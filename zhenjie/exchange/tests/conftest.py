"""Fixtures of the exchange tests: quota to enrol on, and running import jobs as the pages do."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from zhenjie.exchange.handlers import COMMIT, DRY_RUN, EXPORT
from zhenjie.jobs.models import Job
from zhenjie.jobs.services import job_submit


@pytest.fixture
def quota(org: SimpleNamespace, qt: SimpleNamespace, grant_quota: Callable[..., Any]) -> None:
    """天池镇 5 行政编制, its center 3 事业编制, 白狼镇 2 行政编制 (approved 2024-01-01)."""
    grant_quota(org.tianchi, qt.administrative, 5)
    grant_quota(org.tianchi_center, qt.institution, 3)
    grant_quota(org.bailang, qt.administrative, 2)


@pytest.fixture
def run_import() -> Callable[..., Job]:
    """Submit an import job (a dry run, or the commit) as the upload page does."""

    def run(
        user: Any,
        register: str,
        data: bytes,
        *,
        commit: bool = False,
        mapping: dict[str, int] | None = None,
        name: str = "导入.xlsx",
    ) -> Job:
        job = job_submit(
            actor=user,
            kind=COMMIT if commit else DRY_RUN,
            title="导入",
            params={"register": register, "mapping": mapping or {}},
            input_name=name,
            input_data=data,
        )
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def run_export() -> Callable[..., Job]:
    def run(user: Any, register: str, *, fmt: str = "xlsx", filters: Any = None) -> Job:
        job = job_submit(
            actor=user,
            kind=EXPORT,
            title="导出",
            params={"register": register, "format": fmt, "filters": filters or {}},
        )
        job.refresh_from_db()
        return job

    return run
