"""The database itself refuses overlapping attributions, whatever path writes them.

The services check with a clear message; these tests write past them (the ORM's own
create and update, two imports at once) to show that the database does not let an
overlap through: an exclusion constraint on PostgreSQL, triggers on SQLite. A later
migration that rebuilds the table on SQLite and forgets the triggers fails here.
"""

import datetime
import io
import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction

from imports.runner import ImportResult, import_csv
from lines.models import LineNumber
from tests.imports.utils import NUMBERS_HEADER

from .factories import LineFactory, PhoneNumberFactory

D = datetime.date


@pytest.fixture
def number(db):
    return PhoneNumberFactory(e164="+447712345678")


def test_an_overlapping_period_of_the_same_number_on_the_same_line_is_refused(line, number):
    LineNumber.objects.create(
        line=line, number=number, attributed_from=D(2021, 1, 1), attributed_to=D(2021, 6, 30)
    )

    with pytest.raises(IntegrityError, match="line_number_no_overlap"), transaction.atomic():
        LineNumber.objects.create(line=line, number=number, attributed_from=D(2021, 6, 30))
    with pytest.raises(IntegrityError, match="line_number_no_overlap"), transaction.atomic():
        LineNumber.objects.create(
            line=line, number=number, attributed_from=D(2020, 1, 1), attributed_to=None
        )


def test_moving_a_period_into_another_is_refused(line, number):
    LineNumber.objects.create(
        line=line, number=number, attributed_from=D(2021, 1, 1), attributed_to=D(2021, 6, 30)
    )
    later = LineNumber.objects.create(line=line, number=number, attributed_from=D(2021, 7, 1))

    with pytest.raises(IntegrityError, match="line_number_no_overlap"), transaction.atomic():
        LineNumber.objects.filter(pk=later.pk).update(attributed_from=D(2021, 6, 1))
    later.refresh_from_db()
    assert later.attributed_from == D(2021, 7, 1)


def test_periods_that_do_not_overlap_or_belong_to_others_are_allowed(line, number):
    other_line, other_number = LineFactory(), PhoneNumberFactory(e164="+447712999999")
    LineNumber.objects.create(
        line=line, number=number, attributed_from=D(2021, 1, 1), attributed_to=D(2021, 6, 30)
    )

    LineNumber.objects.create(line=line, number=number, attributed_from=D(2021, 7, 1))
    LineNumber.objects.create(line=other_line, number=number, attributed_from=D(2021, 3, 1))
    LineNumber.objects.create(line=line, number=other_number, attributed_from=D(2021, 3, 1))

    assert LineNumber.objects.count() == 4


def numbers_file(*rows: str) -> bytes:
    return ("\n".join([NUMBERS_HEADER, *rows]) + "\n").encode()


def waiting_for_a_lock() -> bool:
    """Whether another session of this database is waiting for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def until_the_second_waits() -> bool:
    """Until the second import waits for the first to commit; whether it was seen to."""
    if connection.vendor != "postgresql":
        time.sleep(0.5)  # SQLite: the second waits for the database's one write lock
        return True
    deadline = time.monotonic() + 10
    while not waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    return waiting_for_a_lock()


def two_overlapping_imports_at_once() -> tuple[ImportResult, ImportResult, bool]:
    """Each import checks against what is committed; neither sees the other's rows. The
    second to write waits for the first to commit, then the database refuses it.

    Returns both results and whether the second was seen waiting for the first."""
    LineFactory(reference="L1")
    first_may_commit, first_done = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = import_csv(
                    kind="line_numbers",
                    source=io.BytesIO(numbers_file("L1,07712 345678,2021-01-01,")),
                    source_name="first.csv",
                )
                first_done.set()
                first_may_commit.wait(timeout=30)
        finally:
            connections.close_all()

    def second():
        try:
            results["second"] = import_csv(
                kind="line_numbers",
                source=io.BytesIO(numbers_file("L1,07712-345-678,2021-06-01,")),
                source_name="second.csv",
            )
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert first_done.wait(timeout=30)
    two = threading.Thread(target=second)
    two.start()
    waited = until_the_second_waits()
    first_may_commit.set()
    one.join(timeout=30)
    two.join(timeout=30)
    return results["first"], results["second"], waited


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_imports_of_overlapping_periods_at_the_same_time_one_is_refused():
    first, second, _ = two_overlapping_imports_at_once()

    assert first.ok, first.error_lines("first.csv")
    assert not second.ok
    [error] = second.error_lines("second.csv")
    assert error.startswith("second.csv:2: (file): ")
    assert "Nothing was imported" in error or "so nothing was imported" in error
    assert LineNumber.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_import_waits_for_the_first_and_is_told_which_rule_refused_it():
    """PostgreSQL checks the exclusion constraint against the first's uncommitted rows,
    and names it; SQLite's second writer only waits for the one write lock."""
    first, second, waited = two_overlapping_imports_at_once()

    assert waited, "the second import should wait for the first to commit"
    assert first.ok and not second.ok
    [error] = second.error_lines("second.csv")
    assert "Another import or an officer attributed one of these numbers to the same line" in (
        error
    )
    assert LineNumber.objects.count() == 1
