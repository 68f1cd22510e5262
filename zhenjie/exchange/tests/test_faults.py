"""An import interrupted half way leaves nothing half imported: real processes, real faults.

Each test builds its own database (a file on SQLite, a database of its own on PostgreSQL),
because the importer runs in another process, ``manage.py import_register``, exactly as an
operator or the task worker would run it. While that process is inside its write transaction,
it is stopped with SIGKILL, or (PostgreSQL) its database connection is cut by the server.
Nothing it wrote may remain, and the job must end up saying so.

To catch the importer half way without a test hook in the code:
- SQLite: once the importer reports its write stage, this test holds a read lock on the
  database, so the importer can write into its transaction but never commit it; the process
  is killed as soon as its rollback journal shows that it has written.
- PostgreSQL: this test locks the table the importer writes last (the history of posts); the
  importer writes people, their history, enrolments, their history and posts, then waits on
  the lock, visibly, in pg_stat_activity.
"""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from zhenjie.conftest import resident_id
from zhenjie.jobs.services import INTERRUPTED

from .sheets import PERSON_HEADER, csv_bytes, person_row

ROWS = 12_000
WAIT = 60.0
SEED = "from zhenjie.exchange.tests.fault_seed import seed; seed()"
SWEEP = "from zhenjie.jobs.services import job_sweep_interrupted as s; print('MARKED', s())"


@dataclass
class FaultDatabase:
    url: str
    vendor: str
    path: Path | None = None  # SQLite
    name: str = ""  # PostgreSQL

    def manage(self, *args: str, **popen: Any) -> subprocess.Popen[str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONUNBUFFERED": "1",
        }
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            text=True,
            **popen,
        )

    def run(self, *args: str) -> str:
        process = self.manage(*args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output
        return output

    def scalar(self, sql: str) -> Any:
        if self.vendor == "sqlite":
            with sqlite3.connect(str(self.path)) as db:
                return db.execute(sql).fetchone()[0]
        with _pg(self.name) as db:
            return db.execute(sql).fetchone()[0]


def _pg(name: str) -> Any:
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=name,
        autocommit=True,
    )


@pytest.fixture
def fault_db(tmp_path: Path) -> Iterator[FaultDatabase]:
    """A migrated database with a county, a town with quota and a staffing officer."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fault.sqlite3"
        database = FaultDatabase(url=f"sqlite:///{path}", vendor="sqlite", path=path)
    else:
        params = connection.settings_dict
        name = f"zhenjie_fault_{os.getpid()}"
        with _pg("postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        host = params["HOST"] or "127.0.0.1"
        database = FaultDatabase(
            url=f"postgres://{auth}@{host}:{params['PORT'] or 5432}/{name}",
            vendor="postgresql",
            name=name,
        )
    database.run("migrate", "--verbosity", "0")
    database.run("shell", "--command", SEED)
    yield database
    if database.vendor == "postgresql":
        with _pg("postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database.name} WITH (FORCE)")


@pytest.fixture
def people_file(tmp_path: Path) -> Path:
    """ROWS new people, each enrolled at 天池镇 with a main post (six rows written each)."""
    first = dt.date(1970, 1, 1)
    rows = [
        person_row(f"人员{i}", resident_id(first + dt.timedelta(days=i // 90), i % 90))
        for i in range(ROWS)
    ]
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([PERSON_HEADER, *rows]))
    return path


def _start_import(database: FaultDatabase, path: Path) -> subprocess.Popen[str]:
    return database.manage(
        "import_register",
        "persons",
        str(path),
        "--commit",
        "--user",
        "fault-officer",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _read_until(process: subprocess.Popen[str], marker: str) -> str:
    """The importer's output up to the first line containing ``marker``."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"the importer ended before “{marker}”:\n{''.join(seen)}")


def _written(database: FaultDatabase) -> dict[str, int]:
    tables = [
        "personnel_person",
        "personnel_historicalperson",
        "personnel_enrolment",
        "personnel_historicalenrolment",
        "personnel_postassignment",
        "personnel_historicalpostassignment",
    ]
    return {table: database.scalar(f"SELECT COUNT(*) FROM {table}") for table in tables}


def _job(database: FaultDatabase) -> tuple[str, str]:
    status = database.scalar("SELECT status FROM jobs_job ORDER BY id DESC LIMIT 1")
    error = database.scalar("SELECT error FROM jobs_job ORDER BY id DESC LIMIT 1")
    return status, error


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the fault")
def test_sqlite_worker_killed_half_way_leaves_nothing(fault_db, people_file):
    # given an import that has reached its write stage, and a reader that keeps it from
    # committing
    before = _written(fault_db)
    importer = _start_import(fault_db, people_file)
    _read_until(importer, "写入")
    reader = sqlite3.connect(str(fault_db.path), isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM personnel_person").fetchone()
    journal = Path(f"{fault_db.path}-journal")

    # when the importer has written into its transaction, its process is killed
    _wait_for(lambda: journal.exists() and journal.stat().st_size > 0, "the importer's writes")
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=WAIT)
    reader.execute("ROLLBACK")
    reader.close()

    # then it died by that signal, half way, and none of its rows remain
    assert importer.returncode == -signal.SIGKILL
    assert _written(fault_db) == before
    # and the job, left running by the dead process, is reported as interrupted
    assert _job(fault_db)[0] == "running"
    assert "MARKED 1" in fault_db.run("shell", "--command", SWEEP)
    assert _job(fault_db) == ("failed", INTERRUPTED)


def _blocked_backend(database: FaultDatabase, admin: Any) -> tuple[int, str]:
    """The importer's server process, once it waits on the lock held by this test."""

    def find() -> Any:
        return admin.execute(
            "SELECT pid, query FROM pg_stat_activity "
            "WHERE datname = %s AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
            [database.name],
        ).fetchone()

    pid, query = _wait_for(find, "the importer to wait on the locked table")
    return pid, query


def _lock_post_history(database: FaultDatabase) -> Any:
    locker = _pg(database.name)
    locker.autocommit = False
    locker.execute("LOCK TABLE personnel_historicalpostassignment IN ACCESS EXCLUSIVE MODE")
    return locker


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL variant")
def test_postgresql_worker_killed_half_way_leaves_nothing(fault_db, people_file):
    # given an import that has written people, enrolments and posts in its transaction and
    # waits to write the posts' history
    before = _written(fault_db)
    locker = _lock_post_history(fault_db)
    importer = _start_import(fault_db, people_file)
    with _pg(fault_db.name) as admin:
        backend, query = _blocked_backend(fault_db, admin)
        assert query.startswith("COPY") and "personnel_historicalpostassignment" in query

        # when its process is killed and the lock released
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=WAIT)
        locker.rollback()
        locker.close()
        _wait_for(
            lambda: (
                not admin.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]
                ).fetchone()
            ),
            "the server to end the dead importer's session",
        )

    # then none of its rows remain
    assert importer.returncode == -signal.SIGKILL
    assert _written(fault_db) == before
    # and the job is reported as interrupted
    assert "MARKED 1" in fault_db.run("shell", "--command", SWEEP)
    assert _job(fault_db) == ("failed", INTERRUPTED)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL variant")
def test_postgresql_connection_dropped_half_way_leaves_nothing(fault_db, people_file):
    # given an import waiting half way through its writes, as above
    before = _written(fault_db)
    locker = _lock_post_history(fault_db)
    importer = _start_import(fault_db, people_file)
    with _pg(fault_db.name) as admin:
        backend, _ = _blocked_backend(fault_db, admin)

        # when the server cuts its connection
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])
    output, _ = importer.communicate(timeout=WAIT)
    locker.rollback()
    locker.close()

    # then the importer stops with a plain message, the job says why, and nothing remains
    assert importer.returncode == 1, output
    assert "任务执行出错, 未写入任何数据" in output
    status, error = _job(fault_db)
    assert status == "failed"
    assert error.startswith("任务执行出错, 未写入任何数据(")
    assert _written(fault_db) == before
