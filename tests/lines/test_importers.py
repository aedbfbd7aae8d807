"""CSV kinds `lines` and `line_numbers` (interfaces.md §2), through `manage.py import_csv`."""

import datetime

import pytest

from audit.models import AuditEvent
from lines import importers
from lines.models import ClosureType, Line, LineNumber, PhoneNumber
from tests.imports.utils import LINES_HEADER, NUMBERS_HEADER, run_import, write_csv

from .factories import LineFactory, LineNumberFactory, PhoneNumberFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def import_lines(tmp_path, *rows, name="lines.csv"):
    return run_import("lines", write_csv(tmp_path, name, LINES_HEADER, *rows))


def import_numbers(tmp_path, *rows, name="numbers.csv"):
    return run_import("line_numbers", write_csv(tmp_path, name, NUMBERS_HEADER, *rows))


# --- lines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "force"),
    [
        ("Merseyside Police", "Merseyside Police"),
        ("merseyside", "Merseyside Police"),
        ("London", "Metropolitan Police Service"),
        ("met", "Metropolitan Police Service"),
        ("Manchester", "Greater Manchester Police"),
        ("GMP", "Greater Manchester Police"),
        ("  west yorkshire police ", "West Yorkshire Police"),
    ],
)
def test_origin_force_by_full_name_short_name_or_alias_in_any_case(tmp_path, spelling, force):
    run = import_lines(tmp_path, f"L1,Dolla,{spelling},York,2021-03-01,")

    assert run.status == 0, run.stderr
    assert Line.objects.get().origin_force.name == force


def test_unknown_force_is_an_error_never_created(tmp_path):
    run = import_lines(tmp_path, "L1,Dolla,Gotham City Police,York,2021-03-01,")

    assert run.status == 1
    assert run.error_lines[0].startswith(
        "{}:2: origin_force: Unknown force “Gotham City Police”.".format(tmp_path / "lines.csv")
    )


def test_several_command_areas_separated_by_semicolons_in_any_case(tmp_path):
    run = import_lines(tmp_path, "L1,Dolla,Merseyside,york; SELBY ;Harrogate;,2021-03-01,")

    assert run.status == 0, run.stderr
    names = set(Line.objects.get().command_areas.values_list("name", flat=True))
    assert names == {"York", "Selby", "Harrogate"}


def test_every_unknown_command_area_is_named(tmp_path):
    run = import_lines(tmp_path, "L1,Dolla,Merseyside,York;Leeds;Hull,2021-03-01,")

    assert run.status == 1
    [error] = run.error_lines
    assert ":2: command_areas: Unknown command areas “Leeds”, “Hull”. The command areas are: " in (
        error
    )


def test_command_areas_cell_of_only_separators_is_an_error(tmp_path):
    run = import_lines(tmp_path, "L1,Dolla,Merseyside,; ;,2021-03-01,")

    assert ":2: command_areas: Enter at least one command area. The command areas are: " in (
        run.stderr
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021-02-30", "“2021-02-30” is not a real date."),
        ("2021-13-01", "“2021-13-01” is not a real date."),
        ("01/03/2021", "“01/03/2021” is not a date in the form YYYY-MM-DD."),
        ("20210301", "“20210301” is not a date in the form YYYY-MM-DD."),
    ],
)
def test_dates_are_iso_and_real(tmp_path, value, message):
    run = import_lines(tmp_path, f"L1,Dolla,Merseyside,York,{value},")

    assert run.error_lines == [f"{tmp_path / 'lines.csv'}:2: first_identified: {message}"]


def test_closed_on_before_first_identified_is_an_error(tmp_path):
    run = import_lines(tmp_path, "L1,Dolla,Merseyside,York,2021-03-01,2021-02-28")

    assert run.error_lines == [
        f"{tmp_path / 'lines.csv'}:2: closed_on: "
        "The date closed must be on or after the date first identified (1 March 2021)"
    ]


def test_closed_on_the_day_identified_is_allowed(tmp_path):
    assert import_lines(tmp_path, "L1,Dolla,Merseyside,York,2021-03-01,2021-03-01").status == 0


def test_too_long_reference_is_an_error(tmp_path):
    run = import_lines(tmp_path, f"{'X' * 41},Dolla,Merseyside,York,2021-03-01,")

    assert ":2: reference: " in run.stderr
    assert "at most 40 characters (it has 41)" in run.stderr


def test_changed_command_areas_update_the_line(tmp_path):
    import_lines(tmp_path, "L1,Dolla,Merseyside,York,2021-03-01,", name="v1.csv")

    run = import_lines(tmp_path, "L1,Dolla,Merseyside,York;Selby,2021-03-01,", name="v2.csv")

    assert run.stdout == "created 0, updated 1, unchanged 0, skipped 0\n"
    assert Line.objects.get().command_areas.count() == 2


def test_an_empty_closed_on_reopens_a_closed_line(tmp_path):
    LineFactory(
        reference="L1",
        name="Dolla",
        first_identified=D(2021, 3, 1),
        closed_on=D(2021, 6, 1),
        closure_type=ClosureType.TYPE_1,
    )

    run = import_lines(tmp_path, "L1,Dolla,Merseyside,York,2021-03-01,")

    assert run.stdout == "created 0, updated 1, unchanged 0, skipped 0\n"
    line = Line.objects.get()
    assert (line.closed_on, line.closure_type) == (None, "")


def test_a_file_without_the_closed_on_column_reopens_nothing(tmp_path):
    LineFactory(
        reference="L1", name="Dolla", first_identified=D(2021, 3, 1), closed_on=D(2021, 6, 1)
    )
    header = "reference,name,origin_force,command_areas,first_identified"
    path = write_csv(tmp_path, "lines.csv", header, "L1,Dolla,Merseyside,York,2021-03-01")

    run = run_import("lines", path)

    assert run.stdout == "created 0, updated 0, unchanged 1, skipped 0\n"
    assert Line.objects.get().closed_on == D(2021, 6, 1)


def test_imported_lines_are_audited_like_lines_entered_on_screen(tmp_path):
    import_lines(tmp_path, "L1,Dolla,Merseyside,York,2021-03-01,")

    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert (event.object_type, event.object_label) == ("lines.line", "L1 Dolla")


# --- line_numbers ----------------------------------------------------------------------


@pytest.fixture
def dolla(db):
    return LineFactory(reference="L1", name="Dolla", first_identified=D(2021, 1, 1))


def test_the_same_number_in_five_spellings_is_one_phone_number(tmp_path):
    spellings = [
        "07712 345678",
        "+44 7712 345678",
        "0044 7712 345678",
        "07712-345-678",
        "(07712)345678",
    ]
    for n in range(5):
        LineFactory(reference=f"L{n}")
    rows = [f"L{n},{spelling},2021-0{n + 1}-01," for n, spelling in enumerate(spellings)]

    run = import_numbers(tmp_path, *rows)

    assert run.stdout == "created 5, updated 0, unchanged 0, skipped 0\n", run.stderr
    assert list(PhoneNumber.objects.values_list("e164", flat=True)) == ["+447712345678"]
    assert LineNumber.objects.count() == 5


def test_the_key_uses_the_normalised_number(tmp_path, dolla):
    import_numbers(tmp_path, "L1,07712 345678,2021-01-01,", name="v1.csv")

    run = import_numbers(tmp_path, "L1,+447712345678,2021-01-01,", name="v2.csv")

    assert run.stdout == "created 0, updated 0, unchanged 1, skipped 0\n"


def test_international_numbers_are_accepted(tmp_path, dolla):
    assert import_numbers(tmp_path, "L1,+33 6 12 34 56 78,2021-01-01,").status == 0
    assert PhoneNumber.objects.get().e164 == "+33612345678"


@pytest.mark.parametrize("number", ["0771234", "not a number", "+44 20 1234"])
def test_an_invalid_number_is_an_error(tmp_path, dolla, number):
    run = import_numbers(tmp_path, f"L1,{number},2021-01-01,")

    assert run.error_lines == [
        f"{tmp_path / 'numbers.csv'}:2: number: “{number}” is not a phone number. "
        "Enter it like 07712 345678, +44 7712 345678 or +33 6 12 34 56 78"
    ]


def test_an_unknown_line_reference_is_an_error(tmp_path, dolla):
    run = import_numbers(tmp_path, "L1,07712 345678,2021-01-01,", "L404,07712 345678,2021-01-01,")

    assert run.error_lines == [
        f"{tmp_path / 'numbers.csv'}:3: line_reference: No line has the reference “L404”, "
        "in the database or in an earlier row of this file."
    ]
    assert not LineNumber.objects.exists()


def test_attributed_to_before_attributed_from_is_an_error(tmp_path, dolla):
    run = import_numbers(tmp_path, "L1,07712 345678,2021-03-01,2021-02-01")

    assert run.error_lines == [
        f"{tmp_path / 'numbers.csv'}:2: attributed_to: "
        "The date last used must be on or after the date first used (1 March 2021)"
    ]


def test_a_row_with_an_unknown_line_and_a_backwards_range_reports_both(tmp_path):
    run = import_numbers(tmp_path, "L404,07712 345678,2021-03-01,2021-02-01")

    assert [line.split(": ")[1] for line in run.error_lines] == ["attributed_to", "line_reference"]


def test_an_overlap_with_an_earlier_row_of_the_same_file_is_an_error(tmp_path, dolla):
    run = import_numbers(
        tmp_path, "L1,07712 345678,2021-01-01,2021-06-30", "L1,07712-345-678,2021-06-30,"
    )

    assert run.error_lines == [
        f"{tmp_path / 'numbers.csv'}:3: attributed_from: 07712 345678 is already attributed "
        "to L1 for an overlapping period (from 1 January 2021)"
    ]


def test_an_overlap_with_the_database_is_an_error(tmp_path, dolla):
    LineNumberFactory(
        line=dolla, number=PhoneNumberFactory(e164="+447712345678"), attributed_from=D(2021, 1, 1)
    )

    run = import_numbers(tmp_path, "L1,07712345678,2021-05-01,")

    assert ":2: attributed_from: 07712 345678 is already attributed to L1" in run.stderr


def test_one_number_may_serve_several_lines_and_return_after_a_gap(tmp_path, dolla):
    LineFactory(reference="L2")

    run = import_numbers(
        tmp_path,
        "L1,07712 345678,2021-01-01,2021-03-31",
        "L2,07712 345678,2021-04-01,2021-05-31",
        "L1,07712 345678,2021-06-01,",
    )

    assert run.stdout == "created 3, updated 0, unchanged 0, skipped 0\n", run.stderr
    assert PhoneNumber.objects.count() == 1


def test_second_import_unchanged_and_a_changed_end_date_updates(tmp_path, dolla):
    rows = ["L1,07712 345678,2021-01-01,2021-03-31", "L1,07712 999999,2021-02-01,"]
    import_numbers(tmp_path, *rows, name="v1.csv")
    assert import_numbers(tmp_path, *rows, name="v2.csv").stdout == (
        "created 0, updated 0, unchanged 2, skipped 0\n"
    )

    run = import_numbers(
        tmp_path,
        "L1,07712 345678,2021-01-01,",
        "L1,07712 999999,2021-02-01,2021-04-30",
        name="v3.csv",
    )

    assert run.stdout == "created 0, updated 2, unchanged 0, skipped 0\n", run.stderr
    ends = dict(LineNumber.objects.values_list("number__e164", "attributed_to"))
    assert ends == {"+447712345678": None, "+447712999999": D(2021, 4, 30)}


def test_a_file_without_the_attributed_to_column_ends_nothing_and_opens_nothing(tmp_path, dolla):
    import_numbers(tmp_path, "L1,07712 345678,2021-01-01,2021-03-31", name="v1.csv")
    path = write_csv(
        tmp_path,
        "v2.csv",
        "line_reference,number,attributed_from",
        "L1,07712 345678,2021-01-01",
        "L1,07712 999999,2021-02-01",
    )

    run = run_import("line_numbers", path)

    assert run.stdout == "created 1, updated 0, unchanged 1, skipped 0\n", run.stderr
    ends = dict(LineNumber.objects.values_list("number__e164", "attributed_to"))
    assert ends == {"+447712345678": D(2021, 3, 31), "+447712999999": None}


def test_extending_an_attribution_into_a_later_one_is_an_error(tmp_path, dolla):
    import_numbers(
        tmp_path,
        "L1,07712 345678,2021-01-01,2021-03-31",
        "L1,07712 345678,2021-06-01,",
        name="v1.csv",
    )

    run = import_numbers(tmp_path, "L1,07712 345678,2021-01-01,2021-07-01", name="v2.csv")

    assert ":2: attributed_to: 07712 345678 is already attributed to L1" in run.stderr
    assert LineNumber.objects.get(attributed_from=D(2021, 1, 1)).attributed_to == D(2021, 3, 31)


def test_missing_required_column_of_line_numbers(tmp_path):
    path = write_csv(tmp_path, "n.csv", "line_reference,number", "L1,07712 345678")

    run = run_import("line_numbers", path)

    assert run.error_lines == [
        f"{path}:1: attributed_from: This required column is missing from the header."
    ]


# --- Repeated keys, change history ----------------------------------------------------------


def test_a_reference_repeated_in_one_file_is_one_line_and_the_later_row_wins(tmp_path):
    run = import_lines(
        tmp_path,
        "L1,Dolla,Merseyside,York,2021-03-01,",
        "L1,Dolla,Merseyside,York,2021-03-01,",
        "L1,Renamed,Merseyside,York;Selby,2021-03-01,",
    )

    assert run.stdout == "created 1, updated 1, unchanged 1, skipped 0\n", run.stderr
    line = Line.objects.get()
    assert line.name == "Renamed"
    assert sorted(line.command_areas.values_list("name", flat=True)) == ["Selby", "York"]
    create, update = AuditEvent.objects.filter(object_type="lines.line").order_by("pk")
    assert (create.action, update.action) == ("create", "update")
    assert update.detail["changes"] == {
        "name": ["Dolla", "Renamed"],
        "command_areas": [["York"], ["Selby", "York"]],
    }


def test_a_key_repeated_in_a_later_block_updates_what_the_earlier_block_wrote(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(importers.LinesImport, "block_size", 2)
    run = import_lines(
        tmp_path,
        "L1,Dolla,Merseyside,York,2021-03-01,",
        "L2,Blade,Merseyside,York,2021-03-01,",
        "L1,Dolla,Merseyside,York,2021-03-01,2021-09-01",
    )

    assert run.stdout == "created 2, updated 1, unchanged 0, skipped 0\n", run.stderr
    assert Line.objects.get(reference="L1").closed_on == D(2021, 9, 1)


def test_an_attribution_repeated_in_one_file_is_one_and_the_later_end_wins(tmp_path, dolla):
    run = import_numbers(
        tmp_path, "L1,07712 345678,2021-01-01,", "L1,+44 7712 345678,2021-01-01,2021-03-31"
    )

    assert run.stdout == "created 1, updated 1, unchanged 0, skipped 0\n", run.stderr
    assert LineNumber.objects.get().attributed_to == D(2021, 3, 31)


def test_every_change_an_import_makes_is_audited_from_what_to_what(tmp_path, dolla):
    import_lines(tmp_path, "L1,Dolla,Merseyside,York,2021-01-01,", name="v1.csv")
    import_numbers(tmp_path, "L1,07712 345678,2021-01-01,", name="n1.csv")

    import_lines(tmp_path, "L1,Dolla,GMP,York,2021-01-01,2021-06-01", name="v2.csv")
    import_numbers(tmp_path, "L1,07712 345678,2021-01-01,2021-05-31", name="n2.csv")

    line_change = AuditEvent.objects.get(action="update", object_type="lines.line")
    assert line_change.detail["changes"] == {
        "origin_force": ["Merseyside Police", "Greater Manchester Police"],
        "closed_on": [None, "2021-06-01"],
    }
    number_change = AuditEvent.objects.get(action="update", object_type="lines.linenumber")
    assert number_change.detail["changes"] == {"attributed_to": [None, "2021-05-31"]}
    assert number_change.object_label == "07712 345678 on L1 from 2021-01-01"
    imports = AuditEvent.objects.filter(action="import").order_by("pk")
    assert line_change.detail["import"] == imports[2].detail["import"]
    assert number_change.detail["import"] == imports[3].detail["import"]


def test_a_stored_number_typed_another_way_is_recognised_without_parsing(
    tmp_path, dolla, monkeypatch
):
    import_numbers(tmp_path, "L1,07712 345678,2021-01-01,2021-01-31", name="v1.csv")
    parsed = []
    real_parse = importers.parse_number
    monkeypatch.setattr(
        importers, "parse_number", lambda text: parsed.append(text) or real_parse(text)
    )

    run = import_numbers(
        tmp_path,
        "L1,+44 7712 345678,2021-01-01,2021-01-31",
        "L1,0044 (7712) 345-678,2021-02-01,2021-02-28",
        "L1,07712.345.678,2021-03-01,2021-03-31",
        "L1,7712 345678,2021-04-01,",  # no prefix: parsed (and then found stored)
        name="v2.csv",
    )

    assert run.stdout == "created 3, updated 0, unchanged 1, skipped 0\n", run.stderr
    assert parsed == ["7712 345678"]
    assert PhoneNumber.objects.count() == 1


# --- References ----------------------------------------------------------------------------


def test_references_differing_only_in_case_are_one_line(tmp_path):
    run = import_lines(
        tmp_path, "CL-1,Dolla,Merseyside,York,2021-03-01,", "cl-1,Dolla,Merseyside,York,2021-03-01,"
    )

    assert run.stdout == "created 1, updated 0, unchanged 1, skipped 0\n", run.stderr
    assert list(Line.objects.values_list("reference", flat=True)) == ["CL-1"]


def test_a_reference_already_stored_in_another_case_is_that_line(tmp_path):
    LineFactory(reference="CL-1", name="Dolla")

    lines = import_lines(tmp_path, "cl-1,Renamed,Merseyside,York,2024-01-15,")
    numbers = import_numbers(tmp_path, "Cl-1,07712 345678,2024-02-01,")

    assert lines.stdout == "created 0, updated 1, unchanged 0, skipped 0\n", lines.stderr
    assert numbers.stdout == "created 1, updated 0, unchanged 0, skipped 0\n", numbers.stderr
    line = Line.objects.get()
    assert (line.reference, line.name, line.attributions.count()) == ("CL-1", "Renamed", 1)


def test_full_width_references_are_normalised_and_hidden_characters_refused(tmp_path):
    run = import_lines(
        tmp_path,
        "ＣＬ－１,Dolla,Merseyside,York,2021-03-01,",
        "CL-\u202e2,Blade,Merseyside,York,2021-03-01,",
    )

    assert run.error_lines == [
        f"{tmp_path / 'lines.csv'}:3: reference: The reference contains a hidden character, "
        "such as a right-to-left mark. Type it again, without copying it"
    ]
    assert not Line.objects.exists()
