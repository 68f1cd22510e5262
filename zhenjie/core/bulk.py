"""Bulk inserts of plain rows, for imports of tens of thousands of records.

``QuerySet.bulk_create`` builds a model instance per row and compiles every value through the
field API; at 100,000 people that is over 90% of an import's write time (the database itself
takes a few percent; bench/import_persons.py). The importer has already checked every row, so
these functions take rows as plain ``{attname: value}`` mappings and write them in the
cheapest way each database offers:

- PostgreSQL: primary keys are reserved from the table's sequence in one query, then the rows
  travel by ``COPY ... FROM STDIN`` (psycopg 3);
- SQLite: primary keys continue the table's ``AUTOINCREMENT`` sequence (safe inside the
  caller's transaction: a concurrent writer makes one of the two fail, never both succeed
  with the same key), then one ``executemany``.

Like ``bulk_create`` they run no ``save()``, no signals and no model validation, and they must
run inside the caller's ``transaction.atomic()`` so that a failure leaves nothing behind.
``insert_with_history`` also writes the django-simple-history record (``+``) of each row, with
the same user, reason and date as ``bulk_create_with_history`` would.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connections, models

Row = Mapping[str, Any]
_MISSING = object()

# Fields whose Python values both backends' drivers take as they are. Any other field goes
# through ``get_db_prep_save`` (value by value, with a cache for repeated values).
_PLAIN_FIELDS: tuple[type[models.Field[Any, Any]], ...] = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.ForeignKey,
)
_POSTGRES_PLAIN: tuple[type[models.Field[Any, Any]], ...] = (
    *_PLAIN_FIELDS,
    models.DateField,
    models.DateTimeField,
)


def _converter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any] | None:
    """How a column's values become database values; None when they go as they are."""
    plain = _POSTGRES_PLAIN if connection.vendor == "postgresql" else _PLAIN_FIELDS
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, plain) and not _is_custom(field):
        return None
    return _cached(field, connection)


def _is_custom(field: models.Field[Any, Any]) -> bool:
    """A subclass that changes how values are prepared is not plain."""
    base = next(b for b in type(field).__mro__ if b in _POSTGRES_PLAIN)
    return type(field).get_db_prep_save is not base.get_db_prep_save or (
        type(field).get_prep_value is not base.get_prep_value
    )


def _cached(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return cache[value]
        except KeyError:
            prepared = cache[value] = field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # unhashable values are converted every time
            return field.get_db_prep_save(value, connection)

    return convert


def _fill(
    model: type[models.Model], rows: Sequence[Row], now: dt.datetime
) -> tuple[list[models.Field[Any, Any]], list[list[Any]]]:
    """Every concrete column of every row: given values, then auto_now/auto_now_add, then
    the field's default (computed once unless it is callable). The primary key is left None."""
    fields = list(model._meta.concrete_fields)
    pk = model._meta.pk
    table: list[list[Any]] = [[None] * len(fields) for _ in rows]
    for index, field in enumerate(fields):
        if field is pk:
            continue
        name = field.attname
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        per_row = not stamped and field.has_default() and callable(field.default)
        constant = now if stamped else None if per_row else field.get_default()
        for values, row in zip(table, rows, strict=True):
            value = row.get(name, _MISSING)
            if value is _MISSING:
                value = field.get_default() if per_row else constant
            values[index] = value
    return fields, table


def _reserve(model: type[models.Model], count: int, using: str) -> list[int]:
    """``count`` new primary keys for ``model``'s table, in order."""
    connection = connections[using]
    table = model._meta.db_table
    pk_column = str(model._meta.pk.column)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk_column, count],
            )
            return [value for (value,) in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk_column)}), 0) FROM {quote(table)}")
        (highest,) = cursor.fetchone()
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
    return list(range(start, start + count))


def _write(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    table: list[list[Any]],
    using: str,
) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    converters = [_converter(f, connection) for f in fields]
    for index, convert in enumerate(converters):
        if convert is not None:
            for values in table:
                values[index] = convert(values[index])
    columns = ", ".join(quote(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            # The driver's own cursor; its errors become Django's (IntegrityError...).
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                for values in table:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})", table
            )


def insert(
    model: type[models.Model], rows: Sequence[Row], *, now: dt.datetime, using: str = "default"
) -> list[int]:
    """Insert ``rows`` (``{attname: value}``) into ``model``'s table; their new keys, in order."""
    return _insert(model, rows, now, using, keep=False)[0]


def _insert(
    model: type[models.Model], rows: Sequence[Row], now: dt.datetime, using: str, *, keep: bool
) -> tuple[list[int], list[models.Field[Any, Any]], list[list[Any]]]:
    if connections[using].vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"bulk insert is not implemented for {connections[using].vendor}")
    if not rows:
        return [], [], []
    fields, table = _fill(model, rows, now)
    keys = _reserve(model, len(rows), using)
    pk_index = fields.index(model._meta.pk)
    for values, key in zip(table, keys, strict=True):
        values[pk_index] = key
    # History rows copy the Python values, so they are taken before conversion.
    snapshot = [list(values) for values in table] if keep else []
    _write(model, fields, table, using)
    return keys, fields, snapshot


def insert_with_history(
    model: type[models.Model],
    rows: Sequence[Row],
    *,
    actor: Any,
    reason: str,
    now: dt.datetime,
    using: str = "default",
) -> list[int]:
    """``insert`` and, for each row, its creation record in ``model.history`` (django-simple-
    history), attributed to ``actor`` with ``reason`` at ``now``."""
    keys, fields, snapshot = _insert(model, rows, now, using, keep=True)
    if not keys:
        return keys
    history = model.history.model  # type: ignore[attr-defined]
    position = {f.attname: i for i, f in enumerate(fields)}
    tracked = [
        f.attname
        for f in history._meta.concrete_fields
        if f.attname in position and f.attname != "history_id"
    ]
    user_id = getattr(actor, "pk", None)
    change_reason = reason[:100]
    history_rows = [
        {
            **{name: values[position[name]] for name in tracked},
            "history_date": now,
            "history_type": "+",
            "history_user_id": user_id,
            "history_change_reason": change_reason,
        }
        for values in snapshot
    ]
    _insert(history, history_rows, now, using, keep=False)
    return keys
