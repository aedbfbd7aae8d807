"""The reading thread: parsers run there, ahead of the writer, and problems come back."""

import io

import pytest

from accounts.permissions import Capability
from core.batch import BatchResult, Outcome
from imports import kinds
from imports.kinds import Column, ImportKind
from imports.runner import import_csv
from reference.models import Force

pytestmark = pytest.mark.django_db


def broken(text: str):
    raise RuntimeError(f"parser bug on {text}")


def querying(text: str):
    return Force.objects.filter(name=text).exists()


class ParserKind(ImportKind):
    name = "test_parser"
    title = "Parser test"
    key = ("value",)
    capability = Capability.CHANGE_LINES
    block_size = 2
    parse = staticmethod(str)

    @property
    def columns(self):
        return (Column("value", required=True, parse=type(self).parse),)

    def write(self, rows):
        result = BatchResult(size=len(rows))
        for index in range(len(rows)):
            result.record(index, Outcome.CREATED)
        return result


@pytest.fixture
def parser_kind(monkeypatch):
    monkeypatch.setitem(kinds._REGISTRY, ParserKind.name, ParserKind)
    return ParserKind


def run(*rows):
    source = io.BytesIO(("\n".join(["value", *rows]) + "\n").encode())
    return import_csv(kind="test_parser", source=source, source_name="f.csv")


def test_blocks_are_read_ahead_and_every_row_counted(parser_kind):
    assert (
        run(*[f"v{n}" for n in range(7)]).summary == "created 7, updated 0, unchanged 0, skipped 0"
    )


def test_an_unexpected_error_in_a_parser_is_raised_where_the_import_was_called(
    parser_kind, monkeypatch
):
    monkeypatch.setattr(parser_kind, "parse", staticmethod(broken))

    with pytest.raises(RuntimeError, match="parser bug on v0"):
        run("v0", "v1", "v2")


def test_a_parser_may_not_query_the_database(parser_kind, monkeypatch):
    monkeypatch.setattr(parser_kind, "parse", staticmethod(querying))

    with pytest.raises(RuntimeError, match=r"load what they need in ImportKind\.prepare\(\)"):
        run("Merseyside Police")


@pytest.mark.django_db
@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_in_a_cell_is_refused_by_its_column(tmp_path, control):
    from lines.models import Line

    from .utils import LINES_HEADER, run_import, write_csv

    path = write_csv(
        tmp_path,
        "lines.csv",
        LINES_HEADER,
        "L1,Good,Merseyside Police,York,2021-01-04,",
        f"L2,Bad{control}name,Merseyside Police,York,2021-01-04,",
    )
    result = run_import("lines", path)

    assert result.status == 1 and not Line.objects.exists()
    assert result.error_lines[0].startswith(f"{path}:3: name: The cell holds a control character")


def test_line_breaks_and_tabs_within_a_cell_are_kept(parser_kind, monkeypatch):
    received = []
    monkeypatch.setattr(parser_kind, "parse", staticmethod(received.append))

    assert run('"Flat 2\tRear\n12 High Street"').summary.startswith("created 1")
    assert received == ["Flat 2\tRear\n12 High Street"]  # the column's parser decides


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("L1,A,Merseyside Police,York,1899-12-31,", "first_identified", "is before 1900"),
        ("L1,A,Merseyside Police,York,0201-01-04,", "first_identified", "is before 1900"),
        ("L1,A,Merseyside Police,York,9999-12-31,", "first_identified", "check the year"),
        (
            "L1,A,Merseyside Police,York,2999-01-04,",
            "first_identified",
            "check the year",
        ),
        (
            "L1,A,Merseyside Police,York,2021-01-04,2999-01-01",
            "closed_on",
            "check the year",
        ),
    ],
)
def test_a_date_no_record_could_have_is_refused_as_the_form_refuses_it(
    tmp_path, row, column, message
):
    from .utils import LINES_HEADER, run_import, write_csv

    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, row)
    result = run_import("lines", path)
    assert result.status == 1
    assert result.error_lines[0].startswith(f"{path}:2: {column}: "), result.stderr
    assert message in result.error_lines[0]


@pytest.mark.django_db
def test_a_line_cannot_be_identified_tomorrow_in_a_file_either(tmp_path):
    import datetime

    from .utils import LINES_HEADER, run_import, write_csv

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    path = write_csv(
        tmp_path, "lines.csv", LINES_HEADER, f"L1,A,Merseyside Police,York,{tomorrow},"
    )
    result = run_import("lines", path)
    assert result.status == 1
    assert "first_identified: The date first identified must be today or in the past" in (
        result.stderr
    )
