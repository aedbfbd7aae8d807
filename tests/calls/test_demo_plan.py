"""The demo disclosure's world (calls/demo/plan.py): the story an analyst must find in
it is really in the rows, and the rows are what the `calls` import takes."""

import datetime
from collections import defaultdict

import pytest

from calls.demo.plan import (
    COLUMNS,
    NEW_HANDSET_LINE,
    SAME_HANDSET_LINE,
    demo_calls_csv,
    demo_calls_plan,
)
from lines.phone import normalise_number


@pytest.fixture(scope="module")
def world():
    return demo_calls_plan(taken=set())


def events(world):
    """(from, to, started_at, imei) of every row, parties in E.164 where subscribers."""

    def party(text):
        return text if not text.startswith("0") else normalise_number(text)

    for row in world.rows:
        record = dict(zip(COLUMNS, row, strict=True))
        yield (
            party(record["from_number"]),
            party(record["to_number"]),
            datetime.datetime.fromisoformat(record["started_at"]),
            record["imei"],
        )


def activity(world):
    """Each number's first and last event, customers (the other subscribers it was in
    contact with) and handsets."""
    seen = defaultdict(lambda: {"first": None, "last": None, "contacts": set(), "imeis": set()})
    for a, b, at, imei in events(world):
        for number, other in ((a, b), (b, a)):
            record = seen[number]
            record["first"] = min(record["first"] or at, at)
            record["last"] = max(record["last"] or at, at)
            if other.startswith("+"):
                record["contacts"].add(other)
        if imei:
            seen[a]["imeis"].add(imei)
    return seen


def test_each_lines_number_goes_quiet_and_its_successor_takes_over_its_customers(world):
    seen = activity(world)

    for line in (SAME_HANDSET_LINE, NEW_HANDSET_LINE):
        old, new = seen[world.lines[line]], seen[world.successors[line]]
        assert old["last"] < new["first"] <= old["last"] + datetime.timedelta(days=4)
        shared = len(old["contacts"] & new["contacts"]) / len(old["contacts"])
        assert shared >= 0.7
        # The rival reaches few of them.
        assert len(old["contacts"] & seen[world.rival]["contacts"]) <= 0.2 * len(old["contacts"])

    loco, tank = SAME_HANDSET_LINE, NEW_HANDSET_LINE
    assert seen[world.lines[loco]]["imeis"] == seen[world.successors[loco]]["imeis"]
    assert not seen[world.lines[tank]]["imeis"] & seen[world.successors[tank]]["imeis"]


def test_the_noise_is_there_and_no_number_in_use_is_given_a_new_role():
    taken = {normalise_number("07700 900001"), normalise_number("07700 900002")}
    world = demo_calls_plan(taken=taken)
    parties = {party for a, b, _at, _imei in events(world) for party in (a, b)}

    assert "withheld" in parties and "2222" in parties
    assert not parties & taken
    keys = {(row[1], row[2], row[3], row[4]) for row in world.rows}  # from, to, at, kind
    assert len(keys) == len(world.rows)  # each event once


def test_it_is_the_same_every_time_and_reads_as_the_imports_file(world):
    again = demo_calls_plan(taken=set())
    text = demo_calls_csv(world)

    assert again.rows == world.rows
    header, first, *_ = text.splitlines()
    assert header.split(",") == list(COLUMNS)
    started_at = first.split(",")[COLUMNS.index("started_at")]
    assert datetime.datetime.fromisoformat(started_at).utcoffset() is not None
