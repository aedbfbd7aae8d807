"""Tables partitioned by month on PostgreSQL (declarative range partitioning).

A partitioned table is split by the UTC month of one column into partitions named
`<table>_p2026_12`, one a month, and a DEFAULT partition (`<table>_default`) that takes
the rows of a month with no partition of its own. A query naming a period of the column
reads only that period's partitions (pruning); a month whose rows have all gone is
dropped outright instead of deleted row by row. The key of such a table includes the
column (PostgreSQL enforces uniqueness per partition). SQLite, the embedded database, has
no partitions: the same table is one table there, and everything here does nothing.

Who may do what:
- The owner of the tables (migrations, owner-run commands) makes a table partitioned
  (`partitioned_table_convert`, which also registers it), and may detach a partition
  (`partition_detach`).
- The app role (web, worker, beat) owns nothing, so it cannot create or drop a table.
  It keeps the partitions up through two SECURITY DEFINER functions the owner made in
  core/migrations (`UPKEEP_FUNCTIONS`, granted by `grant_app_role`): create a month's
  partition, drop an empty month's partition. They run as the owner, with their search
  path pinned, only for a table in the registry (`core_partitioned_table`, which the
  app role may only read) and only for whole months; dropping refuses a partition that
  still holds rows, so the app can do through them nothing it could not do with DELETE.

A partition is a table of its own to PostgreSQL's privileges: reached through its parent,
the parent's are checked; named directly, its own, which the owner's default privileges
and `grant_app_role` (ON ALL TABLES) make the app role's usual ones. A table whose rows
the app role may not change (the audit log) must have its partitions' privileges
revoked as its parent's are, when it is partitioned.

A month created while its rows sit in the default partition (imported before the month
had a partition) gets them: they are moved into the new partition in the same
transaction as it is attached.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

REGISTRY_TABLE = "core_partitioned_table"
# What the app role may EXECUTE (audit/database_role.py grants it), and nothing else here.
UPKEEP_FUNCTIONS = (
    "core_partition_month_create(text, date)",
    "core_partition_month_drop(text, date)",
)
# How far ahead the upkeep keeps partitions ready (the beat task, each day).
MONTHS_AHEAD = 3


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # None for the default partition


# --- Months ---------------------------------------------------------------------------


def month_of(moment: date | datetime) -> date:
    """The first day of the UTC month of `moment`."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        moment = moment.date()
    return moment.replace(day=1)


def month_add(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_span(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included."""
    months = []
    month = month_of(first)
    while month <= last:
        months.append(month)
        month = month_add(month, 1)
    return months


def month_start_check(month: date, *, what: str = "month") -> None:
    if isinstance(month, datetime) or month.day != 1:
        raise ValueError(f"{what} must be the first day of a month, not {month}.")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in UTC."""
    month_start_check(month)
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    following = month_add(month, 1)
    return start, datetime(following.year, following.month, 1, tzinfo=UTC)


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y_%m}"


def default_partition_name(table: str) -> str:
    return f"{table}_default"


def partitions_scanned(plan: str, table: str) -> set[str]:
    """The partitions of `table` a plan (EXPLAIN's text) reads: to show it prunes. (A
    bitmap index scan names its index "on" too: the partition's name is followed by a
    space or the line's end, an index's by the rest of its name.)"""
    return set(re.findall(rf" on ({re.escape(table)}_(?:p\d{{4}}_\d{{2}}|default))\b", plan))


def partitioned() -> bool:
    """Whether this database partitions (PostgreSQL) or keeps one table (SQLite)."""
    return connection.vendor == "postgresql"


# --- What the app role does (through the owner's functions) -------------------------


def partitioned_tables() -> dict[str, str]:
    """The registered partitioned tables and their partition columns."""
    if not partitioned():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT table_name, column_name FROM {REGISTRY_TABLE} ORDER BY 1")
        return dict(cursor.fetchall())


def partitions_list(table: str) -> list[Partition]:
    """The partitions of `table` (pg_inherits), months in order, the default last."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
            [connection.ops.quote_name(table)],
        )
        rows = cursor.fetchall()
    partitions = []
    for name, bound in rows:
        if bound == "DEFAULT":
            partitions.append(Partition(name, None))
        else:  # FOR VALUES FROM ('2026-12-01 00:00:00+00') TO (...)
            start = bound.split("'")[1]
            partitions.append(Partition(name, date.fromisoformat(start[:10])))
    return sorted(partitions, key=lambda p: (p.month is None, p.month or date.min))


def partition_month_create(table: str, month: date) -> str | None:
    """Make `table`'s partition for `month` (moving its rows out of the default partition)
    unless it exists; returns its name (None on SQLite)."""
    month_start_check(month)
    if not partitioned():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_partition_month_create(%s, %s)", [table, month])
        return cursor.fetchone()[0]


def partition_months_create(table: str, months: Iterable[date]) -> list[str]:
    """Make the partitions of `months` that do not exist yet; returns all their names."""
    if not partitioned():
        return []
    existing = {p.month: p.name for p in partitions_list(table) if p.month is not None}
    names = []
    for month in sorted(set(months)):
        name = existing.get(month) or partition_month_create(table, month)
        if name is not None:
            names.append(name)
    return names


def partitions_create_ahead(
    *, months_ahead: int = MONTHS_AHEAD, today: date | None = None
) -> dict[str, list[str]]:
    """For every registered table, the partitions of this month and `months_ahead` more
    (idempotent: the beat runs it every day). Returns the partitions made, per table."""
    this_month = month_of(today or datetime.now(UTC))
    wanted = [month_add(this_month, n) for n in range(months_ahead + 1)]
    return {table: _missing_months_create(table, wanted) for table in partitioned_tables()}


def partitions_for_default_rows() -> dict[str, list[str]]:
    """For every registered table, a partition for each month whose rows wait in the
    default partition (imported before their month had one), which takes them in.
    Returns the partitions made, per table."""
    made = {}
    quote = connection.ops.quote_name
    for table, column in partitioned_tables().items():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT (date_trunc('month', {quote(column)} AT TIME ZONE 'UTC'))::date"
                f" FROM {quote(default_partition_name(table))}"
            )
            months = [month for (month,) in cursor.fetchall()]
        made[table] = _missing_months_create(table, months)
    return made


def _missing_months_create(table: str, months: Iterable[date]) -> list[str]:
    existing = {p.month for p in partitions_list(table)}
    return [
        name
        for month in sorted(set(months) - existing)
        if (name := partition_month_create(table, month)) is not None
    ]


def partition_month_drop(table: str, month: date) -> bool:
    """Drop `table`'s partition for `month`, which must hold no rows; False if there was
    none. Its rows are deleted first (the purge): the owner's function refuses otherwise."""
    month_start_check(month)
    if not partitioned():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_partition_month_drop(%s, %s)", [table, month])
        return bool(cursor.fetchone()[0])


# --- What the owner does (migrations, owner-run commands) ---------------------------


def partition_detach(table: str, month: date) -> str:
    """Detach `table`'s partition for `month`: it becomes a table of its own, rows and
    all (to archive it, then drop it). Only the owner may: the app role is refused."""
    month_start_check(month)
    name = partition_name(table, month)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {quote(table)} DETACH PARTITION {quote(name)}")
    return name


def partitioned_table_convert(
    schema_editor: BaseDatabaseSchemaEditor,
    *,
    table: str,
    column: str,
    months: Iterable[date] = (),
) -> None:
    """Make plain `table` partitioned by the month of `column` (PostgreSQL; nothing on
    SQLite), keeping its rows, keys, constraints and indexes (named as before, which the
    partitioned table's partitions then inherit), with a default partition and one for
    each of `months`; and register it for the upkeep. Its key must include `column`;
    no other table may refer to it by a foreign key."""
    if schema_editor.connection.vendor != "postgresql":
        return
    _rebuild(schema_editor, table, partition_by=f"RANGE ({schema_editor.quote_name(column)})")
    schema_editor.execute(
        f"INSERT INTO {REGISTRY_TABLE} (table_name, column_name) VALUES (%s, %s)",
        [table, column],
    )
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE TABLE {quote(default_partition_name(table))} PARTITION OF {quote(table)} DEFAULT"
    )
    for month in months:
        schema_editor.execute("SELECT core_partition_month_create(%s, %s)", [table, month])
    _rows_copy_back(schema_editor, table)


def partitioned_table_revert(schema_editor: BaseDatabaseSchemaEditor, *, table: str) -> None:
    """Undo `partitioned_table_convert`: one plain table again, rows and all."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DELETE FROM {REGISTRY_TABLE} WHERE table_name = %s", [table])
    _rebuild(schema_editor, table, partition_by=None)
    _rows_copy_back(schema_editor, table)


def _rebuild(
    schema_editor: BaseDatabaseSchemaEditor, table: str, *, partition_by: str | None
) -> None:
    """Rename `table` aside and make a new one of the same columns in its place
    (partitioned by `partition_by`, or plain), ready for `_rows_copy_back`."""
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE confrelid = to_regclass(%s)", [quote(table)]
        )
        if cursor.fetchone()[0]:
            raise ValueError(f"{table} is referred to by a foreign key: it cannot be rebuilt.")
    aside = _aside(table)
    schema_editor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(aside)}")
    schema_editor.execute(
        f"CREATE TABLE {quote(table)} (LIKE {quote(aside)} INCLUDING DEFAULTS)"
        + (f" PARTITION BY {partition_by}" if partition_by else "")
    )


def _rows_copy_back(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    """Copy the rows of the table set aside by `_rebuild` into `table`, drop it, and give
    `table` its constraints and indexes under their names."""
    quote = schema_editor.quote_name
    aside = _aside(table)
    with schema_editor.connection.cursor() as cursor:
        # Definitions read off the table set aside, for the new one: the indexes name the
        # table, which is renamed back in them; the constraints do not.
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f', 'c', 'x')"
            " ORDER BY contype <> 'p', conname",
            [quote(aside)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = to_regclass(%s) AND indexrelid NOT IN"
            " (SELECT conindid FROM pg_constraint WHERE conrelid = to_regclass(%s))",
            [quote(aside), quote(aside)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
            " WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
            [quote(aside)],
        )
        columns = cursor.fetchone()[0]
    schema_editor.execute(
        f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM {quote(aside)}"
    )
    schema_editor.execute(f"DROP TABLE {quote(aside)} CASCADE")
    for name, definition in constraints:
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        )
    for _name, definition in indexes:
        # CREATE [UNIQUE] INDEX name ON public.table_set_aside USING ...
        head, tail = definition.split(" ON ", 1)
        schema_editor.execute(f"{head} ON {quote(table)} USING {tail.split(' USING ', 1)[1]}")


def _aside(table: str) -> str:
    return f"{table}__rebuilt"[:63]


# --- The owner's functions (core/migrations) ----------------------------------------


def upkeep_functions_create(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The registry and the SECURITY DEFINER functions, made by the owner (a migration).
    Nobody may execute them until `grant_app_role` grants it to the app role."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    for statement in _upkeep_sql(schema_editor.quote_name(schema)):
        schema_editor.execute(statement, params=None)


def upkeep_functions_drop(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for function in (*UPKEEP_FUNCTIONS, "core_partition_parent(text, date)"):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {REGISTRY_TABLE}")


def _upkeep_sql(schema: str) -> list[str]:
    # Pinned for every function: the schema of the tables, then the temporary schema
    # last (pg_catalog is searched first), so that no object a caller creates can stand
    # in for one the function names; UTC, so that a month's bounds are UTC midnights;
    # a lock wait short enough not to queue every query of the table behind it.
    settings = f"SET search_path = {schema}, pg_temp SET timezone = 'UTC' SET lock_timeout = '10s'"
    check = f"""
        CREATE FUNCTION core_partition_parent(parent text, month date) RETURNS regclass
        LANGUAGE plpgsql STABLE {settings} AS $fn$
        DECLARE
            parent_oid regclass;
        BEGIN
            IF month IS NULL OR month <> date_trunc('month', month)::date THEN
                RAISE EXCEPTION 'A month''s partition starts on the first of a month, not %.',
                    month USING ERRCODE = 'invalid_parameter_value';
            END IF;
            SELECT to_regclass(quote_ident(r.table_name)) INTO parent_oid
            FROM {REGISTRY_TABLE} r WHERE r.table_name = parent;
            IF parent_oid IS NULL OR NOT EXISTS (
                SELECT 1 FROM pg_partitioned_table p
                WHERE p.partrelid = parent_oid AND p.partstrat = 'r'
            ) THEN
                RAISE EXCEPTION '% is not a registered table partitioned by month.', parent
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            RETURN parent_oid;
        END
        $fn$
    """
    create = f"""
        CREATE FUNCTION core_partition_month_create(parent text, month date) RETURNS text
        LANGUAGE plpgsql SECURITY DEFINER {settings} AS $fn$
        DECLARE
            parent_oid regclass := core_partition_parent(parent, month);
            part_column text;
            part_name text := parent || '_p' || to_char(month, 'YYYY_MM');
            following date := (month + interval '1 month')::date;
            default_oid oid;
            columns text;
        BEGIN
            IF EXISTS (
                SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = parent_oid AND c.relname = part_name
            ) THEN
                RETURN part_name;
            END IF;
            SELECT r.column_name INTO part_column FROM {REGISTRY_TABLE} r
            WHERE r.table_name = parent;
            -- Made apart and attached, rather than CREATE TABLE ... PARTITION OF: attaching
            -- locks the parent less (SHARE UPDATE EXCLUSIVE), so imports go on meanwhile.
            EXECUTE format(
                'CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                part_name, parent
            );
            SELECT p.partdefid INTO default_oid FROM pg_partitioned_table p
            WHERE p.partrelid = parent_oid;
            IF default_oid <> 0 THEN
                -- The month's rows that waited in the default partition move in with it
                -- (attaching would otherwise refuse: they would be in two partitions).
                SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO columns
                FROM pg_attribute a
                WHERE a.attrelid = parent_oid AND a.attnum > 0 AND NOT a.attisdropped;
                EXECUTE format(
                    'WITH moved AS (DELETE FROM %s WHERE %I >= %L AND %I < %L RETURNING %s)'
                    ' INSERT INTO %I (%s) SELECT %s FROM moved',
                    default_oid::regclass, part_column, month, part_column, following,
                    columns, part_name, columns, columns
                );
            END IF;
            EXECUTE format(
                'ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                parent, part_name, month, following
            );
            RETURN part_name;
        END
        $fn$
    """
    drop = f"""
        CREATE FUNCTION core_partition_month_drop(parent text, month date) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER {settings} AS $fn$
        DECLARE
            parent_oid regclass := core_partition_parent(parent, month);
            part_name text := parent || '_p' || to_char(month, 'YYYY_MM');
            holds_rows boolean;
        BEGIN
            IF NOT EXISTS (
                SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = parent_oid AND c.relname = part_name
            ) THEN
                RETURN false;
            END IF;
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', part_name) INTO holds_rows;
            IF holds_rows THEN
                RAISE EXCEPTION 'The partition % still holds rows: delete them first.', part_name
                    USING ERRCODE = 'object_in_use';
            END IF;
            EXECUTE format('DROP TABLE %I', part_name);
            RETURN true;
        END
        $fn$
    """
    return [
        f"CREATE TABLE {REGISTRY_TABLE} (table_name text PRIMARY KEY, column_name text NOT NULL)",
        check,
        create,
        drop,
        # Functions are anyone's to execute unless revoked: these are no one's but the
        # owner's until the app role is granted them.
        *(
            f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"
            for function in (*UPKEEP_FUNCTIONS, "core_partition_parent(text, date)")
        ),
    ]


def upkeep_grants(role: str) -> list[str]:
    """What the app role `role` (quoted) is granted here: EXECUTE on the upkeep functions,
    SELECT on the registry (ALL TABLES gave it more)."""
    return [
        f"REVOKE ALL ON {REGISTRY_TABLE} FROM PUBLIC, {role}",
        f"GRANT SELECT ON {REGISTRY_TABLE} TO {role}",
        *(f"GRANT EXECUTE ON FUNCTION {function} TO {role}" for function in UPKEEP_FUNCTIONS),
    ]
