"""Many rows in a few statements: the writes behind the batch services.

The ORM's `bulk_create` and `bulk_update` build a model instance per row and, for
updates, one `CASE WHEN` per field and row: fine for hundreds of rows, the main cost
of an import at tens of thousands. These helpers take plain tuples instead:

- PostgreSQL: inserts use `COPY` (the fastest way into a table), their ids allocated
  first from the table's own sequence in one statement so that the caller can
  audit and link what it wrote; updates are one `UPDATE … FROM unnest(arrays)`.
- SQLite (the development database): `executemany`, in the same transaction.

Values are Python values (str, int, date, Decimal, None, dicts for JSON fields). As
`Model()` and `save()` would: a field an insert does not give takes its default, an
`auto_now` or `auto_now_add` field the time of the call. Statements are recorded in
`connection.queries_log` like any other, so `CaptureQueriesContext` counts `COPY` too.
"""

import datetime
import functools
import json
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

Row = Sequence[Any]


class JSONText(str):
    """A JSON field's value already serialised: written as it is."""


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Row],
    *,
    returning_ids: bool = False,
) -> list[int]:
    """Insert `rows` (values in the order of `fields`); with `returning_ids`, their new
    primary keys in the same order (else an empty list)."""
    if not rows:
        return []
    fields, rows = _completed(model, fields, rows, inserting=True)
    if connection.vendor == "postgresql":
        return _pg_insert(model, fields, rows, returning_ids)
    return _sqlite_insert(model, fields, rows, returning_ids)


def insert_rows_ignoring_conflicts(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Row],
    *,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert the rows that break no unique constraint; leave the others (another
    transaction may just have inserted the same value: it is then theirs and ours).

    Returns the `returning` fields of the rows inserted (on SQLite, of every row that
    is there afterwards, looked up by the first of `fields`).
    """
    if not rows:
        return []
    fields, rows = _completed(model, fields, rows, inserting=True)
    table, columns = _names(model, fields)
    _table, returned = _names(model, returning)
    if connection.vendor == "postgresql":
        arrays, casts = _pg_arrays(model, fields, rows)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608  (quoted names)
            f"SELECT * FROM unnest({casts}) ON CONFLICT DO NOTHING"
        )
        if returning:
            sql += f" RETURNING {', '.join(returned)}"
        return _execute(sql, arrays)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    _execute_many(sql, _sqlite_values(model, fields, rows))
    if not returning:
        return []
    keys = [row[0] for row in rows]
    return list(model._default_manager.filter(**{f"{fields[0]}__in": keys}).values_list(*returning))


def update_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Row],
    *,
    expected: Sequence[str] = (),
    touch: bool = True,
) -> int:
    """Set `fields` of the records whose primary key is each row's first value to the
    row's last values: `rows` are `(pk, *expected values, *new values)`.

    `expected` names fields whose value must still be the one the caller read (an
    optimistic check: a record changed by another transaction since is left alone).
    Returns the number of records updated, which the caller compares with its rows.
    With `touch=False`, `auto_now` fields keep their time (the update is not an edit:
    a stored count, say).
    """
    if not rows:
        return 0
    width = 1 + len(expected)
    if touch:
        fields, rows = _completed(model, fields, rows, inserting=False)
    table, columns = _names(model, fields)
    _table, checked = _names(model, expected)
    pk = connection.ops.quote_name(_column(model._meta.pk))
    if connection.vendor == "postgresql":
        aliases = [f'"expected_{n}"' for n in range(len(expected))]
        arrays, casts = _pg_arrays(model, [model._meta.pk.name, *expected, *fields], rows)
        assignments = ", ".join(f"{column} = v.{column}" for column in columns)
        conditions = "".join(
            f" AND {table}.{column} IS NOT DISTINCT FROM v.{alias}"
            for column, alias in zip(checked, aliases, strict=True)
        )
        sql = (
            f"UPDATE {table} SET {assignments} FROM unnest({casts}) "  # noqa: S608  (quoted)
            f"AS v({', '.join([pk, *aliases, *columns])}) WHERE {table}.{pk} = v.{pk}{conditions}"
        )
        return _execute_count(sql, arrays)
    assignments = ", ".join(f"{column} = %s" for column in columns)
    conditions = "".join(f" AND {column} IS %s" for column in checked)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s{conditions}"  # noqa: S608  (quoted)
    values = _sqlite_values(model, [model._meta.pk.name, *expected, *fields], rows)
    return _execute_many(sql, [(*row[width:], *row[:width]) for row in values])


# --- Shared -----------------------------------------------------------------------------


def _names(model: type[models.Model], fields: Sequence[str]) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    meta = model._meta
    return quote(meta.db_table), [quote(_column(_field(model, name))) for name in fields]


def _field(model: type[models.Model], name: str) -> models.Field:
    """The field `name` of `model`: rows hold values of fields, not of relations' far ends."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{model._meta.label}.{name} is the far end of a relation")
    return field


def _column(field: models.Field) -> str:
    if field.column is None:
        raise ValueError(f"{field} has no column of its own")
    return field.column


def _completed(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Row], *, inserting: bool
) -> tuple[list[str], Sequence[Row]]:
    """`fields` and `rows` plus what a save would set that the caller left out (appended
    after each row's values): the time for `auto_now` fields (and, inserting,
    `auto_now_add` ones) and, inserting, every other field's default."""
    now = timezone.now()
    extra: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.name in fields or field.primary_key:
            continue
        if isinstance(field, models.DateField) and (
            field.auto_now or (inserting and field.auto_now_add)
        ):
            extra[field.name] = now
        elif inserting:
            extra[field.name] = field.get_default()
    if not extra:
        return list(fields), rows
    values = tuple(extra.values())
    return [*fields, *extra], [(*row, *values) for row in rows]


def _log(sql: str, started: float, count: int | None = None) -> None:
    if connection.queries_logged:
        entry = {"sql": sql, "time": f"{time.monotonic() - started:.3f}"}
        if count is not None:
            entry["many"] = str(count)
        connection.queries_log.append(entry)


def _execute(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _execute_count(sql: str, params: Sequence[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _execute_many(sql: str, rows: Sequence[Row]) -> int:
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return cursor.rowcount


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_converters(
    model: type[models.Model], fields: Sequence[str]
) -> list[Callable[[Any], Any] | None]:
    """Per field, how a value is written: as it is, except JSON (serialised here)."""
    return [
        _json_text if isinstance(model._meta.get_field(name), models.JSONField) else None
        for name in fields
    ]


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, JSONText):
        return value
    return json.dumps(value, cls=DjangoJSONEncoder)


def _converted(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Row]
) -> Sequence[Row]:
    converters = _pg_converters(model, fields)
    if not any(converters):
        return rows
    return [
        tuple(
            value if convert is None else convert(value)
            for convert, value in zip(converters, row, strict=True)
        )
        for row in rows
    ]


def _pg_insert(
    model: type[models.Model], fields: list[str], rows: Sequence[Row], returning_ids: bool
) -> list[int]:
    table, columns = _names(model, fields)
    ids: list[int] = []
    if returning_ids:
        pk = model._meta.pk
        sequence_sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        ids = [
            value
            for (value,) in _execute(sequence_sql, [model._meta.db_table, _column(pk), len(rows)])
        ]
        columns = [connection.ops.quote_name(_column(pk)), *columns]
        rows = [(pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)]
        fields = [pk.name, *fields]
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    started = time.monotonic()
    # The driver's own COPY: its errors are turned into Django's, as for any statement.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(sql) as copy,
    ):
        write_row = copy.write_row
        for row in _converted(model, fields, rows):
            write_row(row)
    _log(sql, started, len(rows))
    return ids


def _pg_arrays(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Row]
) -> tuple[list[str], str]:
    """One array per field (its values down the rows) and `unnest`'s typed parameters."""
    rows = _converted(model, fields, rows)
    arrays = [array_literal(column) for column in zip(*rows, strict=True)]
    casts = ", ".join(f"%s::{_field(model, name).db_type(connection)}[]" for name in fields)
    return arrays, casts


def array_literal(values: Iterable[Any]) -> str:
    """`values` as the text of a PostgreSQL array (`{"a","b",NULL}`), to be cast to the
    element type in the query (`%s::date[]`).

    The driver can send a list as an array itself, but it adapts the values one by one in
    Python, and for the thousands of values of a block that costs more than the query; one
    `join` over values already in their text form costs almost nothing. Every element but
    NULL is quoted, so any text is safe: inside quotes only `"` and `\\` are special.
    """
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_values(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Row]
) -> list[tuple[Any, ...]]:
    convert = [_sqlite_converter(_field(model, name)) for name in fields]
    if not any(convert):
        return [tuple(row) for row in rows]
    return [
        tuple(value if fn is None else fn(value) for fn, value in zip(convert, row, strict=True))
        for row in rows
    ]


# Values SQLite stores as the driver gives them.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _sqlite_converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a value of `field` is written to SQLite: what `get_db_prep_save` does, with the
    common cases done directly (it is most of the cost of a bulk write otherwise)."""
    if isinstance(field, models.JSONField):
        return _json_text
    if isinstance(field, models.ForeignKey):
        return _sqlite_converter(field.target_field)
    if isinstance(field, models.DateTimeField):
        return functools.lru_cache(maxsize=16)(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _iso_date
    if isinstance(field, _AS_IS):
        return None
    return functools.partial(_prep_save, field)


def _iso_date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _prep_save(field: models.Field, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _sqlite_insert(
    model: type[models.Model], fields: list[str], rows: Sequence[Row], returning_ids: bool
) -> list[int]:
    table, columns = _names(model, fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    _execute_many(sql, _sqlite_values(model, fields, rows))
    if not returning_ids:
        return []
    # One executemany in one transaction: SQLite gives the rows consecutive rowids.
    (last,) = _execute("SELECT last_insert_rowid()", [])[0]
    return list(range(last - len(rows) + 1, last + 1))
