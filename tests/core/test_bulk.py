"""core.bulk and core.lookups: many rows in a few statements, any value written as it is."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from core.bulk import (
    JSONText,
    array_literal,
    insert_rows,
    insert_rows_ignoring_conflicts,
    update_rows,
)
from lines.models import Line, PhoneNumber
from reference.models import Force

pytestmark = pytest.mark.django_db

AWKWARD = ["plain", 'with "quotes"', "back\\slash", "comma, {braces}", "NULL", "", "café ✓"]


def test_array_literal_quotes_every_element_but_null():
    assert array_literal([1, 2, None]) == "{1,2,NULL}"
    assert array_literal(["a", None, 'say "hi"', "c:\\x"]) == '{"a",NULL,"say \\"hi\\"","c:\\\\x"}'
    assert array_literal([datetime.date(2021, 3, 1)]) == '{"2021-03-01"}'


def line_rows(names):
    force = Force.objects.first().pk
    return [
        (f"B-{n}", f"b-{n}", name, force, datetime.date(2021, 1, 1 + n), None, "", "", "", None)
        for n, name in enumerate(names)
    ]


LINE_FIELDS = (
    "reference",
    "reference_key",
    "name",
    "origin_force",
    "first_identified",
    "closed_on",
    "closure_type",
    "risk_level",
    "summary",
    "next_review_on",
)


def test_inserted_rows_keep_every_value_and_return_their_ids_in_order():
    ids = insert_rows(Line, LINE_FIELDS, line_rows(AWKWARD), returning_ids=True)

    stored = dict(Line.objects.values_list("pk", "name"))
    assert [stored[pk] for pk in ids] == AWKWARD
    line = Line.objects.get(pk=ids[0])
    assert line.created_at is not None and line.updated_at is not None  # auto_now(_add)


def test_updates_set_values_and_skip_records_changed_since_they_were_read():
    ids = insert_rows(Line, LINE_FIELDS, line_rows(["a", "b"]), returning_ids=True)
    read = dict(Line.objects.values_list("pk", "updated_at"))
    Line.objects.filter(pk=ids[1]).update(updated_at=read[ids[1]] + datetime.timedelta(seconds=1))

    updated = update_rows(
        Line,
        ("name",),
        [(pk, read[pk], name) for pk, name in zip(ids, AWKWARD[1:3], strict=True)],
        expected=("updated_at",),
    )

    assert updated == 1
    assert list(Line.objects.order_by("pk").values_list("name", flat=True)) == [AWKWARD[1], "b"]


def test_conflicting_rows_are_left_and_the_inserted_ones_returned():
    PhoneNumber.objects.create(e164="+447712345678")

    returned = insert_rows_ignoring_conflicts(
        PhoneNumber,
        ("e164", "national"),
        [("+447712345678", "x"), ("+447712999999", "07712 999999")],
        returning=("e164", "national"),
    )

    assert ("+447712999999", "07712 999999") in returned
    assert PhoneNumber.objects.get(e164="+447712345678").national == "07712 345678"
    assert PhoneNumber.objects.count() == 2


def test_fields_left_out_take_their_defaults_and_json_is_written_as_json():
    now = datetime.datetime.now(datetime.UTC)
    fields = ("occurred_at", "action", "object_type", "detail")

    insert_rows(
        AuditEvent,
        fields,
        [
            (now, "view", "a", {"quote": 'a "b"', "n": [1, 2]}),
            (now, "view", "b", JSONText('{"already": true}')),
        ],
    )

    details = dict(AuditEvent.objects.values_list("object_type", "detail"))
    assert details == {"a": {"quote": 'a "b"', "n": [1, 2]}, "b": {"already": True}}


def test_copy_is_counted_like_any_statement():
    rows = line_rows(["a", "b", "c"])
    with CaptureQueriesContext(connection) as captured:
        insert_rows(Line, LINE_FIELDS, rows)

    assert len(captured) == 1


@pytest.mark.parametrize("values", [["CL-1", "CL-3"], [], [None], ["CL-1", None, "CL-1"]])
def test_any_finds_what_in_finds(values):
    insert_rows(
        Line, LINE_FIELDS, [(f"CL-{n}", *row[1:]) for n, row in enumerate(line_rows("abcd"))]
    )

    found = set(Line.objects.filter(reference__any=values).values_list("reference", flat=True))

    assert found == set(
        Line.objects.filter(reference__in=values).values_list("reference", flat=True)
    )
    assert found == {value for value in values if value} & {"CL-0", "CL-1", "CL-2", "CL-3"}


def test_any_works_on_foreign_keys_and_dates():
    ids = insert_rows(Line, LINE_FIELDS, line_rows("ab"), returning_ids=True)
    force = Force.objects.first()

    assert Line.objects.filter(origin_force__any=[force.pk]).count() == 2
    assert list(Line.objects.filter(pk__any=ids[:1]).values_list("name", flat=True)) == ["a"]
    assert Line.objects.filter(first_identified__any=[datetime.date(2021, 1, 2)]).count() == 1
