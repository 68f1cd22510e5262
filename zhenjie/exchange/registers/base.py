"""What every register offers the exchange: its layout, export, template and import."""

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ..tabular import Layout, Problem, Reference, Table, is_blank

# Problems kept in a job's result (all are counted); the rest would only bloat the page.
MAX_PROBLEMS = 1000
# Rows between two progress reports.
PROGRESS_EVERY = 500

ProgressFn = Callable[..., None]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a bulk import.

    A big import keeps ~100,000 checked rows alive while it allocates millions of short-lived
    model instances; every full collection rescans the rows, which measured 35-40% of the
    import's time (bench/import_persons.py). The rows form almost no reference cycles (a few
    hundred collectable objects per 20,000 rows), so the collector is paused for the job and
    runs once at the end. Jobs run in the task worker's own process.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


class ImportRefused(Exception):
    """The user may not import into this register at all (role); nothing is read or written."""


@dataclass
class ImportOutcome:
    """What an import found or did, row by row and in total."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)
    details: dict[str, int] = field(default_factory=dict)

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def count(self, action: str) -> None:
        setattr(self, action, getattr(self, action) + 1)


class _Rollback(Exception):
    """Leaves the import's transaction without writing anything."""


def problems_from_validation(
    row: int | None, exc: ValidationError, columns: Mapping[str, str], default: str = ""
) -> list[Problem]:
    """A service's ValidationError as problems, each field named by its column header."""
    if hasattr(exc, "error_dict"):
        return [
            Problem(row, columns.get(name, default), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [Problem(row, default, message) for message in exc.messages]


class Register:
    """One register (登记簿) as a table: its layout, what to export, and how to import it."""

    name: str
    label: str
    description: str
    layout: Layout
    list_url_name: str
    filterset_class: Any = None
    # Service field names → column names, so service errors land in the right column.
    field_columns: Mapping[str, str] = {}
    import_refusal: str = "您的角色不能导入此登记簿"
    # Whether the export form offers an as-of date.
    has_as_of: bool = False

    # -- permissions ---------------------------------------------------------------------------
    def may_import(self, user: Any) -> bool:
        raise NotImplementedError

    # -- references ----------------------------------------------------------------------------
    def references(self, user: Any) -> dict[str, Reference]:
        return {}

    def template_options(self, user: Any) -> dict[str, list[str]]:
        refs = self.references(user)
        return {c.name: refs[c.ref].options() for c in self.layout.columns if c.ref in refs}

    # -- export --------------------------------------------------------------------------------
    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        raise NotImplementedError

    def export_queryset(self, user: Any, filters: Mapping[str, Any], on: dt.date) -> QuerySet[Any]:
        """The user's scoped queryset, narrowed by the same filters as the register's page."""
        queryset = self.base_queryset(user, on)
        if self.filterset_class is not None and filters:
            queryset = self.filterset_class(filters, queryset=queryset).qs
        return queryset

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        raise NotImplementedError

    def export_rows(
        self, user: Any, filters: Mapping[str, Any], on: dt.date, progress: ProgressFn
    ) -> tuple[int, Iterator[list[Any]]]:
        queryset = self.export_queryset(user, filters, on)
        total = queryset.count()
        refs = self.references(user)

        def rows() -> Iterator[list[Any]]:
            for done, obj in enumerate(queryset.iterator(chunk_size=2000), start=1):
                yield self.export_values(obj, refs, on)
                if done % PROGRESS_EVERY == 0:
                    progress(done, total)

        return total, rows()

    # -- import --------------------------------------------------------------------------------
    def run_import(
        self, *, actor: Any, table: Table, commit: bool, progress: ProgressFn
    ) -> ImportOutcome:
        raise NotImplementedError

    @property
    def key_headers(self) -> str:
        by_name = self.layout.by_name
        return "、".join(by_name[k].header for k in self.layout.key)


class ServiceRegister(Register):
    """A small register imported row by row through the owning app's services.

    Rows are parsed first (progress is reported); then every row runs through the services
    inside one transaction, each in its own savepoint so that every problem is listed. A dry
    run, or any problem, rolls the whole transaction back: the dry run therefore reports exactly
    what the commit would do, and a commit writes all rows or none.
    """

    def prepare(self, actor: Any, rows: list[tuple[int, dict[str, Any]]], refs: Any) -> Any:
        """Bulk look-ups shared by all rows (existing keys)."""
        return None

    def apply_row(
        self, actor: Any, row: int, values: dict[str, Any], refs: Any, context: Any
    ) -> str:
        """Write one row through the services; return "created", "updated" or "unchanged"."""
        raise NotImplementedError

    def run_import(
        self, *, actor: Any, table: Table, commit: bool, progress: ProgressFn
    ) -> ImportOutcome:
        refs = self.references(actor)
        outcome = ImportOutcome()
        parsed: list[tuple[int, dict[str, Any]]] = []
        progress(0, None, "校验")
        for record in table.records():
            values, problems = self.layout.parse(record, refs)
            outcome.rows += 1
            if problems:
                outcome.extend(problems)
            else:
                parsed.append((record.row, values))
            if outcome.rows % PROGRESS_EVERY == 0:
                progress(outcome.rows)
        progress(outcome.rows, outcome.rows, "写入" if commit else "检查")
        try:
            with transaction.atomic():
                context = self.prepare(actor, parsed, refs)
                for row, values in parsed:
                    try:
                        action = self.apply_row(actor, row, values, refs, context)
                    except ValidationError as exc:
                        outcome.extend(problems_from_validation(row, exc, self.column_headers()))
                    except PermissionDenied as exc:
                        outcome.add(Problem(row, self.scope_header(), str(exc)))
                    except IntegrityError:
                        outcome.add(Problem(row, "", "与系统中已有的数据冲突, 该行不能写入"))
                    else:
                        outcome.count(action)
                if not commit or outcome.problem_count:
                    raise _Rollback
        except _Rollback:
            pass
        return outcome

    def column_headers(self) -> dict[str, str]:
        by_name = self.layout.by_name
        return {
            field_name: by_name[column].header
            for field_name, column in {**{c: c for c in by_name}, **self.field_columns}.items()
            if column in by_name
        }

    def scope_header(self) -> str:
        return self.layout.by_name[self.layout.key[0]].header


def differs(new: Any, old: Any) -> bool:
    """A filled cell that says something else than the database (blank cells change nothing)."""
    return not is_blank(new) and new != old


def differs_from_stored(new: Any, old: Any) -> bool:
    """Like :func:`differs`, but stored text is compared without the blanks around it (cells
    are read trimmed, so a value saved with a trailing newline is not a change)."""
    if isinstance(old, str):
        old = old.strip()
    return differs(new, old)
