"""Tables partitioned by month (core/partitions.py), on the call rows' table: a query
naming a period reads only its months' partitions, the default partition takes the
rest, and the app role keeps the partitions through the owner's functions only."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from calls.models import CallEvent
from core import partitions, tasks
from core.partitions import Partition, partition_month_create, partition_month_drop, partitions_list
from tests.calls.factories import CallEventFactory
from tests.database_roles import acting_as, new_role, refusal

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = "calls_callevent"
UTC = datetime.UTC
# Long before the window of months the migration makes: a month of the default partition.
OLD = datetime.date(2015, 6, 1)


def this_month(offset: int = 0) -> datetime.date:
    return partitions.month_add(partitions.month_of(datetime.datetime.now(UTC)), offset)


def held_in(event: CallEvent) -> str:
    """The partition holding `event`'s row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM calls_callevent"
            " WHERE source_id = %s AND started_at = %s",
            [event.source_id, event.started_at],
        )
        return cursor.fetchone()[0]


def scanned(plan: str) -> set[str]:
    return partitions.partitions_scanned(plan, TABLE)


def test_a_query_naming_a_period_reads_only_the_partitions_of_its_months():
    start, end = (
        partitions.month_bounds(this_month(-2))[0],
        partitions.month_bounds(this_month(-1))[1],
    )

    plan = CallEvent.objects.filter(
        from_number="+447700900001", started_at__gte=start, started_at__lt=end
    ).explain()

    assert scanned(plan) == {
        partitions.partition_name(TABLE, this_month(-2)),
        partitions.partition_name(TABLE, this_month(-1)),
    }, plan


def test_a_query_reaching_past_the_partitions_reads_the_default_partition_too():
    plan = CallEvent.objects.filter(
        started_at__gte=datetime.datetime(2015, 6, 1, tzinfo=UTC),
        started_at__lt=datetime.datetime(2015, 7, 1, tzinfo=UTC),
    ).explain()

    assert scanned(plan) == {f"{TABLE}_default"}, plan


def test_the_default_partition_takes_rows_of_months_without_one_until_their_month_is_made():
    old = CallEventFactory(started_at=datetime.datetime(2015, 6, 30, 23, 59, tzinfo=UTC))
    next_day = CallEventFactory(started_at=datetime.datetime(2015, 7, 1, tzinfo=UTC))
    recent = CallEventFactory(started_at=datetime.datetime.now(UTC))
    before = [held_in(event) for event in (old, next_day, recent)]

    made = partition_month_create(TABLE, OLD)
    again = partition_month_create(TABLE, OLD)

    assert before == [
        f"{TABLE}_default",
        f"{TABLE}_default",
        partitions.partition_name(TABLE, this_month()),
    ]
    assert made == again == f"{TABLE}_p2015_06"
    assert held_in(old) == made  # moved out of the default partition
    assert held_in(next_day) == f"{TABLE}_default"
    assert Partition(made, OLD) in partitions_list(TABLE)
    assert partitions_list(TABLE)[-1] == Partition(f"{TABLE}_default", None)
    # The new partition has the table's indexes (made when it was attached).
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [made])
        assert cursor.fetchone()[0] == 4


def test_a_month_partition_is_dropped_only_once_it_holds_no_rows():
    made = partition_month_create(TABLE, OLD)
    event = CallEventFactory(started_at=datetime.datetime(2015, 6, 3, tzinfo=UTC))
    with connection.cursor() as cursor:
        # The row's foreign-key check waits for the commit, and a table with checks pending
        # cannot be dropped: run it now, as the commit would.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with (
        pytest.raises(DatabaseError, match=f"The partition {made} still holds rows"),
        transaction.atomic(),
    ):
        partition_month_drop(TABLE, OLD)
    CallEvent.objects.filter(source=event.source).delete()
    dropped = partition_month_drop(TABLE, OLD)
    dropped_again = partition_month_drop(TABLE, OLD)

    assert (dropped, dropped_again) == (True, False)
    assert OLD not in {partition.month for partition in partitions_list(TABLE)}


def test_partitions_are_made_ahead_for_every_registered_table_once():
    today = datetime.date(2031, 5, 17)

    made = partitions.partitions_create_ahead(months_ahead=2, today=today)
    again = partitions.partitions_create_ahead(months_ahead=2, today=today)

    assert made == {TABLE: [f"{TABLE}_p2031_05", f"{TABLE}_p2031_06", f"{TABLE}_p2031_07"]}
    assert again == {TABLE: []}


def test_only_whole_months_of_registered_tables_are_made():
    with pytest.raises(ValueError, match="month must be the first day of a month, not 2026-03-02"):
        partition_month_create(TABLE, datetime.date(2026, 3, 2))
    refusals = [
        refusal("SELECT core_partition_month_create(%s, %s)", [TABLE, datetime.date(2026, 3, 2)]),
        refusal("SELECT core_partition_month_create(%s, %s)", ["auth_user", OLD]),
        refusal("SELECT core_partition_month_drop(%s, %s)", ["audit_auditevent", OLD]),
    ]
    assert "starts on the first of a month, not 2026-03-02" in refusals[0]
    assert "auth_user is not a registered table partitioned by month" in refusals[1]
    assert "audit_auditevent is not a registered table partitioned by month" in refusals[2]


def test_the_app_role_keeps_partitions_through_the_owners_functions_and_cannot_do_it_itself():
    event = CallEventFactory(started_at=datetime.datetime(2015, 6, 3, tzinfo=UTC))
    later = this_month(12)
    with new_role() as role:
        with acting_as(role):
            ungranted = refusal("SELECT core_partition_month_create(%s, %s)", [TABLE, later])
        call_command("grant_app_role", role, verbosity=0)
        with acting_as(role):
            made = partition_month_create(TABLE, OLD)  # its row moves out of the default
            made_later = partition_month_create(TABLE, later)
            refused = {
                "CREATE": refusal(
                    f"CREATE TABLE {TABLE}_p2040_01 PARTITION OF {TABLE}"
                    " FOR VALUES FROM ('2040-01-01') TO ('2040-02-01')"
                ),
                "CREATE plain": refusal("CREATE TABLE app_role_own (id integer)"),
                "DROP": refusal(f"DROP TABLE {made_later}"),
                "DETACH": refusal(f"ALTER TABLE {TABLE} DETACH PARTITION {made_later}"),
                "register": refusal(
                    "INSERT INTO core_partitioned_table VALUES ('auth_user', 'date_joined')"
                ),
                "unregister": refusal("DELETE FROM core_partitioned_table"),
                "helper": refusal("SELECT core_partition_parent(%s, %s)", [TABLE, OLD]),
            }
            dropped = partition_month_drop(TABLE, later)
            partitioned_tables = partitions.partitioned_tables()

    assert "permission denied for function core_partition_month_create" in ungranted
    assert made == f"{TABLE}_p2015_06" and held_in(event) == made
    assert dropped is True
    assert partitioned_tables == {TABLE: "started_at"}
    assert refused["CREATE"].startswith("permission denied for schema"), refused
    assert refused["CREATE plain"].startswith("permission denied for schema"), refused
    assert refused["DROP"].startswith(f"must be owner of table {made_later}"), refused
    assert refused["DETACH"].startswith("must be owner of table calls_callevent"), refused
    assert refused["register"].startswith("permission denied for table core_partitioned_table")
    assert refused["unregister"].startswith("permission denied for table core_partitioned_table")
    assert refused["helper"].startswith("permission denied for function core_partition_parent")


def test_the_upkeep_gives_the_months_waiting_in_the_default_partition_their_own():
    waiting = CallEventFactory(started_at=datetime.datetime(2015, 6, 3, tzinfo=UTC))

    made = tasks.partitions_upkeep()

    assert f"{TABLE}_p2015_06" in made[TABLE]
    assert held_in(waiting) == f"{TABLE}_p2015_06"
    assert tasks.partitions_upkeep() == {TABLE: []}


def test_the_owner_detaches_a_month_which_keeps_its_rows_as_a_table_of_its_own():
    event = CallEventFactory(started_at=datetime.datetime(2015, 6, 3, tzinfo=UTC))
    partition_month_create(TABLE, OLD)

    detached = partitions.partition_detach(TABLE, OLD)

    assert detached == f"{TABLE}_p2015_06"
    assert OLD not in {partition.month for partition in partitions_list(TABLE)}
    assert not CallEvent.objects.filter(source=event.source).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM calls_callevent_p2015_06")
        assert cursor.fetchone()[0] == 1


def test_a_plain_table_becomes_partitioned_with_its_rows_keys_and_indexes_and_back():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE partitions_test (id integer, at timestamptz NOT NULL,"
            " note text CHECK (note <> ''), PRIMARY KEY (id, at))"
        )
        cursor.execute("CREATE INDEX partitions_test_note ON partitions_test (note)")
        cursor.execute(
            "INSERT INTO partitions_test VALUES (1, '2026-03-04T05:00Z', 'march'),"
            " (2, '2015-01-01T00:00Z', 'long ago')"
        )
    with connection.schema_editor() as editor:
        partitions.partitioned_table_convert(
            editor, table="partitions_test", column="at", months=[datetime.date(2026, 3, 1)]
        )
    converted = (partitions_list("partitions_test"), table_shape("partitions_test"))
    with connection.schema_editor() as editor:
        partitions.partitioned_table_revert(editor, table="partitions_test")

    assert converted[0] == [
        Partition("partitions_test_p2026_03", datetime.date(2026, 3, 1)),
        Partition("partitions_test_default", None),
    ]
    assert (
        converted[1]
        == table_shape("partitions_test")
        == {
            "rows": [(1, "march"), (2, "long ago")],
            "indexes": ["partitions_test_note", "partitions_test_pkey"],
            "constraints": ["partitions_test_note_check", "partitions_test_pkey"],
        }
    )
    assert partitions_list("partitions_test") == []
    assert "partitions_test" not in partitions.partitioned_tables()


def table_shape(table: str) -> dict:
    """The rows, index and constraint names of the test table `table`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, note FROM partitions_test ORDER BY id")
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT relname FROM pg_class WHERE oid IN (SELECT indexrelid FROM pg_index"
            " WHERE indrelid = %s::regclass) ORDER BY 1",
            [table],
        )
        indexes = [name for (name,) in cursor.fetchall()]
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1", [table]
        )
        constraints = [name for (name,) in cursor.fetchall()]
    return {"rows": rows, "indexes": indexes, "constraints": constraints}
