"""CSV kind `calls` (interfaces.md §6), through `manage.py import_csv`: every rule of its
cells, all or nothing, idempotent, ContactMonth kept, one audit event, watchers told.
Runs on SQLite and PostgreSQL alike (the PostgreSQL path writes by COPY)."""

import datetime

import pytest

from audit.models import AuditEvent
from calls.contact_months import contact_months_recompute
from calls.models import CallEvent, ContactMonth, Source
from tests.imports.utils import run_import, write_csv
from watches.models import Notification, Watch
from watches.things import number_thing

from .factories import SourceFactory

pytestmark = pytest.mark.django_db

HEADER = "source,from_number,to_number,started_at,kind,duration_seconds,imei,imsi,cell_id"
A, B, C = "+447700900001", "+447700900002", "+447700900003"
UTC = datetime.UTC


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def source(db):
    return SourceFactory(reference="CDR-1")


def import_calls(tmp_path, *rows, name="calls.csv", header=HEADER, dry_run=False):
    path = write_csv(tmp_path, name, header, *rows)
    return run_import("calls", path, *(["--dry-run"] if dry_run else [])), path


def test_rows_are_stored_normalised(tmp_path, source):
    run, _ = import_calls(
        tmp_path,
        "cdr-1,07700 900001,+44 7700 900002,2026-03-02T10:00:00+01:00,CALL,65,"
        "35693803564380,234150999999999,CELL-9",
        "CDR-1,0044 7700-900002,WITHHELD,2026-03-02T09:30:00Z,Sms,,,,",
        "CDR-1,07700900001,150,2026-03-02T09:40:00Z,mms,0,,,",
    )

    assert run.status == 0, run.stderr
    assert run.stdout == "created 3, updated 0, unchanged 0, skipped 0\n"
    rows = {(e.from_number, e.to_number): e for e in CallEvent.objects.order_by("started_at")}
    call = rows[(A, B)]
    assert call.started_at == at(2, 9)
    assert (call.kind, call.duration_seconds, call.imei, call.imsi, call.cell_id) == (
        "call",
        65,
        "35693803564380",
        "234150999999999",
        "CELL-9",
    )
    assert rows[(B, "withheld")].kind == "sms"
    assert rows[(A, "150")].duration_seconds is None  # a message's 0: no duration
    source.refresh_from_db()
    assert (source.events, source.first_at, source.last_at) == (3, at(2, 9), at(2, 9, 40))


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            "CDR-404,{a},{b},2026-03-02T09:00:00Z,call,5,,,",
            "source",
            "No source has the reference “CDR-404”",
        ),
        ("CDR-1,{a},{b},2026-03-02T09:00:00,call,5,,,", "started_at", "has no offset from UTC"),
        ("CDR-1,{a},{b},2 March 2026,call,5,,,", "started_at", "is not a date and time"),
        ("CDR-1,{a},{b},2026-03-02T09:00:00Z,fax,5,,,", "kind", "“fax” is not a kind of event"),
        ("CDR-1,{a},{b},2026-03-02T09:00:00Z,call,-5,,,", "duration_seconds", "not a whole number"),
        (
            "CDR-1,{a},{b},2026-03-02T09:00:00Z,call,1.5,,,",
            "duration_seconds",
            "not a whole number",
        ),
        (
            "CDR-1,{a},{b},2026-03-02T09:00:00Z,sms,12,,,",
            "duration_seconds",
            "A message has no duration",
        ),
        ("CDR-1,{a},{b},2026-03-02T09:00:00Z,call,5,3569380356438,,", "imei", "is not an IMEI"),
        ("CDR-1,{a},{b},2026-03-02T09:00:00Z,call,5,35693803564380X,,", "imei", "is not an IMEI"),
        ("CDR-1,{a},{b},2026-03-02T09:00:00Z,call,5,,23415,", "imsi", "is not an IMSI"),
        (
            "CDR-1,12,{b},2026-03-02T09:00:00Z,call,5,,,",
            "from_number",
            "“12” is not a phone number",
        ),
        (
            "CDR-1,{a},not a number,2026-03-02T09:00:00Z,call,5,,,",
            "to_number",
            "is not a phone number",
        ),
        (
            "CDR-1,,{b},2026-03-02T09:00:00Z,call,5,,,",
            "from_number",
            "required but the cell is empty",
        ),
        ("CDR-1,{a},{b},2026-03-02T09:00:00Z,call,5,,,{long}", "cell_id", "at most 40 characters"),
    ],
)
def test_each_rule_of_a_cell_is_an_error_on_its_line_and_nothing_is_written(
    tmp_path, source, cells, column, message
):
    good = f"CDR-1,{A},{C},2026-03-01T09:00:00Z,call,5,,,"
    bad = cells.format(a=A, b=B, long="x" * 41)

    run, path = import_calls(tmp_path, good, bad)

    assert run.status == 1
    assert len(run.error_lines) == 1, run.error_lines
    assert run.error_lines[0].startswith(f"{path}:3: {column}: ")
    assert message in run.error_lines[0]
    assert not CallEvent.objects.exists()
    assert not ContactMonth.objects.exists()
    assert Source.objects.get().events == 0


def test_a_row_with_several_problems_reports_each(tmp_path, source):
    run, _ = import_calls(tmp_path, f"CDR-9,{A},xx,2026-03-02 09:00,fax,,,,")

    assert [line.split(": ")[1] for line in run.error_lines] == [
        "source",
        "to_number",
        "started_at",
        "kind",
    ]


def test_a_missing_required_column_is_named(tmp_path, source):
    run, path = import_calls(
        tmp_path, f"CDR-1,{A},{B},call", header="source,from_number,to_number,kind"
    )

    assert f"{path}:1: started_at: This required column is missing" in run.stderr


def test_withheld_and_short_codes_are_kept_as_written_and_never_counted_as_subscribers(
    tmp_path, source
):
    run, _ = import_calls(
        tmp_path,
        f"CDR-1,withheld,{A},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-1,{A},123456,2026-03-02T09:05:00Z,sms,,,,",
        f"CDR-1,{A},999,2026-03-02T09:06:00Z,call,10,,,",
    )

    assert run.status == 0, run.stderr
    assert set(CallEvent.objects.values_list("from_number", "to_number")) == {
        ("withheld", A),
        (A, "123456"),
        (A, "999"),
    }
    months = {(m.number, m.contact): m for m in ContactMonth.objects.all()}
    assert set(months) == {(A, "withheld"), (A, "123456"), (A, "999")}
    assert (months[(A, "withheld")].calls, months[(A, "withheld")].outgoing) == (1, 0)
    assert (months[(A, "999")].call_seconds, months[(A, "999")].outgoing) == (10, 1)


def test_the_same_file_again_is_unchanged_and_a_changed_row_updates(tmp_path, source):
    rows = [
        f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-1,{B},{A},2026-03-02T09:10:00Z,sms,,,,",
    ]
    import_calls(tmp_path, *rows)
    months = list(ContactMonth.objects.order_by("number", "contact").values())

    again, _ = import_calls(tmp_path, *rows)
    changed, _ = import_calls(
        tmp_path,
        f"CDR-1,{A},{B},2026-03-02T10:00:00+01:00,call,31,35693803564380,,",
        rows[1],
    )

    assert again.stdout == "created 0, updated 0, unchanged 2, skipped 0\n"
    assert changed.stdout == "created 0, updated 1, unchanged 1, skipped 0\n"
    call = CallEvent.objects.get(kind="call")
    assert (call.duration_seconds, call.imei) == (31, "35693803564380")
    assert list(ContactMonth.objects.order_by("number", "contact").values()) == months
    assert Source.objects.get().events == 2


def test_a_row_repeated_in_a_file_is_written_once_as_its_last_says(tmp_path, source):
    run, _ = import_calls(
        tmp_path,
        f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-1,{A},{B},2026-03-02T09:00:00+00:00,CALL,45,,,",
    )

    assert run.stdout == "created 1, updated 0, unchanged 1, skipped 0\n"
    assert CallEvent.objects.get().duration_seconds == 45
    assert ContactMonth.objects.get(number=A).calls == 1


def test_one_event_held_by_two_sources_counts_once(tmp_path, source):
    other = SourceFactory(reference="CDR-2")
    import_calls(tmp_path, f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,")

    run, _ = import_calls(
        tmp_path,
        f"CDR-2,{A},{B},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-2,{A},{C},2026-03-31T23:30:00-01:00,sms,,,,",  # 1 April in UTC
        f"CDR-1,{A},{C},2026-04-01T00:30:00Z,sms,,,,",  # the same event, another source
    )

    assert run.stdout == "created 3, updated 0, unchanged 0, skipped 0\n"
    assert CallEvent.objects.count() == 4
    months = {(m.number, m.contact, m.month.month): m for m in ContactMonth.objects.all()}
    assert set(months) == {(A, B, 3), (B, A, 3), (A, C, 4), (C, A, 4)}
    assert (months[(A, B, 3)].calls, months[(A, B, 3)].call_seconds) == (1, 30)
    assert (months[(C, A, 4)].sms, months[(C, A, 4)].outgoing) == (1, 0)
    other.refresh_from_db()
    assert (other.events, other.first_at, other.last_at) == (
        2,
        at(2, 9),
        datetime.datetime(2026, 4, 1, 0, 30, tzinfo=UTC),
    )


def test_contact_months_add_up_as_a_recompute_would(tmp_path, source):
    import_calls(
        tmp_path,
        f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-1,{B},{A},2026-03-05T09:00:00Z,call,20,,,",
        f"CDR-1,{A},{A},2026-03-06T09:00:00Z,sms,,,,",
        f"CDR-1,{A},withheld,2026-03-07T09:00:00Z,sms,,,,",
    )
    import_calls(tmp_path, f"CDR-1,{A},{B},2026-03-20T09:00:00Z,mms,,,,", name="more.csv")
    fields = (
        "number",
        "contact",
        "month",
        "calls",
        "sms",
        "mms",
        "outgoing",
        "call_seconds",
        "first_at",
        "last_at",
    )
    incremental = sorted(ContactMonth.objects.values_list(*fields))

    contact_months_recompute(
        first_month=datetime.date(2026, 3, 1), last_month=datetime.date(2026, 3, 1)
    )

    assert incremental == sorted(ContactMonth.objects.values_list(*fields))
    pairs = {row[:2]: row[3:8] for row in incremental}
    assert pairs[(A, B)] == (2, 0, 1, 2, 50)  # calls, sms, mms, outgoing, call seconds
    assert pairs[(A, A)] == (0, 1, 0, 1, 0)  # to itself: once
    assert (B, A) in pairs and (A, "withheld") in pairs and ("withheld", A) not in pairs


def test_a_dry_run_writes_nothing(tmp_path, source):
    run, _ = import_calls(tmp_path, f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,", dry_run=True)

    assert run.status == 0, run.stderr
    assert run.stdout.startswith("created 1, updated 0, unchanged 0, skipped 0")
    assert not CallEvent.objects.exists()
    assert not ContactMonth.objects.exists()
    assert Source.objects.get().events == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_one_audit_event_names_each_source_and_its_counts(tmp_path, source):
    other = SourceFactory(reference="CDR-2")
    import_calls(tmp_path, f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,")
    before = AuditEvent.objects.count()

    import_calls(
        tmp_path,
        f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-2,{A},{B},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-2,{A},{C},2026-03-02T09:01:00Z,call,30,,,",
    )

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == AuditEvent.Action.IMPORT
    assert (event.detail["created"], event.detail["unchanged"]) == (2, 1)
    assert event.detail["sources"] == [
        {"id": source.pk, "reference": "CDR-1", "created": 0, "updated": 0, "unchanged": 1},
        {"id": other.pk, "reference": "CDR-2", "created": 2, "updated": 0, "unchanged": 0},
    ]


def test_cells_as_people_write_them_read_the_same_as_the_usual_ones(tmp_path, source):
    run, _ = import_calls(
        tmp_path,
        f' cdr-1 , 07700 900001 ,"{B} ", 2026-03-02T09:00:00Z ,CaLl, 30 , 35693803564380 ,,'
        " cell\\9 ",
    )

    assert run.status == 0, run.stderr
    row = CallEvent.objects.get()
    assert (row.source_id, row.from_number, row.to_number, row.kind) == (source.pk, A, B, "call")
    assert (row.started_at, row.duration_seconds, row.imei, row.cell_id) == (
        at(2, 9),
        30,
        "35693803564380",
        "cell\\9",
    )


def test_a_file_of_many_blocks_counts_each_row_once(tmp_path, source, monkeypatch):
    from calls.importers import CallsImport

    monkeypatch.setattr(CallsImport, "block_size", 2)
    rows = [f"CDR-1,{A},{B},2026-03-02T09:0{n}:00Z,call,{n},,," for n in range(5)]

    run, _ = import_calls(tmp_path, *rows, rows[0], rows[3])

    assert run.stdout == "created 5, updated 0, unchanged 2, skipped 0\n"
    month = ContactMonth.objects.get(number=A)
    assert (month.calls, month.call_seconds) == (5, 0 + 1 + 2 + 3 + 4)
    source.refresh_from_db()
    assert (source.events, source.first_at, source.last_at) == (5, at(2, 9), at(2, 9, 4))


def test_the_statements_do_not_grow_with_the_rows(tmp_path, source, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from calls.importers import CallsImport

    monkeypatch.setattr(CallsImport, "block_size", 50)

    def statements(rows: int) -> int:
        lines = [f"CDR-1,{A},+4477009{n:05d},2026-03-02T09:00:00Z,sms,,,," for n in range(rows)]
        with CaptureQueriesContext(connection) as queries:
            run, _ = import_calls(tmp_path, *lines, name=f"{rows}.csv")
        assert run.status == 0, run.stderr
        return len(queries)

    statements(5)  # what is looked up once (content types, say) is looked up
    assert statements(10) == statements(40)  # one block each, whatever its rows


@pytest.mark.postgresql
def test_postgresql_writes_a_block_by_copy_in_a_bounded_number_of_statements(
    tmp_path, source, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from calls.importers import CallsImport

    monkeypatch.setattr(CallsImport, "block_size", 100)
    lines = [
        f"CDR-1,{A},+4477009{n:05d},2026-03-02T09:{n % 60:02d}:00Z,call,{n},,,tab\\{n}"
        for n in range(300)
    ]

    with CaptureQueriesContext(connection) as queries:
        run, _ = import_calls(tmp_path, *lines)

    assert run.stdout == "created 300, updated 0, unchanged 0, skipped 0\n"
    writes = [q["sql"] for q in queries if "calls_import_rows" in q["sql"]]
    # Once: the staging table made; per block: emptied, written by COPY, and one
    # statement for the rows, their contact pairs and the watched numbers.
    assert len(writes) == 1 + 3 * 3, writes
    assert sum(sql.startswith("COPY calls_import_rows") for sql in writes) == 3
    assert CallEvent.objects.filter(cell_id="tab\\7").exists()
    assert ContactMonth.objects.get(number=A, contact="+447700900007").call_seconds == 7


def test_watchers_of_a_number_in_new_rows_are_told_once(tmp_path, source, intel):
    Watch.objects.create(user=intel, key=number_thing(C), label="07700 900003")
    Watch.objects.create(user=intel, key=number_thing("+447700900999"), label="other")

    import_calls(
        tmp_path,
        f"CDR-1,{A},{B},2026-03-02T09:00:00Z,call,30,,,",
        f"CDR-1,{A},{C},2026-03-02T09:01:00Z,call,30,,,",
        f"CDR-1,{C},{A},2026-03-02T09:02:00Z,sms,,,,",
    )
    import_calls(tmp_path, f"CDR-1,{A},{C},2026-03-02T09:01:00Z,call,30,,,")  # nothing new

    notification = Notification.objects.get()
    assert (notification.user, notification.record_type, notification.record_id) == (
        intel,
        "calls.source",
        source.pk,
    )
    assert (notification.event, notification.url) == ("In call data", source.get_absolute_url())


def test_a_watched_number_is_told_once_however_many_blocks_name_it(
    tmp_path, source, intel, monkeypatch
):
    from calls.importers import CallsImport

    monkeypatch.setattr(CallsImport, "block_size", 2)
    Watch.objects.create(user=intel, key=number_thing(C), label="07700 900003")

    import_calls(tmp_path, *(f"CDR-1,{C},{A},2026-03-02T09:0{n}:00Z,sms,,,," for n in range(6)))

    assert Notification.objects.count() == 1


def test_who_imports_is_not_told_of_their_own_import(tmp_path, source, intel):
    from imports.runner import import_csv

    Watch.objects.create(user=intel, key=number_thing(C), label="07700 900003")
    path = write_csv(tmp_path, "calls.csv", HEADER, f"CDR-1,{C},{A},2026-03-02T09:00:00Z,sms,,,,")

    with path.open("rb") as file:
        result = import_csv(kind="calls", source=file, source_name="calls.csv", user=intel)

    assert result.ok and result.created == 1
    assert not Notification.objects.exists()
