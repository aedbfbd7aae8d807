"""Writing blocks of call rows: the calls import's batch service.

A block is thousands of rows already checked and normalised by the import
(calls/importers.py), one per key (source, from, to, started_at, kind). Writing it
costs a bounded number of statements whatever its size:

- the rows go into a temporary staging table (COPY on PostgreSQL, one executemany on
  SQLite);
- they are inserted into the call rows, a row whose key is held already being updated
  when what it says differs (duration, IMEI, IMSI, cell) and left alone otherwise: the
  block's rows are counted created, updated or unchanged;
- each event new to the database (no source held it before) is counted into
  ContactMonth, in the same transaction, by the rules of calls/contact_months.py: once
  on (from, to, month) and, when `to` is a subscriber other than `from`, once on
  (to, from, month) (on PostgreSQL the blocks' counts are added up and written once,
  by `call_rows_writing_end` after the last block);
- the subscriber numbers of the new rows that someone watches are returned, by source,
  for the import to tell their watchers.

On PostgreSQL the insert, the ContactMonth counts and the watched numbers are one
statement (data-modifying CTEs see the table as it was before the statement, so "no
source held it before" is a plain NOT EXISTS); SQLite takes a few plain statements.
The caller holds `calls.locks.call_rows_lock()`: another writer could otherwise count
an event new in both transactions.

What this does not keep up to date as it goes: when an event's only source changes its
duration, ContactMonth's call_seconds keeps the first; `contact_months_recompute`
(which the purge runs) counts what the rows say.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.backends.utils import CursorWrapper

from watches.models import Watch
from watches.things import number_thing

from ..contact_months import event_sides_sql, pair_counts_sql
from ..locks import call_rows_lock
from ..models import CallEvent, ContactMonth

# One row as the import hands it over: source id, from, to, started_at (UTC, as the
# database's text: `2026-03-02 09:00:00`), kind, duration, imei, imsi, cell id.
CallRow = tuple[int, str, str, str, str, int | None, str | None, str | None, str | None]

STAGING = "calls_import_rows"
_COLUMNS = (
    "source_id, from_number, to_number, started_at, kind, duration_seconds, imei, imsi, cell_id"
)
_KEY = "source_id, from_number, to_number, started_at, kind"
_DETAIL = ("duration_seconds", "imei", "imsi", "cell_id")
# What a watch of a number is keyed by, before the number (watches.things).
_NUMBER_PREFIX = number_thing("")
_NULL = "\\N"


@dataclass
class SourceCounts:
    rows: int = 0  # the source's rows in the file (once per key)
    created: int = 0
    updated: int = 0
    first_at: datetime.datetime | None = None  # of the rows created
    last_at: datetime.datetime | None = None

    def add(self, other: "SourceCounts") -> None:
        self.rows += other.rows
        self.created += other.created
        self.updated += other.updated
        for name, pick in (("first_at", min), ("last_at", max)):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None:
                setattr(self, name, theirs if mine is None else pick(mine, theirs))


@dataclass
class RowsWritten:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_source: dict[int, SourceCounts] = field(default_factory=dict)
    # (source id, number) of the new rows' subscriber numbers someone watches.
    watched: set[tuple[int, str]] = field(default_factory=set)


def staged_text(*, row: CallRow) -> str:
    """One row as a line of COPY's text format (the import builds them as it reads);
    `started_at` is UTC."""
    source_id, from_number, to_number, started_at, kind, duration, imei, imsi, cell = row
    return (
        f"{source_id}\t{from_number}\t{to_number}\t{started_at}+00\t{kind}\t"
        f"{_NULL if duration is None else duration}\t{imei or _NULL}\t{imsi or _NULL}\t"
        f"{_NULL if cell is None else _copy_value(cell)}"
    )


def _copy_value(text: str) -> str:
    # Only a cell id may hold a backslash; tabs and line breaks the import refused.
    return text.replace("\\", "\\\\") if "\\" in text else text


# For the import's transaction. The blocks' statements are written so that each key is
# looked up by index (LATERAL and OFFSET 0 sub-queries: EXPLAIN shows the same look-ups
# with the join methods left on, and ANALYZE of the staging table changes nothing in
# them). What the planner does get wrong is the aggregates: expecting many groups, it
# sorts the rows by text in the database's collation rather than hashing them, a
# quarter slower on a 1,000,000-row import; so no sorts, and room to hash in memory.
# Nor JIT: the statements' estimates pass its thresholds, and compiling each block's
# statement anew costs more than it saves (a file imported again: a tenth faster).
WRITING_SETTINGS = {"work_mem": "64MB", "enable_sort": "off", "jit": "off"}


def call_rows_writing_begin() -> None:
    """Before the first block, inside the import's transaction: wait to be the one writer
    of call rows (calls/locks.py) and set the blocks' statements' planner settings."""
    call_rows_lock()
    with connection.cursor() as cursor:
        _staging_create(cursor)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name, value in WRITING_SETTINGS.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def call_rows_write(
    *,
    rows: Sequence[CallRow] = (),
    copy_text: str = "",
    count: int,
    period: tuple[str, str],
    held_before: bool = True,
) -> RowsWritten:
    """Write a block of `count` rows, given as `rows` or (PostgreSQL) as `copy_text`,
    the rows' lines in COPY's text format. Keys must be unique within the block;
    `period` is the first and last `started_at` of its rows. Call
    `call_rows_writing_begin` first and `call_rows_writing_end` after the last block,
    in the same transaction.

    `held_before`: whether the block's sources held rows when the import began. Either
    way is correct; it says which is cheaper: inserting first (a new disclosure: its
    keys are new), or looking each key up first (a file imported again: its keys are
    held, and most rows are unchanged)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not copy_text and rows:
                copy_text = "\n".join(staged_text(row=row) for row in rows)
            return _write_postgresql(
                cursor, copy_text, count, held_before=held_before, period=period
            )
        return _write_sqlite(cursor, rows)


def _staging_create(cursor: CursorWrapper) -> None:
    drop = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    started = "timestamptz" if connection.vendor == "postgresql" else "datetime"
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} (source_id bigint,"
        " from_number varchar(20), to_number varchar(20),"
        f" started_at {started}, kind varchar(4), duration_seconds integer,"
        " imei varchar(16), imsi varchar(15), cell_id varchar(40), state char(1),"
        f" new_event boolean){drop}"
    )
    if connection.vendor == "postgresql":
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {PENDING} (number varchar(20),"
            " contact varchar(20), month date, calls bigint, sms bigint, mms bigint,"
            " outgoing bigint, call_seconds bigint, first_at timestamptz,"
            f" last_at timestamptz){drop}"
        )
        # A test's transaction may hold the table from an earlier import.
        cursor.execute(f"TRUNCATE {PENDING}")


_MONTH_COLUMNS = (
    "number, contact, month, calls, sms, mms, outgoing, call_seconds, first_at, last_at"
)


def _contact_month_insert(counts: str, *, least: str, greatest: str) -> str:
    """Add `counts` (a query of `_MONTH_COLUMNS`, one row per pair and month) to
    ContactMonth."""
    table = ContactMonth._meta.db_table
    return f"""
        INSERT INTO {table} ({_MONTH_COLUMNS})
        {counts}
        ON CONFLICT (number, contact, month) DO UPDATE SET
            calls = {table}.calls + excluded.calls,
            sms = {table}.sms + excluded.sms,
            mms = {table}.mms + excluded.mms,
            outgoing = {table}.outgoing + excluded.outgoing,
            call_seconds = {table}.call_seconds + excluded.call_seconds,
            first_at = {least}({table}.first_at, excluded.first_at),
            last_at = {greatest}({table}.last_at, excluded.last_at)"""


# PostgreSQL: the blocks' ContactMonth counts, kept aside in the import's transaction
# until `call_rows_writing_end` adds them up, each pair and month upserted once for the
# whole import rather than once per block that holds it (a tenth faster on 1,000,000
# rows; the rows' own look-ups do not read ContactMonth, so nothing sees it meanwhile).
PENDING = "calls_import_months"


def call_rows_writing_end() -> None:
    """After the last block, in the same transaction: count the import's new events into
    ContactMonth (PostgreSQL; SQLite counts each block as it goes)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _contact_month_insert(
                f"""SELECT number, contact, month, SUM(calls), SUM(sms), SUM(mms),
                       SUM(outgoing), SUM(call_seconds), MIN(first_at), MAX(last_at)
                FROM {PENDING} GROUP BY number, contact, month""",
                least="LEAST",
                greatest="GREATEST",
            )
        )


def _write_postgresql(
    cursor: CursorWrapper,
    copy_text: str,
    count: int,
    *,
    held_before: bool,
    period: tuple[str, str],
) -> RowsWritten:
    events = CallEvent._meta.db_table
    bounds = {"first": f"{period[0]}+00", "last": f"{period[1]}+00"}
    cursor.execute(f"TRUNCATE {STAGING}")
    with cursor.copy(f"COPY {STAGING} ({_COLUMNS}) FROM STDIN") as copy:
        copy.write(copy_text)
    detail = ", ".join(_DETAIL)
    changed = " OR ".join(f"s.{name} IS DISTINCT FROM s.held_{name}" for name in _DETAIL)
    if held_before:
        # Rows of sources that held rows already (a file imported again, or corrected):
        # each key looked up once, then only the new rows inserted and only the changed
        # ones updated.
        written = f"""
        probed AS MATERIALIZED (
            SELECT s.*, held.found, {", ".join(f"held.{n} AS held_{n}" for n in _DETAIL)}
            FROM {STAGING} s LEFT JOIN LATERAL (
                SELECT true AS found, {detail} FROM {events} e WHERE {_same_key("s")}
            ) held ON true
        ),
        created AS (
            INSERT INTO {events} ({_COLUMNS})
            SELECT {_COLUMNS} FROM probed WHERE found IS NULL
            ON CONFLICT ({_KEY}) DO NOTHING
            RETURNING source_id, from_number, to_number, started_at, kind, duration_seconds
        ),
        updated AS (
            UPDATE {events} e SET {", ".join(f"{name} = s.{name}" for name in _DETAIL)}
            FROM probed s
            WHERE s.found AND ({changed}) AND {_same_key("s")}
            RETURNING e.source_id
        ),"""
    else:
        # Rows of sources that held none when the import began: inserted outright (a
        # key an earlier block of the file held is left to the update below).
        written = f"""
        created AS (
            INSERT INTO {events} ({_COLUMNS})
            SELECT {_COLUMNS} FROM {STAGING}
            ON CONFLICT ({_KEY}) DO NOTHING
            RETURNING source_id, from_number, to_number, started_at, kind, duration_seconds
        ),
        updated AS (SELECT NULL::bigint AS source_id WHERE false),"""
    # The new rows, their events new to the database and the watched numbers among
    # them, in one statement. "Held by no source before" looks each event up by the
    # index on (from_number, started_at) (OFFSET 0 keeps it a lookup per row: joined,
    # the whole table would be hashed or sorted). Every part sees the table as it was
    # before the statement, so none sees what another wrote.
    _main = (
        f"""
        WITH {written}
        new_events AS (
            SELECT c.from_number AS a, c.to_number AS b, c.started_at, c.kind,
                   MAX(c.duration_seconds) AS duration
            FROM created c
            WHERE NOT EXISTS (
                SELECT 1 FROM {events} held
                WHERE held.from_number = c.from_number AND held.to_number = c.to_number
                  AND held.started_at = c.started_at AND held.kind = c.kind
                  AND {_WITHIN.format(alias="held")}
                OFFSET 0
            )
            GROUP BY c.from_number, c.to_number, c.started_at, c.kind
        ),
        {event_sides_sql("new_events")},
        months AS (INSERT INTO {PENDING} ({_MONTH_COLUMNS}) {pair_counts_sql("sides")}
            RETURNING 1),
        numbers AS (
            SELECT DISTINCT c.source_id, n.number
            FROM created c CROSS JOIN LATERAL (VALUES (c.from_number), (c.to_number)) n(number)
            WHERE n.number LIKE '+%%'
        )
        SELECT source_id, NULL::text, NULL::bigint, COUNT(*), 0::bigint,
               MIN(started_at), MAX(started_at)
        FROM created GROUP BY source_id
        UNION ALL
        SELECT source_id, NULL, NULL, 0, COUNT(*), NULL, NULL
        FROM updated GROUP BY source_id
        UNION ALL
        SELECT source_id, NULL, COUNT(*), NULL, NULL, NULL, NULL
        FROM {STAGING} GROUP BY source_id
        UNION ALL
        SELECT numbers.source_id, numbers.number, NULL, NULL, NULL, NULL, NULL
        FROM numbers WHERE %(prefix)s || numbers.number IN (SELECT key FROM {Watch._meta.db_table})
        """,
        {"prefix": _NUMBER_PREFIX, **bounds},
    )
    cursor.execute(*_main)
    results = cursor.fetchall()
    created = sum(row[3] for row in results if row[3] is not None)
    if not held_before and created < count:
        # Keys an earlier block of the file held: updated where they say something else
        # (the rows just created say what the staging table does: left alone).
        differs = " OR ".join(f"e.{name} IS DISTINCT FROM s.{name}" for name in _DETAIL)
        cursor.execute(
            f"""
            WITH updated AS (
                UPDATE {events} e SET
                    {", ".join(f"{name} = s.{name}" for name in _DETAIL)}
                FROM {STAGING} s
                WHERE {_same_key("s")} AND ({differs})
                RETURNING e.source_id
            )
            SELECT source_id, NULL, NULL, 0, COUNT(*), NULL, NULL
            FROM updated GROUP BY source_id
            """,
            bounds,
        )
        results += cursor.fetchall()
    return _counted(results, count)


def _same_key(staged: str) -> str:
    """`e` has the key of `staged`, `e` looked for within the block's period only (the
    literal bounds let the planner leave out every other month's partition: probing
    through all of them costs ten times the look-up)."""
    keys = " AND ".join(f"e.{name} = {staged}.{name}" for name in _KEY.split(", "))
    return f"{keys} AND {_WITHIN.format(alias='e')}"


_WITHIN = "{alias}.started_at >= %(first)s AND {alias}.started_at <= %(last)s"


def _write_sqlite(cursor: CursorWrapper, rows: Sequence[CallRow]) -> RowsWritten:
    events = CallEvent._meta.db_table
    cursor.execute(f"DELETE FROM {STAGING}")
    cursor.executemany(
        f"INSERT INTO {STAGING} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows
    )
    same_key = (
        "e.source_id = s.source_id AND e.from_number = s.from_number"
        " AND e.to_number = s.to_number AND e.started_at = s.started_at AND e.kind = s.kind"
    )
    same_detail = " AND ".join(f"e.{name} IS s.{name}" for name in _DETAIL)
    # What each row will do, decided before any is written.
    cursor.execute(
        f"""
        UPDATE {STAGING} AS s SET
            state = CASE
                WHEN NOT EXISTS (SELECT 1 FROM {events} e WHERE {same_key}) THEN 'c'
                WHEN EXISTS (SELECT 1 FROM {events} e WHERE {same_key} AND {same_detail})
                    THEN 'n'
                ELSE 'u' END,
            new_event = NOT EXISTS (
                SELECT 1 FROM {events} e
                WHERE e.from_number = s.from_number AND e.to_number = s.to_number
                  AND e.started_at = s.started_at AND e.kind = s.kind
            )
        """
    )
    cursor.execute(
        f"""
        WITH new_events AS (
            SELECT from_number AS a, to_number AS b, started_at, kind,
                   MAX(duration_seconds) AS duration
            FROM {STAGING} WHERE new_event
            GROUP BY from_number, to_number, started_at, kind
        ),
        {event_sides_sql("new_events")}
        {_contact_month_insert(pair_counts_sql("sides"), least="MIN", greatest="MAX")}
        """.replace("%%", "%")
    )
    cursor.execute(
        f"""
        INSERT INTO {events} ({_COLUMNS})
        SELECT {_COLUMNS} FROM {STAGING} WHERE state <> 'n'
        ON CONFLICT ({_KEY}) DO UPDATE SET
            {", ".join(f"{name} = excluded.{name}" for name in _DETAIL)}
        """
    )
    cursor.execute(
        f"""
        SELECT source_id, NULL, COUNT(*), SUM(state = 'c'), SUM(state = 'u'),
               MIN(CASE WHEN state = 'c' THEN started_at END),
               MAX(CASE WHEN state = 'c' THEN started_at END)
        FROM {STAGING} GROUP BY source_id
        UNION ALL
        SELECT source_id, number, NULL, NULL, NULL, NULL, NULL
        FROM (SELECT source_id, from_number AS number FROM {STAGING} WHERE state = 'c'
              UNION SELECT source_id, to_number FROM {STAGING} WHERE state = 'c')
        WHERE number LIKE '+%%'
          AND %s || number IN (SELECT key FROM {Watch._meta.db_table})
        """,
        [_NUMBER_PREFIX],
    )
    return _counted(cursor.fetchall(), len(rows))


def _counted(results: list[tuple], count: int) -> RowsWritten:
    written = RowsWritten()
    for source_id, number, rows, created, updated, first_at, last_at in results:
        if number is not None:
            written.watched.add((source_id, number))
            continue
        counts = SourceCounts(
            rows or 0, created or 0, updated or 0, _instant(first_at), _instant(last_at)
        )
        written.by_source.setdefault(source_id, SourceCounts()).add(counts)
        written.created += counts.created
        written.updated += counts.updated
    written.unchanged = count - written.created - written.updated
    return written


def _instant(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A datetime as the database returned it (SQLite: UTC text) as an aware one."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
