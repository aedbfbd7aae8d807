"""The retention purge (calls/services/purge.py, `purge_call_data`, the nightly task):
the rows of the sources past their retention date go, chunk by chunk; every other
source's rows stay, and the monthly contact pairs count what remains."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEvent
from calls import tasks
from calls.contact_months import contact_months_recompute
from calls.models import CallEvent, ContactMonth, EventKind, Source
from calls.services.purge import call_data_purge
from core import partitions

from .factories import CallEventFactory, SourceFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
A, B, C, D = "+447700900001", "+447700900002", "+447700900003", "+447700900004"
TODAY = datetime.date.today()


def month(offset: int) -> datetime.date:
    return partitions.month_add(partitions.month_of(TODAY), offset)


def at(month_offset: int, day: int, minute: int = 0) -> datetime.datetime:
    first = month(month_offset)
    return datetime.datetime(first.year, first.month, day, 9, minute, tzinfo=UTC)


def contact_months() -> dict:
    """Every pair with the counts and moments the purge must keep right."""
    return {
        (row.number, row.contact, row.month): (
            row.calls,
            row.sms,
            row.outgoing,
            row.first_at,
            row.mms,
            row.call_seconds,
            row.last_at,
        )
        for row in ContactMonth.objects.all()
    }


def rebuilt() -> dict:
    """What the pairs would be if counted afresh from the rows that remain."""
    contact_months_recompute(first_month=month(-6), last_month=month(0))
    return contact_months()


def foreign_keys_checked() -> None:
    """The rows' foreign-key checks wait for the commit, and a table with checks pending
    cannot be dropped: run them now, as the import's commit would have."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def expired_and_kept():
    expired = SourceFactory(reference="EXPIRED", retain_until=TODAY - datetime.timedelta(days=1))
    kept = SourceFactory(reference="KEPT", retain_until=TODAY)
    # An event both hold: it must still count once after the purge.
    for source in (expired, kept):
        CallEventFactory(source=source, from_number=A, to_number=B, started_at=at(-3, 2))
    # Only the expired source's: several chunks over two months and a pair only it has.
    for minute in range(5):
        CallEventFactory(source=expired, from_number=A, to_number=B, started_at=at(-3, 3, minute))
        CallEventFactory(
            source=expired, from_number=C, to_number=A, started_at=at(-2, 4, minute), kind="sms"
        )
    CallEventFactory(source=expired, from_number=A, to_number="withheld", started_at=at(-3, 5))
    # Only the kept source's.
    CallEventFactory(source=kept, from_number=B, to_number=C, started_at=at(-2, 6))
    contact_months_recompute(first_month=month(-6), last_month=month(0))
    return expired, kept


def test_purging_a_source_leaves_the_others_rows_and_pairs_counting_what_remains(
    expired_and_kept,
):
    expired, kept = expired_and_kept
    kept_rows = set(CallEvent.objects.filter(source=kept).values_list("started_at", "kind"))

    report = call_data_purge(batch_rows=2)

    assert [(purge.source, purge.rows) for purge in report.sources] == [(expired, 12)]
    assert report.sources[0].months == {month(-3): 7, month(-2): 5}
    assert not CallEvent.objects.filter(source=expired).exists()
    assert set(CallEvent.objects.filter(source=kept).values_list("started_at", "kind")) == kept_rows
    pairs = contact_months()
    assert pairs == rebuilt()
    # The event the kept source also holds: one call, still, on each side.
    assert pairs[(A, B, month(-3))][:2] == pairs[(B, A, month(-3))][:2] == (1, 0)
    assert (C, A, month(-2)) not in pairs and (A, "withheld", month(-3)) not in pairs
    assert pairs[(B, C, month(-2))][:2] == (1, 0)
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert expired.purged_at is not None and expired.events == 0
    assert (expired.first_at, expired.last_at) == (at(-3, 2), at(-2, 4, 4))
    assert kept.purged_at is None


def test_each_purged_source_is_audited_once_with_its_counts(expired_and_kept):
    expired, _kept = expired_and_kept

    call_data_purge(batch_rows=5, via="manage.py purge_call_data")

    (event,) = AuditEvent.objects.filter(object_type="calls.source")
    assert (event.action, event.object_id, event.username) == ("delete", str(expired.pk), "system")
    assert event.detail["rows"] == 12
    assert event.detail["months"] == {f"{month(-3):%Y-%m}": 7, f"{month(-2):%Y-%m}": 5}
    assert event.detail["retain_until"] == expired.retain_until.isoformat()
    assert event.detail["via"] == "manage.py purge_call_data"


def test_a_second_purge_finds_nothing_to_do(expired_and_kept):
    call_data_purge()

    again = call_data_purge()

    assert again.sources == [] and again.rows == 0


def test_a_dry_run_says_what_would_go_and_changes_nothing(expired_and_kept, capsys):
    before = (CallEvent.objects.count(), contact_months())

    call_command("purge_call_data", "--dry-run")

    printed = capsys.readouterr().out
    assert f"would purge EXPIRED: 12 rows ({month(-3):%Y-%m}, {month(-2):%Y-%m})" in printed
    assert "1 source(s), 12 rows would purge" in printed
    assert (CallEvent.objects.count(), contact_months()) == before
    assert not Source.objects.filter(purged_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(object_type="calls.source").exists()


def test_the_command_and_the_nightly_task_purge(expired_and_kept, capsys):
    other = SourceFactory(retain_until=TODAY - datetime.timedelta(days=30))
    CallEventFactory(source=other, started_at=at(-1, 2), kind=EventKind.MMS)

    call_command("purge_call_data")
    CallEventFactory(
        source=SourceFactory(retain_until=TODAY - datetime.timedelta(days=1)),
        started_at=at(-1, 3),
    )
    purged_by_task = tasks.purge_call_data()

    printed = capsys.readouterr().out
    assert f"purged {other.reference}: 1 rows ({month(-1):%Y-%m})" in printed
    assert "purged EXPIRED: 12 rows" in printed
    assert purged_by_task == 1
    assert CallEvent.objects.count() == 2  # the kept source's


@pytest.fixture
def pairs_world():
    """Pairs whose counts a purge changes in each way: from the middle, at their first or
    last moment, emptied, and events two sources hold saying different durations."""
    expired = SourceFactory(reference="EXPIRED", retain_until=TODAY - datetime.timedelta(days=1))
    kept = SourceFactory(reference="KEPT", retain_until=TODAY)

    def event(source, minute, *, parties=(A, B), **fields):
        CallEventFactory(
            source=source,
            from_number=parties[0],
            to_number=parties[1],
            started_at=at(-3, 2, minute),
            **fields,
        )

    # A↔B: the expired source's events in the middle only (both directions).
    event(kept, 0)
    event(expired, 10, duration_seconds=30)
    event(expired, 12, parties=(B, A), kind="sms")
    event(kept, 20, parties=(B, A))
    # A↔C: the expired source's events at the first and the last moment.
    event(expired, 0, parties=(A, C), kind="mms")
    event(kept, 10, parties=(C, A), duration_seconds=15)
    event(expired, 20, parties=(A, C), duration_seconds=45)
    # B↔D: only the expired source's, as is D's call from a withheld number.
    event(expired, 5, parties=(B, D), kind="sms")
    event(expired, 6, parties=("withheld", D))
    # C→B: one call both hold, the expired one saying it lasted longer; one they both
    # hold the same; one the kept source holds with no duration.
    event(expired, 30, parties=(C, B), duration_seconds=90)
    event(kept, 30, parties=(C, B), duration_seconds=40)
    event(expired, 31, parties=(C, B), duration_seconds=20)
    event(kept, 31, parties=(C, B), duration_seconds=20)
    event(expired, 32, parties=(C, B), duration_seconds=25)
    event(kept, 32, parties=(C, B), duration_seconds=None)
    contact_months_recompute(first_month=month(-6), last_month=month(0))
    return expired, kept


@pytest.mark.parametrize("batch_rows", [1, 3, 1000])
def test_the_pairs_after_a_purge_are_what_counting_the_remaining_rows_gives(
    pairs_world, batch_rows
):
    report = call_data_purge(batch_rows=batch_rows)

    assert report.rows == 9
    pairs = contact_months()
    assert pairs == rebuilt()
    march = month(-3)
    # From the middle: the kept source's two events, their moments unchanged.
    assert pairs[(A, B, march)] == (2, 0, 1, at(-3, 2, 0), 0, 120, at(-3, 2, 20))
    assert pairs[(B, A, march)] == (2, 0, 1, at(-3, 2, 0), 0, 120, at(-3, 2, 20))
    # At its first and last moment: only the kept source's call remains.
    assert pairs[(A, C, march)] == (1, 0, 0, at(-3, 2, 10), 0, 15, at(-3, 2, 10))
    # Emptied: gone, with the withheld caller's.
    assert {(B, D, march), (D, B, march), (D, "withheld", march)}.isdisjoint(pairs)
    # Held by both: still three calls; their seconds now what the kept source says.
    assert pairs[(C, B, march)] == (3, 0, 3, at(-3, 2, 30), 0, 40 + 20, at(-3, 2, 32))


def test_an_expired_source_purged_from_the_middle_of_its_pairs_is_subtracted_not_recounted(
    pairs_world,
):
    (purge,) = call_data_purge().sources

    # A↔B subtracted; A↔C (bounds moved), B↔C (the longer call gone) recounted: 2 + 2
    # rows; B↔D and the withheld's emptied.
    assert purge.contact_pairs == 4
    assert contact_months() == rebuilt()


@pytest.mark.postgresql
def test_a_month_every_source_of_which_has_gone_loses_its_partition(expired_and_kept):
    # This month's rows of an expired source: its partition stays (the upkeep's).
    CallEventFactory(
        source=Source.objects.get(reference="EXPIRED"),
        from_number=B,
        to_number=C,
        started_at=datetime.datetime.now(UTC),
    )
    foreign_keys_checked()

    report = call_data_purge()

    table = "calls_callevent"
    names = {p.name for p in partitions.partitions_list(table)}
    # Month -3 keeps the event the kept source holds, month -2 its own call.
    assert report.partitions_dropped == []
    assert {partitions.partition_name(table, month(n)) for n in (-3, -2, 0)} <= names


@pytest.mark.postgresql
def test_an_emptied_months_partition_is_dropped():
    expired = SourceFactory(retain_until=TODAY - datetime.timedelta(days=1))
    CallEventFactory(source=expired, started_at=at(-4, 2))
    CallEventFactory(source=expired, started_at=at(-3, 2))
    CallEventFactory(source=SourceFactory(), started_at=at(-3, 3))
    foreign_keys_checked()

    report = call_data_purge()

    table = "calls_callevent"
    names = {p.name for p in partitions.partitions_list(table)}
    assert report.partitions_dropped == [partitions.partition_name(table, month(-4))]
    assert partitions.partition_name(table, month(-4)) not in names
    assert partitions.partition_name(table, month(-3)) in names
