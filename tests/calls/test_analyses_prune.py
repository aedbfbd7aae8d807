"""On PostgreSQL the analyses read only the partitions of the months they concern: every
query on the call rows, explained, scans the months of the period asked (or of the
numbers' activity, and the months after a line went quiet for its successors), never
the whole table."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import EventKind
from calls.selectors import (
    common_contacts,
    handset_continuity,
    number_profile,
    possible_new_lines,
    successor_candidates,
)
from core import partitions
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

from .calldata import row, rows_store

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = "calls_callevent"
A, B, C = "+447700900001", "+447700900002", "+447700900003"
IMEI = "356938035643809"


def month(offset: int) -> datetime.date:
    return partitions.month_add(partitions.month_of(datetime.datetime.now(datetime.UTC)), offset)


def moment(offset: int, day: int) -> datetime.datetime:
    first = month(offset)
    return datetime.datetime(first.year, first.month, day, 12, tzinfo=datetime.UTC)


def test_every_query_of_the_analyses_reads_only_its_months_partitions():
    line = LineFactory()
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164=A))
    rows_store(
        [
            row(A, C, moment(-3, 10), imei=IMEI),
            row(C, A, moment(-2, 10), EventKind.SMS),
            row(B, C, moment(-2, 20), imei=IMEI),
            row(B, C, moment(-1, 5), EventKind.SMS, imei=IMEI),
        ]
    )
    # The months of the rows, and those after them where successors would start.
    concerned = {partitions.partition_name(TABLE, month(offset)) for offset in range(-3, 4)}
    with CaptureQueriesContext(connection) as queries:
        number_profile(A)
        number_profile(B, start=month(-2), end=month(-1))
        common_contacts([A, B])
        successor_candidates(line)
        first, last = month(-2), month(-1)
        possible_new_lines(start=first, end=last, days=1, recipients=1)
        handset_continuity(number=B)
        handset_continuity(start=first, end=last)
    on_rows = [query["sql"] for query in queries if TABLE in query["sql"]]
    assert len(on_rows) > 10
    with connection.cursor() as cursor:
        for sql in on_rows:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(line for (line,) in cursor.fetchall())
            scanned = partitions.partitions_scanned(plan, TABLE)
            assert scanned, plan
            assert scanned <= concerned, plan
